"""The one shape validator for each input of parent counselling, for the pages and (through validate_form)
the JSON API alike: types, required fields, lengths, known codes, dates in order. Each form's `to_input()`
hands the verb a typed input (inputs.py); the rules that need the database (whose person, which child,
closed cases) are the verbs' business.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import FloatField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from caseapp.clock import local_today
from caseapp.domains.counselling.inputs import (
    ActionChanges,
    ActionInput,
    AmendmentInput,
    AttendanceInput,
    CaseChanges,
    CaseOpening,
    GoalChanges,
    GoalInput,
    GroupSessionInput,
    ReferralInput,
    Registration,
    SessionInput,
)
from caseapp.domains.counselling.labels import (
    ACTION_LABELS,
    CLOSING_LABELS,
    FOCUS_LABELS,
    GOAL_LABELS,
    INSTITUTION_LABELS,
    KIND_LABELS,
    OWNER_LABELS,
    REFERRAL_LABELS,
    SERVICE_LABELS,
    STATUS_LABELS,
)
from caseapp.domains.counselling.models import PLAN_RECORD
from caseapp.forms import CheckboxesField, VersionField, choices, id_tuple, picked_ids, stripped
from caseapp.models.base import parse_uuid
from caseapp.plan.tagging import PlanTagFields, tag_form_data

NOT_FUTURE = _l("The date cannot be in the future.")


def _pairs(labels: dict) -> list:
    return choices(labels.items())


def _version():
    # A JSON PATCH must say which version it changes; the pages always post the one they showed.
    return VersionField(validators=[InputRequired(_l("Send the version you last read."))])


def _duration(default: int) -> IntegerField:
    return IntegerField(
        _l("Duration (minutes)"),
        default=default,
        validators=[InputRequired(_l("Enter the duration.")), NumberRange(1, 720, _l("Between 1 and 720 minutes."))],
    )


def _focus_areas() -> CheckboxesField:
    return CheckboxesField(
        _l("Focus areas"),
        choices=_pairs(FOCUS_LABELS),
        validators=[DataRequired(_l("Choose at least one focus area."))],
    )


def _children() -> CheckboxesField:
    return CheckboxesField(_l("Children the case concerns"), validate_choice=False, validators=[picked_ids])


def _background() -> TextAreaField:
    return TextAreaField(_l("Background and wishes of the family"), filters=[stripped], validators=[Length(max=5000)])


class ChooseParentForm(Form):
    """The first step of opening a case (a GET: nothing is changed): whom the case is for."""

    person_id = SelectField(_l("Parent"), validate_choice=False)


class CaseOpenForm(PlanTagFields, FlaskForm):
    person_id = SelectField(
        _l("Parent"),
        validate_choice=False,
        validators=[DataRequired(_l("Choose the parent the case is for.")), picked_ids],
    )
    household_id = SelectField(_l("Household"), validate_choice=False, validators=[Optional(), picked_ids])
    started_on = DateField(
        _l("Start date"), default=local_today, validators=[DataRequired(_l("Enter the start date."))]
    )
    focus_areas = _focus_areas()
    children = _children()
    background = _background()

    def to_input(self) -> CaseOpening:
        return CaseOpening(
            person_id=parse_uuid(self.person_id.data),
            household_id=parse_uuid(self.household_id.data) if self.household_id.data else None,
            only_household=not self.household_id.raw_data,  # the page always posts it, "" for none
            started_on=self.started_on.data,
            focus_areas=tuple(self.focus_areas.data),
            children=id_tuple(self.children.data),
            background=self.background.data,
            plan_tags=self.plan_tag_input(),
        )


class CaseEditForm(PlanTagFields, FlaskForm):
    version = _version()
    status = SelectField(
        _l("Status"), choices=_pairs(STATUS_LABELS), validators=[DataRequired(_l("Choose the status."))]
    )
    closing_reason = SelectField(
        _l("Closing reason"), choices=choices(CLOSING_LABELS.items(), blank="–"), validators=[Optional()]
    )
    closing_note = TextAreaField(_l("Closing note"), filters=[stripped], validators=[Length(max=5000)])
    started_on = DateField(_l("Start date"), validators=[DataRequired(_l("Enter the start date."))])
    focus_areas = _focus_areas()
    children = _children()
    background = _background()

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        # An empty reason stops its own validators (Optional), so the rule that closing needs one is here.
        if self.status.data == "closed" and not self.closing_reason.data and not self.closing_reason.errors:
            self.closing_reason.errors = [*self.closing_reason.errors, _l("Give the reason the case is closed.")]
            ok = False
        return ok

    def to_input(self) -> CaseChanges:
        closed = self.status.data == "closed"
        return CaseChanges(
            status=self.status.data,
            closing_reason=(self.closing_reason.data or None) if closed else None,
            closing_note=self.closing_note.data if closed else None,
            started_on=self.started_on.data,
            focus_areas=tuple(self.focus_areas.data),
            children=id_tuple(self.children.data),
            background=self.background.data,
            plan_tags=self.plan_tag_input(),
        )


def _goal_description() -> StringField:
    return StringField(
        _l("Goal"), filters=[stripped], validators=[DataRequired(_l("Describe the goal.")), Length(max=1000)]
    )


class GoalForm(FlaskForm):
    description = _goal_description()
    status = SelectField(_l("Status"), choices=_pairs(GOAL_LABELS), default="agreed")
    agreed_on = DateField(_l("Agreed on"), default=local_today, validators=[Optional()])

    def to_input(self) -> GoalInput:
        return GoalInput(description=self.description.data, status=self.status.data, agreed_on=self.agreed_on.data)


class GoalStatusForm(FlaskForm):
    version = _version()
    description = _goal_description()
    status = SelectField(_l("Status"), choices=_pairs(GOAL_LABELS), validators=[DataRequired(_l("Choose the status."))])

    def to_input(self) -> GoalChanges:
        return GoalChanges(description=self.description.data, status=self.status.data)


class ActionEntryForm(Form):
    """One agreed action in the session form; a blank row is ignored."""

    description = StringField(_l("Agreed action"), filters=[stripped], validators=[Optional(), Length(max=500)])
    owner = SelectField(_l("Owner"), choices=choices(OWNER_LABELS.items(), blank="–"), validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[Optional()])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.description.data:
            if not self.owner.data:
                self.owner.errors = [*self.owner.errors, _l("Choose who is responsible.")]
                ok = False
            if not self.due_on.data and not self.due_on.errors:
                self.due_on.errors = [*self.due_on.errors, _l("Enter the due date.")]
                ok = False
        elif self.owner.data or self.due_on.data:
            self.description.errors = [*self.description.errors, _l("Describe the agreed action.")]
            ok = False
        return ok


class SessionForm(FlaskForm):
    held_on = DateField(_l("Date"), default=local_today, validators=[DataRequired(_l("Enter the date."))])
    duration_minutes = _duration(60)
    kind = SelectField(
        _l("Kind of session"), choices=_pairs(KIND_LABELS), validators=[DataRequired(_l("Choose the kind of session."))]
    )
    attendees = CheckboxesField(_l("Who attended"), validate_choice=False, validators=[picked_ids])
    other_attendees = StringField(
        _l("Others present (e.g. interpreter, teacher)"), filters=[stripped], validators=[Length(max=300)]
    )
    topics = CheckboxesField(_l("Topics"), choices=_pairs(FOCUS_LABELS))
    notes = TextAreaField(
        _l("Session note"),
        filters=[stripped],
        validators=[DataRequired(_l("Write what was talked about.")), Length(max=20000)],
    )
    next_follow_up = DateField(_l("Next follow-up"), validators=[Optional()])
    actions = FieldList(FormField(ActionEntryForm), min_entries=3, max_entries=10)

    def validate_held_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(NOT_FUTURE)

    def validate_next_follow_up(self, field):
        if field.data and self.held_on.data and field.data < self.held_on.data:
            raise ValidationError(_l("The follow-up cannot be before the session."))

    def to_input(self) -> SessionInput:
        return SessionInput(
            held_on=self.held_on.data,
            duration_minutes=self.duration_minutes.data,
            kind=self.kind.data,
            attendees=id_tuple(self.attendees.data),
            other_attendees=self.other_attendees.data,
            topics=tuple(self.topics.data),
            notes=self.notes.data,
            next_follow_up=self.next_follow_up.data,
            actions=tuple(
                ActionInput(description=row.description.data, owner=row.owner.data, due_on=row.due_on.data)
                for row in (entry.form for entry in self.actions)
                if row.description.data
            ),
        )


class AmendmentForm(FlaskForm):
    text = TextAreaField(
        _l("Correction"), filters=[stripped], validators=[DataRequired(_l("Write the correction.")), Length(max=20000)]
    )
    reason = StringField(_l("Why the note is corrected"), filters=[stripped], validators=[Length(max=300)])

    def to_input(self) -> AmendmentInput:
        return AmendmentInput(text=self.text.data, reason=self.reason.data)


class ActionStatusForm(FlaskForm):
    version = _version()
    status = SelectField(
        _l("Status"), choices=_pairs(ACTION_LABELS), validators=[DataRequired(_l("Choose the status."))]
    )
    due_on = DateField(_l("Due date"), validators=[DataRequired(_l("Enter the due date."))])

    def to_input(self) -> ActionChanges:
        return ActionChanges(status=self.status.data, due_on=self.due_on.data)


class AttendanceForm(FlaskForm):
    child_id = SelectField(
        _l("Child"), validate_choice=False, validators=[DataRequired(_l("Choose the child.")), picked_ids]
    )
    institution_kind = SelectField(
        _l("Institution"), choices=_pairs(INSTITUTION_LABELS), validators=[DataRequired(_l("Choose the institution."))]
    )
    institution_name = StringField(_l("Name of the institution"), filters=[stripped], validators=[Length(max=200)])
    period_start = DateField(_l("Period from"), validators=[DataRequired(_l("Enter the first day of the period."))])
    period_end = DateField(_l("Period to"), validators=[DataRequired(_l("Enter the last day of the period."))])
    attendance_percent = FloatField(
        _l("Attendance (%)"), validators=[Optional(), NumberRange(0, 100, _l("A percentage between 0 and 100."))]
    )
    days_absent = IntegerField(
        _l("Days absent"), validators=[Optional(), NumberRange(0, 366, _l("A whole number of days between 0 and 366."))]
    )
    concern = BooleanField(_l("Attendance gives cause for concern"))
    note = TextAreaField(_l("Remark"), filters=[stripped], validators=[Length(max=2000)])

    def validate_period_end(self, field):
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError(_l("The period ends before it starts."))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        # Either number will do, but one is needed (an empty field stops its own validators, so here).
        percent, absent = self.attendance_percent, self.days_absent
        if percent.data is None and absent.data is None and not percent.errors and not absent.errors:
            percent.errors = [*percent.errors, _l("Give the attendance as a percentage or the days absent.")]
            ok = False
        return ok

    def to_input(self) -> AttendanceInput:
        return AttendanceInput(
            child_id=parse_uuid(self.child_id.data),
            institution_kind=self.institution_kind.data,
            institution_name=self.institution_name.data,
            period_start=self.period_start.data,
            period_end=self.period_end.data,
            attendance_percent=self.attendance_percent.data,
            days_absent=self.days_absent.data,
            concern=bool(self.concern.data),
            note=self.note.data,
        )


class AttendanceEditForm(AttendanceForm):
    version = _version()


class ReferralForm(FlaskForm):
    service = SelectField(
        _l("Service"), choices=_pairs(SERVICE_LABELS), validators=[DataRequired(_l("Choose the service."))]
    )
    service_other = StringField(_l("Name of the other service"), filters=[stripped], validators=[Length(max=120)])
    person_id = SelectField(_l("Who is referred"), validate_choice=False, validators=[Optional(), picked_ids])
    referred_on = DateField(_l("Date"), default=local_today, validators=[DataRequired(_l("Enter the date."))])
    status = SelectField(_l("Status"), choices=_pairs(REFERRAL_LABELS), default="planned")
    outcome = TextAreaField(_l("Outcome"), filters=[stripped], validators=[Length(max=5000)])

    def validate_service_other(self, field):
        if self.service.data == "other" and not field.data:
            raise ValidationError(_l("Name the service."))

    def to_input(self) -> ReferralInput:
        return ReferralInput(
            service=self.service.data,
            service_other=self.service_other.data if self.service.data == "other" else None,
            person_id=parse_uuid(self.person_id.data) if self.person_id.data else None,
            referred_on=self.referred_on.data,
            status=self.status.data,
            outcome=self.outcome.data,
        )


class ReferralEditForm(ReferralForm):
    version = _version()


class GroupSessionForm(FlaskForm):
    title = StringField(
        _l("Title"), filters=[stripped], validators=[DataRequired(_l("Give the meeting a title.")), Length(max=200)]
    )
    held_on = DateField(_l("Date"), default=local_today, validators=[DataRequired(_l("Enter the date."))])
    duration_minutes = _duration(90)
    topics = CheckboxesField(_l("Topics"), choices=_pairs(FOCUS_LABELS))
    area = SelectField(_l("Housing section"), default="", validators=[Optional()])
    description = TextAreaField(
        _l("Programme (no names of residents)"), filters=[stripped], validators=[Length(max=2000)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = choices(((a, a) for a in current_app.config["AREAS"]), blank="–")

    def to_input(self) -> GroupSessionInput:
        return GroupSessionInput(
            title=self.title.data,
            held_on=self.held_on.data,
            duration_minutes=self.duration_minutes.data,
            topics=tuple(self.topics.data),
            area=self.area.data or None,
            description=self.description.data,
        )


class GroupRegisterForm(FlaskForm):
    case_id = SelectField(
        _l("Parent present"), validate_choice=False, validators=[DataRequired(_l("Choose the parent.")), picked_ids]
    )

    def to_input(self) -> Registration:
        return Registration(case_id=parse_uuid(self.case_id.data))


# A record's current values in its edit form's terms: the pages prefill with them, and a JSON PATCH
# lays the sent fields over them, so both validate the same complete form.


def case_form_data(case) -> dict:
    return {
        "version": case.version,
        "status": case.status,
        "closing_reason": case.closing_reason or "",
        "closing_note": case.closing_note,
        "started_on": case.started_on,
        "focus_areas": case.focus_list,
        "children": [str(c) for c in case.child_ids],
        "background": case.background,
        **tag_form_data(PLAN_RECORD, case.id),
    }


def goal_form_data(goal) -> dict:
    return {"version": goal.version, "status": goal.status, "description": goal.description}


def action_form_data(action) -> dict:
    return {"version": action.version, "status": action.status, "due_on": action.due_on}


def attendance_form_data(record) -> dict:
    return {
        "version": record.version,
        "child_id": str(record.child_id),
        "institution_kind": record.institution_kind,
        "institution_name": record.institution_name,
        "period_start": record.period_start,
        "period_end": record.period_end,
        "attendance_percent": record.percent,
        "days_absent": record.absent,
        "concern": record.concern,
        "note": record.note,
    }


def referral_form_data(referral) -> dict:
    return {
        "version": referral.version,
        "service": referral.service,
        "service_other": referral.service_other,
        "person_id": str(referral.person_id) if referral.person_id else "",
        "referred_on": referral.referred_on,
        "status": referral.status,
        "outcome": referral.outcome,
    }
