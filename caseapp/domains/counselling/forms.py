"""Forms of parent counselling, used by the pages and (through validate_form) by the JSON API.

The forms check shape (types, lengths, known codes); the rules that need the database (whose person,
which child, closed cases) are the services' business.
"""

from __future__ import annotations

from datetime import date

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
from caseapp.forms import CheckboxesField, VersionField, choices
from caseapp.plan.tagging import PlanTagFields, tag_form_data
from caseapp.privacy import DisplayNames

FOCUS_LABELS = {
    "language": _l("Language development"),
    "democracy": _l("Democratic formation"),
    "attendance": _l("Attendance"),
    "parental_responsibility": _l("Parental responsibility"),
    "other": _l("Other"),
}
STATUS_LABELS = {"open": _l("Open"), "paused": _l("Paused"), "closed": _l("Closed")}
CLOSING_LABELS = {
    "goals_met": _l("Goals reached"),
    "family_ended": _l("The family ended the counselling"),
    "moved": _l("The family moved"),
    "referred_on": _l("Referred to another service"),
    "no_contact": _l("No contact"),
    "other": _l("Other reason"),
}
GOAL_LABELS = {"agreed": _l("Agreed"), "in_progress": _l("In progress"), "achieved": _l("Achieved"),
               "dropped": _l("Dropped")}
KIND_LABELS = {
    "home_visit": _l("Home visit"),
    "office": _l("Meeting at the office"),
    "phone": _l("Phone call"),
    "group_session": _l("Group session"),
    "institution_visit": _l("Accompanied visit to an institution"),
}
OWNER_LABELS = {"counsellor": _l("Counsellor"), "parent": _l("Parent"), "child": _l("Child"),
                "institution": _l("Institution"), "other": _l("Someone else")}
ACTION_LABELS = {"open": _l("Open"), "done": _l("Done"), "dropped": _l("Dropped")}
INSTITUTION_LABELS = {"day_care": _l("Day care"), "kindergarten": _l("Kindergarten"), "school": _l("School"),
                      "youth_education": _l("Youth education")}
SERVICE_LABELS = {
    "health_visitor": _l("Health visitor"),
    "ppr": _l("Educational-psychological counselling (PPR)"),
    "family_department": _l("Family department"),
    "job_centre": _l("Job centre"),
    "other": _l("Other service"),
}
REFERRAL_LABELS = {"planned": _l("Planned"), "sent": _l("Sent"), "accepted": _l("Accepted"),
                   "declined": _l("Declined"), "completed": _l("Completed"), "withdrawn": _l("Withdrawn")}

LABELS = {
    "focus": FOCUS_LABELS, "status": STATUS_LABELS, "closing": CLOSING_LABELS, "goal": GOAL_LABELS,
    "kind": KIND_LABELS, "owner": OWNER_LABELS, "action": ACTION_LABELS, "institution": INSTITUTION_LABELS,
    "service": SERVICE_LABELS, "referral": REFERRAL_LABELS,
}

# How counselling's records read in a resident's access export (see caseapp/privacy.py).
EXPORT_NAMES = DisplayNames(
    title=_l("Parent counselling"),
    kinds={"counselling_case": _l("Counselling case"), "counselling_attendance": _l("Attendance follow-up"),
           "counselling_referral": _l("Referral"), "counselling_session_attendance": _l("Took part in a session")},
    fields={"role": _l("Your part"), "status": _l("Status"), "started_on": _l("Started"), "closed_on": _l("Closed"),
            "closing_reason": _l("Closing reason"), "focus_areas": _l("Focus areas"), "goals": _l("Goals"),
            "description": _l("Description"), "sessions": _l("Sessions"), "held_on": _l("Date"),
            "duration_minutes": _l("Duration (minutes)"), "session_kind": _l("Kind of session"),
            "topics": _l("Topics"), "notes": _l("Notes"), "note": _l("Note"), "amendments": _l("Amendments"),
            "actions": _l("Agreed actions"), "owner": _l("Owner"), "due_on": _l("Due"),
            "next_follow_up": _l("Next follow-up"), "attendees": _l("Present"), "referrals": _l("Referrals"),
            "service": _l("Service"), "referred_on": _l("Referred"), "outcome": _l("Outcome"),
            "institution_kind": _l("Institution"), "institution_name": _l("Name of the institution"),
            "period_start": _l("From"), "period_end": _l("To"), "attendance_percent": _l("Attendance (%)"),
            "days_absent": _l("Days absent"), "group_sessions": _l("Parent groups"), "title": _l("Title")},
    codes={"status": STATUS_LABELS | REFERRAL_LABELS | ACTION_LABELS, "closing_reason": CLOSING_LABELS,
           "focus_areas": FOCUS_LABELS, "topics": FOCUS_LABELS, "session_kind": KIND_LABELS,
           "owner": OWNER_LABELS, "institution_kind": INSTITUTION_LABELS, "service": SERVICE_LABELS,
           "role": {"parent": _l("Parent"), "child": _l("Child")}},
    objects={"counselling_case": _l("Counselling case"), "counselling_session": _l("Counselling session"),
             "counselling_referral": _l("Referral"), "counselling_attendance": _l("Attendance follow-up"),
             "counselling_group_session": _l("Parent group")},
)

PLAN_RECORD = "counselling_case"  # how the plan's tags name a counselling case

NOT_FUTURE = _l("The date cannot be in the future.")


def _pairs(labels: dict) -> list:
    return choices(labels.items())


def _required(message):
    return DataRequired(message)


class CaseOpenForm(PlanTagFields, FlaskForm):
    person_id = SelectField(_l("Parent"), validate_choice=False,
                            validators=[_required(_l("Choose the parent the case is for."))])
    household_id = SelectField(_l("Household"), validate_choice=False, validators=[Optional()])
    started_on = DateField(_l("Start date"), default=date.today,
                           validators=[_required(_l("Enter the start date."))])
    focus_areas = CheckboxesField(_l("Focus areas"), choices=_pairs(FOCUS_LABELS),
                                  validators=[_required(_l("Choose at least one focus area."))])
    children = CheckboxesField(_l("Children the case concerns"), validate_choice=False)
    background = TextAreaField(_l("Background and wishes of the family"), validators=[Length(max=5000)])


class CaseEditForm(PlanTagFields, FlaskForm):
    version = VersionField()
    status = SelectField(_l("Status"), choices=_pairs(STATUS_LABELS))
    closing_reason = SelectField(_l("Closing reason"), choices=choices(CLOSING_LABELS.items(), blank="–"),
                                 validators=[Optional()])
    closing_note = TextAreaField(_l("Closing note"), validators=[Length(max=5000)])
    started_on = DateField(_l("Start date"), validators=[_required(_l("Enter the start date."))])
    focus_areas = CheckboxesField(_l("Focus areas"), choices=_pairs(FOCUS_LABELS),
                                  validators=[_required(_l("Choose at least one focus area."))])
    children = CheckboxesField(_l("Children the case concerns"), validate_choice=False)
    background = TextAreaField(_l("Background and wishes of the family"), validators=[Length(max=5000)])

    def validate_closing_reason(self, field):
        if self.status.data == "closed" and not field.data:
            raise ValidationError(_l("Give the reason the case is closed."))


class GoalForm(FlaskForm):
    description = StringField(_l("Goal"), validators=[_required(_l("Describe the goal.")), Length(max=1000)])
    status = SelectField(_l("Status"), choices=_pairs(GOAL_LABELS), default="agreed")
    agreed_on = DateField(_l("Agreed on"), default=date.today, validators=[Optional()])


class GoalStatusForm(FlaskForm):
    version = VersionField()
    description = StringField(_l("Goal"), validators=[_required(_l("Describe the goal.")), Length(max=1000)])
    status = SelectField(_l("Status"), choices=_pairs(GOAL_LABELS))


class ActionEntryForm(Form):
    """One agreed action in the session form; a blank row is ignored."""

    description = StringField(_l("Agreed action"), validators=[Optional(), Length(max=500)])
    owner = SelectField(_l("Owner"), choices=choices(OWNER_LABELS.items(), blank="–"), validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[Optional()])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if (self.description.data or "").strip():
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
    held_on = DateField(_l("Date"), default=date.today, validators=[_required(_l("Enter the date."))])
    duration_minutes = IntegerField(_l("Duration (minutes)"), default=60, validators=[
        InputRequired(_l("Enter the duration.")), NumberRange(1, 720, _l("Between 1 and 720 minutes."))])
    kind = SelectField(_l("Kind of session"), choices=_pairs(KIND_LABELS))
    attendees = CheckboxesField(_l("Who attended"), validate_choice=False)
    other_attendees = StringField(_l("Others present (e.g. interpreter, teacher)"), validators=[Length(max=300)])
    topics = CheckboxesField(_l("Topics"), choices=_pairs(FOCUS_LABELS))
    notes = TextAreaField(_l("Session note"), validators=[_required(_l("Write what was talked about.")),
                                                   Length(max=20000)])
    next_follow_up = DateField(_l("Next follow-up"), validators=[Optional()])
    actions = FieldList(FormField(ActionEntryForm), min_entries=3, max_entries=10)

    def validate_held_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(NOT_FUTURE)

    def validate_next_follow_up(self, field):
        if field.data and self.held_on.data and field.data < self.held_on.data:
            raise ValidationError(_l("The follow-up cannot be before the session."))


class AmendmentForm(FlaskForm):
    text = TextAreaField(_l("Correction"), validators=[_required(_l("Write the correction.")),
                                                       Length(max=20000)])
    reason = StringField(_l("Why the note is corrected"), validators=[Length(max=300)])


class ActionStatusForm(FlaskForm):
    version = VersionField()
    status = SelectField(_l("Status"), choices=_pairs(ACTION_LABELS))
    due_on = DateField(_l("Due date"), validators=[_required(_l("Enter the due date."))])


class AttendanceForm(FlaskForm):
    version = VersionField()
    child_id = SelectField(_l("Child"), validate_choice=False, validators=[_required(_l("Choose the child."))])
    institution_kind = SelectField(_l("Institution"), choices=_pairs(INSTITUTION_LABELS))
    institution_name = StringField(_l("Name of the institution"), validators=[Length(max=200)])
    period_start = DateField(_l("Period from"), validators=[_required(_l("Enter the first day of the period."))])
    period_end = DateField(_l("Period to"), validators=[_required(_l("Enter the last day of the period."))])
    attendance_percent = FloatField(_l("Attendance (%)"), validators=[
        Optional(), NumberRange(0, 100, _l("A percentage between 0 and 100."))])
    days_absent = IntegerField(_l("Days absent"), validators=[
        Optional(), NumberRange(0, 366, _l("A whole number of days between 0 and 366."))])
    concern = BooleanField(_l("Attendance gives cause for concern"))
    note = TextAreaField(_l("Remark"), validators=[Length(max=2000)])

    def validate_period_end(self, field):
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError(_l("The period ends before it starts."))

    def validate_attendance_percent(self, field):
        if field.data is None and self.days_absent.data is None and not field.errors and not self.days_absent.errors:
            raise ValidationError(_l("Give the attendance as a percentage or the days absent."))


class ReferralForm(FlaskForm):
    version = VersionField()
    service = SelectField(_l("Service"), choices=_pairs(SERVICE_LABELS))
    service_other = StringField(_l("Name of the other service"), validators=[Length(max=120)])
    person_id = SelectField(_l("Who is referred"), validate_choice=False, validators=[Optional()])
    referred_on = DateField(_l("Date"), default=date.today, validators=[_required(_l("Enter the date."))])
    status = SelectField(_l("Status"), choices=_pairs(REFERRAL_LABELS), default="planned")
    outcome = TextAreaField(_l("Outcome"), validators=[Length(max=5000)])

    def validate_service_other(self, field):
        if self.service.data == "other" and not (field.data or "").strip():
            raise ValidationError(_l("Name the service."))


class GroupSessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[_required(_l("Give the meeting a title.")), Length(max=200)])
    held_on = DateField(_l("Date"), default=date.today, validators=[_required(_l("Enter the date."))])
    duration_minutes = IntegerField(_l("Duration (minutes)"), default=90, validators=[
        InputRequired(_l("Enter the duration.")), NumberRange(1, 720, _l("Between 1 and 720 minutes."))])
    topics = CheckboxesField(_l("Topics"), choices=_pairs(FOCUS_LABELS))
    area = SelectField(_l("Housing section"), validate_choice=False, validators=[Optional()])
    description = TextAreaField(_l("Programme (no names of residents)"), validators=[Length(max=2000)])


class GroupRegisterForm(FlaskForm):
    case_id = SelectField(_l("Parent present"), validate_choice=False,
                          validators=[_required(_l("Choose the parent."))])


# A record's current values in its edit form's terms: the pages prefill with them, and a JSON PATCH
# lays the sent fields over them, so both validate the same complete form.

def case_form_data(case) -> dict:
    return {"version": case.version, "status": case.status, "closing_reason": case.closing_reason or "",
            "closing_note": case.closing_note, "started_on": case.started_on, "focus_areas": case.focus_list,
            "children": [str(c) for c in case.child_ids], "background": case.background,
            **tag_form_data(PLAN_RECORD, case.id)}


def goal_form_data(goal) -> dict:
    return {"version": goal.version, "status": goal.status, "description": goal.description}


def action_form_data(action) -> dict:
    return {"version": action.version, "status": action.status, "due_on": action.due_on}


def attendance_form_data(record) -> dict:
    return {"version": record.version, "child_id": str(record.child_id), "institution_kind": record.institution_kind,
            "institution_name": record.institution_name, "period_start": record.period_start,
            "period_end": record.period_end, "attendance_percent": record.percent, "days_absent": record.absent,
            "concern": record.concern, "note": record.note}


def referral_form_data(referral) -> dict:
    return {"version": referral.version, "service": referral.service, "service_other": referral.service_other,
            "person_id": str(referral.person_id) if referral.person_id else "", "referred_on": referral.referred_on,
            "status": referral.status, "outcome": referral.outcome}
