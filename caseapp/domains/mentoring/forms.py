"""The one shape validator for each input of mentoring, for the pages and (through validate_form) the
JSON API alike. Each form's `to_input()` hands the verb a typed input (inputs.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from caseapp.clock import local_today
from caseapp.domains.mentoring.inputs import (
    AmendmentInput,
    AnswerInput,
    EmployerInput,
    FollowUpInput,
    GoalChanges,
    GoalInput,
    MeetingInput,
    MentorInput,
    OutcomeInput,
    PlacementEnd,
    PlacementInput,
    PlanInput,
    ProgrammeInput,
    ProposalInput,
    StateInput,
    TallyInput,
    WorkRuleInput,
)
from caseapp.domains.mentoring.labels import (
    END_LABELS,
    FOCUS_LABELS,
    GOAL_KIND_LABELS,
    GOAL_STATUS_LABELS,
    KIND_LABELS,
    LANGUAGE_LABELS,
    MODE_LABELS,
    OUTCOME_LABELS,
    PLACEMENT_END_LABELS,
    RESULT_LABELS,
    VERIFICATION_LABELS,
)
from caseapp.forms import CheckboxesField, VersionField, choices
from caseapp.models.base import parse_uuid
from caseapp.plan.tagging import PlanTagFields

NOT_FUTURE = _l("The date cannot be in the future.")
CHOOSE = _l("Choose from the list.")


def _pairs(labels: dict, blank=None) -> list:
    return choices(labels.items(), blank)


def _text(value):
    if isinstance(value, str):
        value = value.strip()
    return value or None


def _not_future(form, field) -> None:
    if field.data and field.data > local_today():
        raise ValidationError(NOT_FUTURE)


def _uuid(form, field) -> None:
    values = field.data if isinstance(field.data, list) else [field.data]
    if any(v not in (None, "") and parse_uuid(v) is None for v in values):
        raise ValidationError(CHOOSE)


class ProgrammeForm(PlanTagFields, FlaskForm):
    kind = SelectField(_l("Kind"), choices=_pairs(KIND_LABELS), validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)], filters=[_text])
    age_min = IntegerField(_l("Youngest age"), validators=[Optional(), NumberRange(0, 120)])
    age_max = IntegerField(_l("Oldest age"), validators=[Optional(), NumberRange(0, 120)])
    needs_acceptance = BooleanField(_l("The mentor accepts or declines a proposal"))
    followup_months = StringField(
        _l("Follow-up after (months, separated by spaces)"),
        default="3 6",
        validators=[
            Optional(),
            Regexp(r"^\s*(\d{1,2}\s*)*$", message=_l("Whole months separated by spaces, e.g. 3 6.")),
        ],
    )
    active = BooleanField(_l("Active"), default=True)
    version = VersionField()

    def validate_age_max(self, field):
        if field.data is not None and self.age_min.data is not None and field.data < self.age_min.data:
            raise ValidationError(_l("The oldest age cannot be below the youngest."))

    def to_input(self) -> ProgrammeInput:
        months = tuple(int(m) for m in (self.followup_months.data or "").split() if 0 < int(m) <= 36)
        return ProgrammeInput(
            kind=self.kind.data,
            name=self.name.data,
            age_min=self.age_min.data,
            age_max=self.age_max.data,
            needs_acceptance=bool(self.needs_acceptance.data),
            followup_months=months,
            active=bool(self.active.data),
            plan_tags=self.plan_tag_input(),
        )


class WorkRuleForm(FlaskForm):
    age_min = IntegerField(_l("From age"), validators=[InputRequired(), NumberRange(10, 17)])
    age_max = IntegerField(_l("To age"), validators=[InputRequired(), NumberRange(10, 17)])
    text = TextAreaField(_l("The work rules"), validators=[DataRequired(), Length(max=5000)], filters=[_text])
    version = VersionField()

    def validate_age_max(self, field):
        if field.data is not None and self.age_min.data is not None and field.data < self.age_min.data:
            raise ValidationError(_l("The oldest age cannot be below the youngest."))

    def to_input(self) -> WorkRuleInput:
        return WorkRuleInput(self.age_min.data, self.age_max.data, self.text.data)


class MentorForm(FlaskForm):
    user_id = IntegerField(_l("Staff mentor (staff number)"), validators=[Optional(), NumberRange(1, 2**31 - 1)])
    person_id = StringField(_l("Volunteer mentor (person)"), validators=[Optional(), _uuid])
    capacity = IntegerField(_l("Most active mentees"), default=5, validators=[InputRequired(), NumberRange(0, 50)])
    languages = CheckboxesField(_l("Languages"), choices=_pairs(LANGUAGE_LABELS))
    focus_areas = CheckboxesField(_l("Areas of focus"), choices=_pairs(FOCUS_LABELS))
    paused_from = DateField(_l("Paused for new matches from"), validators=[Optional()])
    version = VersionField()

    def to_input(self) -> MentorInput:
        return MentorInput(
            capacity=self.capacity.data,
            languages=tuple(self.languages.data or ()),
            focus_areas=tuple(self.focus_areas.data or ()),
            paused_from=self.paused_from.data,
            user_id=self.user_id.data,
            person_id=parse_uuid(self.person_id.data) if self.person_id.data else None,
        )


class ProposalForm(FlaskForm):
    person_id = StringField(_l("Mentee"), validators=[DataRequired(), _uuid])
    programme_id = IntegerField(_l("Programme"), validators=[InputRequired(), NumberRange(1, 2**31 - 1)])
    mentor_id = StringField(_l("Mentor"), validators=[DataRequired(), _uuid])
    purpose = TextAreaField(_l("Purpose"), validators=[Optional(), Length(max=2000)], filters=[_text])
    mentor_tasks = TextAreaField(_l("The mentor's tasks"), validators=[Optional(), Length(max=2000)], filters=[_text])
    contact_every_days = IntegerField(
        _l("Planned contact every (days)"), default=14, validators=[Optional(), NumberRange(1, 365)]
    )
    capacity_override = BooleanField(_l("Leader's override of the mentor's capacity"))
    override_reason = StringField(
        _l("Reason for the override"), validators=[Optional(), Length(max=500)], filters=[_text]
    )
    confirm_age = BooleanField(_l("Yes, propose them although they are outside the programme's age band"))

    def validate_override_reason(self, field):
        if self.capacity_override.data and not field.data:
            raise ValidationError(_l("Give the reason for the override."))

    def to_input(self) -> ProposalInput:
        return ProposalInput(
            person_id=parse_uuid(self.person_id.data),
            programme_id=self.programme_id.data,
            mentor_id=parse_uuid(self.mentor_id.data),
            purpose=self.purpose.data,
            mentor_tasks=self.mentor_tasks.data,
            contact_every_days=self.contact_every_days.data,
            capacity_override=bool(self.capacity_override.data),
            override_reason=self.override_reason.data,
            age_confirmed=bool(self.confirm_age.data),
        )


class AnswerForm(FlaskForm):
    answer = SelectField(
        _l("Answer"),
        choices=choices([("accept", _l("Accept")), ("decline", _l("Decline"))]),
        validators=[DataRequired()],
    )
    reason = StringField(_l("Reason (when declining)"), validators=[Optional(), Length(max=500)], filters=[_text])
    version = VersionField()

    def validate_reason(self, field):
        if self.answer.data == "decline" and not field.data:
            raise ValidationError(_l("Say why you decline."))

    def to_input(self) -> AnswerInput:
        return AnswerInput(accept=self.answer.data == "accept", reason=self.reason.data)


class StateForm(FlaskForm):
    state = SelectField(
        _l("New state"),
        choices=choices([("active", _l("Active")), ("paused", _l("Paused")), ("ended", _l("Ended"))]),
        validators=[DataRequired()],
    )
    reason = SelectField(_l("End reason"), choices=_pairs(END_LABELS, blank=""), validators=[Optional()])
    version = VersionField()

    def validate_reason(self, field):
        if self.state.data == "ended" and not field.data:
            raise ValidationError(_l("Give the reason the relationship ends."))

    def to_input(self) -> StateInput:
        return StateInput(self.state.data, self.reason.data or None)


class PlanForm(PlanTagFields, FlaskForm):
    purpose = TextAreaField(_l("Purpose"), validators=[Optional(), Length(max=2000)], filters=[_text])
    mentor_tasks = TextAreaField(_l("The mentor's tasks"), validators=[Optional(), Length(max=2000)], filters=[_text])
    contact_every_days = IntegerField(_l("Planned contact every (days)"), validators=[Optional(), NumberRange(1, 365)])
    version = VersionField()

    def to_input(self) -> PlanInput:
        return PlanInput(self.purpose.data, self.mentor_tasks.data, self.contact_every_days.data, self.plan_tag_input())


class GoalForm(FlaskForm):
    kind = SelectField(_l("Goal"), choices=_pairs(GOAL_KIND_LABELS), validators=[DataRequired()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)], filters=[_text])
    target_on = DateField(_l("Target date"), validators=[Optional()])
    status = SelectField(
        _l("Status"), choices=_pairs(GOAL_STATUS_LABELS), default="planned", validators=[DataRequired()]
    )

    def to_input(self) -> GoalInput:
        return GoalInput(self.kind.data, self.description.data, self.target_on.data, self.status.data)


class GoalUpdateForm(FlaskForm):
    status = SelectField(_l("Status"), choices=_pairs(GOAL_STATUS_LABELS), validators=[DataRequired()])
    target_on = DateField(_l("Target date"), validators=[Optional()])
    progress_note = TextAreaField(_l("Progress note"), validators=[Optional(), Length(max=2000)], filters=[_text])
    version = VersionField()

    def to_input(self) -> GoalChanges:
        return GoalChanges(self.status.data, self.target_on.data, self.progress_note.data)


class MeetingForm(FlaskForm):
    held_on = DateField(_l("Date"), default=local_today, validators=[InputRequired(), _not_future])
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), default=60, validators=[InputRequired(), NumberRange(5, 600)]
    )
    mode = SelectField(_l("Mode"), choices=_pairs(MODE_LABELS), validators=[DataRequired()])
    notes = TextAreaField(_l("Notes"), validators=[DataRequired(), Length(max=10000)], filters=[_text])
    goal_ids = CheckboxesField(_l("Goals worked on"), choices=[], validate_choice=False, validators=[_uuid])
    next_meeting_on = DateField(_l("Next meeting"), validators=[Optional()])

    def validate_next_meeting_on(self, field):
        if field.data and self.held_on.data and field.data < self.held_on.data:
            raise ValidationError(_l("The next meeting cannot be before this one."))

    def to_input(self) -> MeetingInput:
        return MeetingInput(
            self.held_on.data,
            self.duration_minutes.data,
            self.mode.data,
            self.notes.data,
            tuple(parse_uuid(g) for g in (self.goal_ids.data or ())),
            self.next_meeting_on.data,
        )


class AmendmentForm(FlaskForm):
    text = TextAreaField(_l("Correction"), validators=[DataRequired(), Length(max=5000)], filters=[_text])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)], filters=[_text])

    def to_input(self) -> AmendmentInput:
        return AmendmentInput(self.text.data, self.reason.data)


class EmployerForm(FlaskForm):
    company = StringField(_l("Company"), validators=[DataRequired(), Length(max=200)], filters=[_text])
    contact_person = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)], filters=[_text])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)], filters=[_text])
    branch = StringField(_l("Branch"), validators=[Optional(), Length(max=120)], filters=[_text])
    cvr = StringField(
        _l("CVR number"), validators=[Optional(), Regexp(r"^\d{8}$", message=_l("Eight digits."))], filters=[_text]
    )
    version = VersionField()

    def to_input(self) -> EmployerInput:
        return EmployerInput(
            self.company.data, self.contact_person.data, self.contact_phone.data, self.branch.data, self.cvr.data
        )


class PlacementForm(FlaskForm):
    employer_id = SelectField(_l("Employer"), choices=[], validate_choice=False, validators=[DataRequired(), _uuid])
    starts_on = DateField(_l("Start"), default=local_today, validators=[InputRequired()])
    hours_per_week = IntegerField(_l("Hours a week"), validators=[InputRequired(), NumberRange(1, 48)])
    parent_contact = StringField(
        _l("Parents' contact (under 18)"), validators=[Optional(), Length(max=300)], filters=[_text]
    )
    parent_consent = BooleanField(_l("The parents consent (under 18)"))
    parent_consent_on = DateField(_l("Consent given on"), validators=[Optional(), _not_future])

    def to_input(self) -> PlacementInput:
        return PlacementInput(
            parse_uuid(self.employer_id.data),
            self.starts_on.data,
            self.hours_per_week.data,
            self.parent_contact.data,
            bool(self.parent_consent.data),
            self.parent_consent_on.data,
        )


class PlacementEndForm(FlaskForm):
    ended_on = DateField(_l("Ended"), validators=[Optional()])
    # No Optional(): it would stop validation before validate_end_reason sees an empty reason.
    end_reason = SelectField(_l("End reason"), choices=_pairs(PLACEMENT_END_LABELS, blank=""))
    became_permanent = BooleanField(_l("Became permanent"))
    bridged_to_job = BooleanField(_l("Bridged to an ordinary job"))
    version = VersionField()

    def validate_end_reason(self, field):
        if self.ended_on.data and not field.data:
            raise ValidationError(_l("Give the reason the job ended."))

    def to_input(self) -> PlacementEnd:
        return PlacementEnd(
            self.ended_on.data,
            self.end_reason.data or None,
            bool(self.became_permanent.data),
            bool(self.bridged_to_job.data),
        )


class OutcomeForm(FlaskForm):
    kind = SelectField(_l("Outcome"), choices=_pairs(OUTCOME_LABELS), validators=[DataRequired()])
    starts_on = DateField(_l("Start"), default=local_today, validators=[InputRequired()])
    verified_by = SelectField(_l("Verified by"), choices=_pairs(VERIFICATION_LABELS), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)], filters=[_text])

    def to_input(self) -> OutcomeInput:
        return OutcomeInput(self.kind.data, self.starts_on.data, self.verified_by.data, self.note.data)


class FollowUpForm(FlaskForm):
    still_there = SelectField(
        _l("Still in the job or education?"),
        choices=choices([("yes", _l("Yes")), ("no", _l("No"))]),
        validators=[DataRequired()],
    )
    result = SelectField(_l("Result"), choices=_pairs(RESULT_LABELS), validators=[DataRequired()])
    what_changed = TextAreaField(_l("What changed"), validators=[Optional(), Length(max=2000)], filters=[_text])
    recorded_on = DateField(_l("Followed up on"), validators=[Optional(), _not_future])
    version = VersionField()

    def to_input(self) -> FollowUpInput:
        return FollowUpInput(
            self.still_there.data == "yes", self.result.data, self.what_changed.data, self.recorded_on.data
        )


class TallyForm(FlaskForm):
    programme_id = IntegerField(_l("Programme"), validators=[InputRequired(), NumberRange(1, 2**31 - 1)])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)], filters=[_text])
    held_on = DateField(_l("Date"), default=local_today, validators=[InputRequired(), _not_future])
    headcount = IntegerField(_l("Number of people"), validators=[InputRequired(), NumberRange(1, 10000)])

    def to_input(self) -> TallyInput:
        return TallyInput(self.programme_id.data, self.place.data, self.held_on.data, self.headcount.data)
