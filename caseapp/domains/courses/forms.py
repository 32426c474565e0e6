"""Forms of youth courses: the one validator of every input, for pages and API alike."""

from __future__ import annotations

from flask_babel import format_date
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
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from caseapp.clock import local_today
from caseapp.domains.courses.labels import MARK_LABELS, OUTCOME_LABELS, PARTNER_LABELS, WEEKDAYS
from caseapp.domains.courses.models import MARKS
from caseapp.domains.courses.services import CourseInput, MarkInput, Pattern, SessionInput
from caseapp.forms import CheckboxesField, VersionField, choices
from caseapp.plan.tagging import PlanTagFields
from caseapp.register.services import outside_ages


class CourseForm(PlanTagFields, FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    starts_on = DateField(_l("Start date"), default=local_today, validators=[DataRequired(_l("Enter the start date."))])
    ends_on = DateField(_l("End date"), validators=[DataRequired(_l("Enter the end date."))])
    capacity = IntegerField(
        _l("Places"), default=15, validators=[InputRequired(_l("Enter the number of places.")), NumberRange(1, 500)]
    )
    age_min = IntegerField(_l("Youngest age"), validators=[Optional(), NumberRange(0, 120)])
    age_max = IntegerField(_l("Oldest age"), validators=[Optional(), NumberRange(0, 120)])
    location = StringField(_l("Location"), validators=[Optional(), Length(max=200)])
    partner_kind = SelectField(_l("Partner"), choices=choices(PARTNER_LABELS.items()), default="none")
    partner_name = StringField(_l("Partner's name"), validators=[Optional(), Length(max=200)])
    partner_association_id = SelectField(_l("Association"), validate_choice=False, validators=[Optional()])
    target_participants = IntegerField(_l("Target: participants"), validators=[Optional(), NumberRange(0, 10000)])
    target_completions = IntegerField(_l("Target: completions"), validators=[Optional(), NumberRange(0, 10000)])
    min_attendance_pct = IntegerField(
        _l("Completion: minimum attendance (percent)"), default=75, validators=[Optional(), NumberRange(0, 100)]
    )
    follow_up_months = StringField(
        _l("Follow-up after the end (months, comma separated)"),
        default="3,6",
        validators=[
            DataRequired(),
            Regexp(r"^\s*\d{1,2}(\s*,\s*\d{1,2})*\s*$", message=_l("Months as numbers, e.g. 3,6")),
        ],
    )

    def to_input(self) -> CourseInput:
        months = ",".join(str(m) for m in sorted({int(x) for x in self.follow_up_months.data.split(",")}))
        return CourseInput(
            title=self.title.data.strip(),
            description=(self.description.data or "").strip(),
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            capacity=self.capacity.data,
            age_min=self.age_min.data,
            age_max=self.age_max.data,
            location=(self.location.data or "").strip(),
            partner_name=(self.partner_name.data or "").strip(),
            partner_kind=self.partner_kind.data,
            partner_association_id=self.partner_association_id.data or None,
            target_participants=self.target_participants.data,
            target_completions=self.target_completions.data,
            min_attendance_pct=self.min_attendance_pct.data,
            follow_up_months=months,
            plan_tags=self.plan_tag_input(),
        )


class CourseCreateForm(CourseForm):
    pattern_weekday = SelectField(
        _l("Weekly session: weekday"), choices=choices(WEEKDAYS, blank="–"), validators=[Optional()]
    )
    pattern_starts_at = TimeField(_l("Weekly session: starts"), validators=[Optional()])
    pattern_ends_at = TimeField(_l("Weekly session: ends"), validators=[Optional()])
    pattern_topic = StringField(_l("Weekly session: topic"), validators=[Optional(), Length(max=200)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.pattern_weekday.data not in (None, ""):
            for f in (self.pattern_starts_at, self.pattern_ends_at):
                if f.data is None:
                    f.errors = [*f.errors, _l("Enter the weekly session's times.")]
                    ok = False
        return ok

    def pattern(self) -> Pattern | None:
        if self.pattern_weekday.data in (None, ""):
            return None
        return Pattern(
            int(self.pattern_weekday.data),
            self.pattern_starts_at.data,
            self.pattern_ends_at.data,
            (self.pattern_topic.data or "").strip(),
        )


class CourseEditForm(CourseForm):
    version = VersionField()


def course_form_data(course) -> dict:
    from caseapp.domains.courses.models import PLAN_RECORD
    from caseapp.plan.tagging import tag_form_data

    data = {
        name: getattr(course, name)
        for name in (
            "title",
            "description",
            "starts_on",
            "ends_on",
            "capacity",
            "age_min",
            "age_max",
            "location",
            "partner_kind",
            "partner_name",
            "partner_association_id",
            "target_participants",
            "target_completions",
            "min_attendance_pct",
            "follow_up_months",
            "version",
        )
    }
    return {**data, **tag_form_data(PLAN_RECORD, course.record_key)}


class SessionForm(FlaskForm):
    held_on = DateField(_l("Date"), validators=[DataRequired(_l("Enter the date."))])
    starts_at = TimeField(_l("Starts"), validators=[DataRequired(_l("Enter the start time."))])
    ends_at = TimeField(_l("Ends"), validators=[DataRequired(_l("Enter the end time."))])
    topic = StringField(_l("Topic"), validators=[Optional(), Length(max=200)])
    required = BooleanField(_l("Required for completion"))

    def to_input(self) -> SessionInput:
        return SessionInput(
            self.held_on.data,
            self.starts_at.data,
            self.ends_at.data,
            (self.topic.data or "").strip(),
            bool(self.required.data),
        )


class EnrolForm(FlaskForm):
    person_id = StringField(_l("Participant"), validators=[DataRequired(_l("Choose a participant."))])
    age_reason = TextAreaField(
        _l("Reason for accepting outside the age band"), validators=[Optional(), Length(max=1000)]
    )


def band_label(low: int | None, high: int | None) -> str:
    return f"{'' if low is None else low}–{'' if high is None else high}"


class EnrolPageForm(EnrolForm):
    """The enrolment page: the person picker over `people` ((id, name, age at the course's start,
    household) rows), and someone outside the course's age band only with the confirmation ticked
    (the concern form's pattern): without it the form refuses and keeps what was chosen and typed."""

    confirm_age = BooleanField(_l("Yes, enrol them although they are outside the course's age band"))

    def __init__(self, *args, people=(), band=(None, None), **kwargs):
        super().__init__(*args, **kwargs)
        self._ages = {row[0]: row[2] for row in people}
        self._band = band

    def outside_band(self) -> int | None:
        """The chosen person's age when it is outside the band, else None."""
        age = self._ages.get(self.person_id.data)
        return age if outside_ages(age, *self._band) else None

    def validate_person_id(self, field):
        if field.data not in self._ages:
            raise ValidationError(_l("Choose a person from the list, or find them by CPR number."))
        age = self.outside_band()
        if age is not None and not self.confirm_age.data:
            raise ValidationError(
                _l(
                    "This person is %(age)d years old at the course's start, outside its age band "
                    "(%(band)s): confirm below if it is right.",
                    age=age,
                    band=band_label(*self._band),
                )
            )

    def validate_age_reason(self, field):
        if self.outside_band() is not None and not (field.data or "").strip():
            raise ValidationError(_l("They are outside the course's age band: record why they are accepted."))


class CprLookupForm(FlaskForm):
    cpr = StringField(
        _l("CPR number"),
        validators=[
            DataRequired(_l("Write the young person's CPR number.")),
            Regexp(r"^\s*\d{6}-?\d{4}\s*$", message=_l("Write the whole CPR number: DDMMYY-SSSS.")),
        ],
    )


class DropOutForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Say why they left.")), Length(max=1000)])
    version = VersionField()


class ConfirmForm(FlaskForm):
    version = VersionField()


class MarkForm(FlaskForm):
    """One mark of a register (the page's buttons post it; the page's script sends it as JSON)."""

    enrolment_id = StringField(_l("Participant"), validators=[DataRequired()])
    status = SelectField(
        _l("Mark"),
        choices=choices(MARK_LABELS.items()),
        validators=[DataRequired(_l("Choose present, late, excused or absent."))],
    )
    reason = StringField(_l("Reason for the change"), validators=[Optional(), Length(max=500)])

    def to_input(self) -> MarkInput:
        return MarkInput(self.enrolment_id.data, self.status.data, self.reason.data)


class _MarkRow(Form):
    enrolment_id = StringField(_l("Participant"))
    status = StringField(_l("Mark"), description=f"one of {', '.join(MARKS)}")
    reason = StringField(_l("Reason for the change"))


class RegisterForm(FlaskForm):
    """A whole register: each row is checked by the verb and answered on its own."""

    marks = FieldList(FormField(_MarkRow), min_entries=0, max_entries=500)

    def to_input(self) -> list[MarkInput]:
        return [
            MarkInput(row.enrolment_id.data or "", row.status.data or "", row.reason.data or None)
            for row in self.marks.entries
        ]


class RuleForm(FlaskForm):
    """The completion rule; `required_sessions`' choices are the course's sessions (rule_form)."""

    min_attendance_pct = IntegerField(_l("Minimum attendance (percent)"), validators=[Optional(), NumberRange(0, 100)])
    required_sessions = CheckboxesField(_l("Required sessions"), choices=[])


def rule_form(course, **kwargs) -> RuleForm:
    form = RuleForm(**kwargs)
    form.required_sessions.choices = choices(
        (str(s.id), f"{format_date(s.held_on)} {s.topic}".strip()) for s in course.sessions
    )
    return form


class StaffLeaderForm(FlaskForm):
    user_id = SelectField(
        _l("Course leader"), validate_choice=False, validators=[DataRequired(_l("Choose a course leader."))]
    )


class VolunteerLeaderForm(FlaskForm):
    person_id = StringField(_l("Volunteer"), validators=[DataRequired(_l("Choose a volunteer."))])


class OutcomeForm(FlaskForm):
    enrolment_id = StringField(_l("Participant"), validators=[DataRequired()])
    months = IntegerField(_l("Months after the end"), validators=[InputRequired(), NumberRange(1, 60)])
    outcome = SelectField(
        _l("Outcome"), choices=choices(OUTCOME_LABELS.items()), validators=[DataRequired(_l("Choose an outcome."))]
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=1000)])
