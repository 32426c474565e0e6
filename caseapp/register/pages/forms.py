"""Forms for residents, households, search and assignments (used by the pages and the API)."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import UUID, DataRequired, Email, Length, Optional, ValidationError

from caseapp.domain import all_programmes
from caseapp.forms import VersionField, choices, optional_int
from caseapp.register.labels import GENDER_LABELS, RELATION_LABELS
from caseapp.register.models import GENDERS, RELATIONS
from caseapp.register.services import PERSON_FIELDS, PersonInput, cpr_parts


def _valid_cpr(form, field):
    if field.data and field.data.strip() and cpr_parts(field.data)[0] is None:
        raise ValidationError(_l("Not a valid CPR number. Write it as DDMMYY-SSSS."))


class PersonForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(_l("Enter the first name.")), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(_l("Enter the last name.")), Length(max=100)])
    cpr = StringField(_l("CPR number"), validators=[Optional(), _valid_cpr])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(_l("Enter a valid e-mail address."))])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    area = SelectField(_l("Housing section"), validators=[Optional()])
    gender = SelectField(
        _l("Gender"),
        validators=[Optional()],
        default="",
        choices=choices(((g, GENDER_LABELS[g]) for g in GENDERS), blank=_l("(not stated)")),
    )
    preferred_language = StringField(_l("Preferred language"), validators=[Optional(), Length(max=60)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = choices(((a, a) for a in current_app.config["AREAS"]), blank=_l("(none)"))

    def to_input(self) -> PersonInput:
        return PersonInput(**{name: self[name].data for name in PERSON_FIELDS})


class SearchForm(FlaskForm):
    cpr = StringField(_l("CPR number"), validators=[Optional()])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if not (self.cpr.data or "").strip() and not (self.name.data or "").strip():
            self.name.errors.append(_l("Enter a CPR number or a name."))
            return False
        return True


class MemberForm(FlaskForm):
    # The page offers the user's caseload; whether the resident may be seen is the route's check (404).
    person_id = SelectField(_l("Resident"), validate_choice=False, validators=[DataRequired(_l("Choose a resident."))])
    relation = SelectField(_l("Relation"), choices=choices((r, RELATION_LABELS[r]) for r in RELATIONS))
    version = VersionField()


class HouseholdMemberForm(Form):
    person_id = StringField(_l("Resident"), validators=[DataRequired(_l("Choose a resident.")), UUID()])
    relation = SelectField(_l("Relation"), choices=choices((r, RELATION_LABELS[r]) for r in RELATIONS))


class HouseholdForm(FlaskForm):
    area = SelectField(_l("Housing section"), validators=[Optional()])
    members = FieldList(FormField(HouseholdMemberForm), min_entries=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = choices(((a, a) for a in current_app.config["AREAS"]), blank=_l("(none)"))


class EndAssignmentForm(FlaskForm):
    ends_on = DateField(_l("Ends"), validators=[Optional()])


class AssignmentForm(FlaskForm):
    # The page offers the frontline staff; whether the account is active is the route's check.
    user_id = SelectField(
        _l("Staff member"),
        validate_choice=False,
        coerce=optional_int,
        validators=[DataRequired(_l("Choose a staff member."))],
    )
    programme = SelectField(_l("Programme"))
    starts_on = DateField(_l("Starts"), validators=[Optional()])
    ends_on = DateField(_l("Ends"), validators=[Optional()])

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end is before the start."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The programmes are what the app's domains declare.
        self.programme.choices = choices((p.code, p.label) for p in all_programmes())
