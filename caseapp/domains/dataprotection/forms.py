"""Forms for consent, erasure, emergency access and reviews (used by the pages and the API)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from caseapp.domain import consent_purposes
from caseapp.domains.dataprotection.labels import GROUNDS, OUTCOMES
from caseapp.domains.dataprotection.models import BREAK_GLASS_MINUTES
from caseapp.forms import VersionField, choices
from caseapp.privacy.consent import GIVEN_BY, METHODS


class ConsentForm(FlaskForm):
    purpose = SelectField(
        _l("What the consent is for"), choices=[], validators=[DataRequired(_l("Choose what the consent is for."))]
    )
    given_by = SelectField(
        _l("Given by"), choices=choices(GIVEN_BY.items()), validators=[DataRequired(_l("Choose who gave the consent."))]
    )
    giver_name = StringField(_l("Name of the parent or guardian"), validators=[Optional(), Length(max=200)])
    method = SelectField(
        _l("How it was given"),
        choices=choices(METHODS.items()),
        validators=[DataRequired(_l("Choose how the consent was given."))],
    )
    witness = StringField(_l("Witness (for an oral consent)"), validators=[Optional(), Length(max=200)])
    given_on = DateField(_l("Date given"), validators=[InputRequired(_l("Write the date the consent was given."))])
    expires_on = DateField(_l("Expires on"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The purposes are what the app's domains declare, so the choices are made per request.
        self.purpose.choices = choices(consent_purposes().items(), blank="")

    def consent_data(self) -> dict:
        return {
            name: self[name].data
            for name in ("purpose", "given_by", "giver_name", "method", "witness", "given_on", "expires_on")
        }


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why the consent is withdrawn"),
        validators=[DataRequired(_l("Write why the consent was withdrawn.")), Length(max=2000)],
    )
    version = VersionField()


class ErasureForm(FlaskForm):
    ground = SelectField(
        _l("Ground for erasure"),
        choices=choices(GROUNDS.items(), blank=""),
        validators=[DataRequired(_l("Choose the ground for the erasure."))],
    )
    reason = TextAreaField(
        _l("Reason (kept after the erasure)"),
        validators=[DataRequired(_l("Write why the person is erased.")), Length(max=500)],
    )
    confirm = BooleanField(
        _l("I understand that the erasure cannot be undone"),
        validators=[DataRequired(_l("Confirm that you understand the erasure cannot be undone."))],
    )


class BreakGlassForm(FlaskForm):
    cpr = StringField(_l("The resident's CPR number"), validators=[Optional(), Length(max=20)])
    person_id = StringField(_l("Or the resident's id"), validators=[Optional(), Length(max=40)])
    reason = TextAreaField(
        _l("The emergency"), validators=[DataRequired(_l("Describe the emergency.")), Length(min=10, max=2000)]
    )
    minutes = RadioField(
        _l("For how long"),
        default=60,
        coerce=int,
        choices=choices((m, _l("%(n)d minutes", n=m)) for m in BREAK_GLASS_MINUTES),
        validators=[DataRequired(_l("Choose how long you need access."))],
    )


class ReviewForm(FlaskForm):
    outcome = SelectField(
        _l("Outcome"),
        choices=choices(OUTCOMES.items()),
        validators=[DataRequired(_l("Choose the outcome of the review."))],
    )


class PersonLookupForm(FlaskForm):
    cpr = StringField(_l("CPR number"), validators=[DataRequired(_l("Write a CPR number.")), Length(max=20)])
