"""The one shape validator of each civil-society input, for the pages and (through validate_form) the API.
Rules that need the database (which association, vetting before placement, sums) are the verbs'."""

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
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from caseapp.clock import local_today
from caseapp.domains.community.labels import (
    AGE_LABELS,
    ASSESSMENT_LABELS,
    GENDER_LABELS,
    KIND_LABELS,
    ORGANISER_LABELS,
    SUPPORT_LABELS,
)
from caseapp.forms import CheckboxesField, VersionField, choices
from caseapp.plan.tagging import PlanTagFields

NOT_FUTURE = _l("The date cannot be in the future.")


def _text(value):
    if isinstance(value, str):
        value = value.strip()
    return value or None


def _not_future(form, field):
    if field.data and field.data > local_today():
        raise ValidationError(NOT_FUTURE)


def _version():
    return VersionField(validators=[InputRequired(_l("Send the version you last read."))])


def _areas(blank=_l("(none)")):
    return choices(((a, a) for a in current_app.config["AREAS"]), blank=blank)


class _Data:
    """form.values(): the submitted fields as the verbs take them (only those sent, for a PATCH)."""

    def values(self, *, partial: bool = False) -> dict:
        skip = {"csrf_token", "version"}
        data = {}
        for name, field in self._fields.items():
            if name in skip:
                continue
            if partial and not field.raw_data and field.type != "BooleanField":
                continue
            if partial and field.type == "BooleanField" and field.raw_data is None:
                continue
            data[name] = field.data
        return data


class AssociationForm(_Data, FlaskForm):
    name = StringField(_l("Name"), filters=[_text], validators=[DataRequired(_l("Enter the name.")), Length(max=200)])
    cvr = StringField(
        _l("CVR number"), filters=[_text], validators=[Optional(), Regexp(r"^[0-9]{8}$", message=_l("Eight digits."))]
    )
    folkeoplysende = BooleanField(_l("Folkeoplysende forening (public-education association)"))
    active = BooleanField(_l("Active"), default=True)
    contact_volunteer_id = SelectField(_l("Contact person"), validate_choice=False, validators=[Optional()])
    declared_on = DateField(_l("Yearly child-protection declaration given"), validators=[Optional(), _not_future])
    description = TextAreaField(_l("Activities and purpose"), filters=[_text], validators=[Length(max=2000)])


class AssociationEditForm(AssociationForm):
    version = _version()


class SupportForm(_Data, FlaskForm):
    kind = SelectField(_l("Kind of support"), choices=choices(SUPPORT_LABELS.items()))
    amount = FloatField(
        _l("Amount (kr. or hours)"), validators=[Optional(), NumberRange(0, 10_000_000, _l("0 or more."))]
    )
    given_on = DateField(_l("Date"), default=local_today, validators=[DataRequired(_l("Enter the date.")), _not_future])
    description = StringField(_l("What"), filters=[_text], validators=[Length(max=500)])


class VolunteerForm(_Data, FlaskForm):
    person_id = StringField(
        _l("Person already in the register"), filters=[_text], validators=[Optional(), Length(max=36)]
    )
    first_name = StringField(_l("First name"), filters=[_text], validators=[Length(max=100)])
    last_name = StringField(_l("Last name"), filters=[_text], validators=[Length(max=100)])
    phone = StringField(_l("Phone"), filters=[_text], validators=[Length(max=30)])
    email = StringField(
        _l("Email"), filters=[_text], validators=[Optional(), Email(_l("Not an email address.")), Length(max=200)]
    )
    area = SelectField(_l("Housing section"), validate_choice=False, validators=[Optional()])
    associations = CheckboxesField(_l("Associations"), validate_choice=False)
    started_on = DateField(_l("Volunteer since"), default=local_today, validators=[Optional()])
    ended_on = DateField(_l("Stopped volunteering"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = _areas()

    def _linking(self) -> bool:
        linked = self._fields.get("person_id")
        return bool(linked is not None and linked.data)

    def validate_first_name(self, field):
        if not self._linking() and not field.data:
            raise ValidationError(_l("Enter the volunteer's name."))

    validate_last_name = validate_first_name

    def validate_ended_on(self, field):
        if field.data and self.started_on.data and field.data < self.started_on.data:
            raise ValidationError(_l("Cannot be before the start."))


class VolunteerEditForm(VolunteerForm):
    version = _version()

    def validate_first_name(self, field):
        if self.first_name.raw_data is not None and not field.data:
            raise ValidationError(_l("Enter the volunteer's name."))

    validate_last_name = validate_first_name


class VettingForm(_Data, FlaskForm):
    """Only dates, the assessment and a note: the certificate itself is never taken (no file field)."""

    requested_on = DateField(
        _l("Requested"),
        default=local_today,
        validators=[DataRequired(_l("Enter when the certificate was requested.")), _not_future],
    )
    consent_on = DateField(_l("Consent given"), validators=[Optional(), _not_future])
    consent_refused_on = DateField(_l("Consent refused"), validators=[Optional(), _not_future])
    received_on = DateField(_l("Certificate received"), validators=[Optional(), _not_future])
    assessment = SelectField(
        _l("Assessment"), choices=choices(ASSESSMENT_LABELS.items(), blank=_l("(not yet)")), validators=[Optional()]
    )
    note = TextAreaField(_l("Note"), filters=[_text], validators=[Length(max=1000)])

    def values(self, *, partial: bool = False) -> dict:
        data = super().values(partial=partial)
        if "assessment" in data:
            data["assessment"] = data["assessment"] or None
        return data


class VettingEditForm(VettingForm):
    version = _version()


class PlacementForm(_Data, FlaskForm):
    activity_id = SelectField(
        _l("Activity"), validate_choice=False, validators=[DataRequired(_l("Choose the activity."))]
    )
    role = StringField(_l("Role"), filters=[_text], validators=[Length(max=100)])
    children_contact = BooleanField(_l("The role brings direct contact with children under 15"), default=True)
    placed_on = DateField(_l("From"), default=local_today, validators=[Optional()])
    override_reason = TextAreaField(
        _l("Reason for placing without a valid certificate (leaders only)"),
        filters=[_text],
        validators=[Length(max=1000)],
    )


class HoursForm(_Data, FlaskForm):
    activity_id = SelectField(
        _l("Activity"), validate_choice=False, validators=[DataRequired(_l("Choose the activity."))]
    )
    given_on = DateField(_l("Date"), default=local_today, validators=[DataRequired(_l("Enter the date.")), _not_future])
    hours = FloatField(
        _l("Hours"),
        validators=[InputRequired(_l("Enter the hours.")), NumberRange(0.25, 24, _l("Between 0.25 and 24 hours."))],
    )


class ActivityForm(_Data, PlanTagFields, FlaskForm):
    title = StringField(
        _l("Title"), filters=[_text], validators=[DataRequired(_l("Enter the title.")), Length(max=200)]
    )
    kind = SelectField(_l("Kind"), choices=choices(KIND_LABELS.items()))
    area = SelectField(_l("Place (housing section)"), validate_choice=False, validators=[Optional()])
    organiser = SelectField(_l("Organiser"), choices=choices(ORGANISER_LABELS.items()), default="staff")
    association_id = SelectField(_l("Organising association"), validate_choice=False, validators=[Optional()])
    for_under_15 = BooleanField(_l("For children under 15"))
    recurring = BooleanField(_l("Recurring (each occurrence is recorded)"))
    starts_on = DateField(_l("Starts"), default=local_today, validators=[DataRequired(_l("Enter the start."))])
    ends_on = DateField(_l("Ends"), validators=[Optional()])
    description = TextAreaField(_l("Description"), filters=[_text], validators=[Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = _areas()

    def validate_area(self, field):
        if field.data and field.data not in current_app.config["AREAS"]:
            raise ValidationError(_l("Choose a housing section from the list."))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("Cannot be before the start."))


class ActivityEditForm(ActivityForm):
    version = _version()


class CountForm(Form):
    """One cell of an anonymous head count."""

    age_band = SelectField(_l("Age band"), choices=choices(AGE_LABELS.items()))
    gender = SelectField(_l("Gender"), choices=choices(GENDER_LABELS.items()))
    resident = BooleanField(_l("Lives in the area"))
    count = IntegerField(
        _l("Number"),
        default=0,
        validators=[
            InputRequired(_l("A whole number, 0 or more.")),
            NumberRange(0, 100_000, _l("A whole number, 0 or more.")),
        ],
    )


class OccurrenceForm(_Data, FlaskForm):
    held_on = DateField(_l("Date"), default=local_today, validators=[DataRequired(_l("Enter the date.")), _not_future])
    total = IntegerField(
        _l("Total present"),
        validators=[InputRequired(_l("Enter the total.")), NumberRange(0, 100_000, _l("A whole number, 0 or more."))],
    )
    counts = FieldList(FormField(CountForm), label=_l("Head count by group"), min_entries=0, max_entries=200)

    def validate_total(self, field):
        if field.data is None or any(c.form.count.data is None for c in self.counts):
            return
        parts = sum(c.form.count.data for c in self.counts)
        if parts != field.data:
            raise ValidationError(
                _l("The total (%(total)d) is not the sum of the groups (%(sum)d).", total=field.data, sum=parts)
            )

    def count_data(self) -> dict:
        return {
            "held_on": self.held_on.data,
            "total": self.total.data,
            "counts": [
                {
                    "age_band": c.form.age_band.data,
                    "gender": c.form.gender.data,
                    "resident": c.form.resident.data,
                    "count": c.form.count.data,
                }
                for c in self.counts
            ],
        }


def grid_formdata() -> list[dict]:
    """The cells of the page's head-count grid, in the order it shows them."""
    return [
        {"age_band": a, "gender": g, "resident": r, "count": 0}
        for r in (True, False)
        for a in AGE_LABELS
        for g in GENDER_LABELS
    ]
