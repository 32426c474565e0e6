"""Forms for filing, triage, actions, shares, amendments and notifications (used by the pages and the API).

The forms are the one check of shape (required fields, lengths, choices, dates in the right range) for
the pages and the API alike; the verbs in services.py check only what needs the database or the concern
itself (who may see whom, which transitions exist from its state, consent on record, the notification).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from caseapp.clock import local_today
from caseapp.domains.concerns.labels import (
    AMENDABLE,
    AREA_ELSEWHERE,
    CATEGORIES,
    LEGAL_BASES,
    OUTCOMES,
    PARTS,
    RECIPIENTS,
    SEVERITIES,
    SOURCES,
)
from caseapp.domains.concerns.models import ELSEWHERE, MAX_SHARE_DAYS, SUMMARY_LENGTH
from caseapp.forms import CheckboxesField, VersionField, choices, optional_int


def area_choices(areas):
    return choices([*((a, a) for a in areas), (ELSEWHERE, AREA_ELSEWHERE)], blank=_l("Choose…"))


class AssessmentFields:
    """What is assessed at filing and may be reassessed in triage."""

    observed_on = DateField(_l("Observed on"), validators=[DataRequired(_l("Enter the date it was observed."))])
    area = SelectField(_l("Where (housing section)"), validators=[DataRequired(_l("Choose where it was observed."))])
    source = SelectField(
        _l("Source"),
        choices=choices(SOURCES.items(), blank=_l("Choose…")),
        validators=[DataRequired(_l("Choose where the concern comes from."))],
    )
    category = SelectField(
        _l("Category"),
        choices=choices(CATEGORIES.items(), blank=_l("Choose…")),
        validators=[DataRequired(_l("Choose a category."))],
    )
    severity = SelectField(
        _l("Severity"),
        choices=choices(SEVERITIES.items(), blank=_l("Choose…")),
        validators=[DataRequired(_l("Choose a severity."))],
    )
    child_knows = BooleanField(_l("The child or young person knows about the concern"))
    parents_know = BooleanField(_l("The parents know about the concern"))

    def validate_observed_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("The date it was observed cannot be in the future."))

    def assessment(self) -> dict:
        return {
            name: self[name].data
            for name in ("observed_on", "area", "source", "category", "severity", "child_knows", "parents_know")
        }


YOUNG_UNTIL = 18  # the concern form's age band: children and young people under 18 (an adult asks to confirm)


class ConcernForm(AssessmentFields, FlaskForm):
    # No Optional(): someone must be named, from the list or by name (validate_person_id).
    person_id = SelectField(_l("Young person"), validate_choice=False)
    new_first_name = StringField(_l("First name"), validators=[Optional(), Length(max=100)])
    new_last_name = StringField(_l("Last name"), validators=[Optional(), Length(max=100)])
    new_birth_date = DateField(_l("Birth date"), validators=[Optional()])
    summary = StringField(
        _l("Summary"), validators=[DataRequired(_l("Write a short summary.")), Length(max=SUMMARY_LENGTH)]
    )
    description = TextAreaField(
        _l("Description"), validators=[DataRequired(_l("Describe what you observed.")), Length(max=10_000)]
    )
    involved_ids = SelectMultipleField(_l("Others involved (optional)"), validate_choice=False, validators=[Optional()])
    notify = BooleanField(_l("I have a duty to notify the municipality (underretning) and will do so"))
    confirm_age = BooleanField(_l("Yes, the concern is about someone aged 18 or over"))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        # people: (id, name) or (id, name, age, household) from the person picker
        pairs = [(row[0], row[1]) for row in people]
        self._ages = {row[0]: row[2] for row in people if len(row) > 2}
        self.person_id.choices = choices(pairs, blank=_l("Someone not in my list (enter the name below)"))
        self.involved_ids.choices = choices(pairs)
        self.area.choices = area_choices(current_app.config["AREAS"])

    def validate_person_id(self, field):
        if not field.data and not ((self.new_first_name.data or "").strip() or (self.new_last_name.data or "").strip()):
            raise ValidationError(_l("Choose the young person, or enter the name of someone not in your list."))
        age = self._ages.get(field.data) if field.data else None
        if age is not None and age >= YOUNG_UNTIL and not self.confirm_age.data:
            raise ValidationError(
                _l(
                    "This person is %(age)d years old. Concerns are about children and young "
                    "people: confirm below if it is right.",
                    age=age,
                )
            )

    def concern_data(self) -> dict:
        data = {
            **self.assessment(),
            "summary": self.summary.data,
            "description": self.description.data,
            "person_id": self.person_id.data or None,
            "involved_ids": self.involved_ids.data or [],
            "notify": self.notify.data,
        }
        if not data["person_id"]:
            data["new_person"] = {
                "first_name": self.new_first_name.data,
                "last_name": self.new_last_name.data,
                "birth_date": self.new_birth_date.data,
            }
        return data


class AssessmentForm(AssessmentFields, FlaskForm):
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = area_choices(current_app.config["AREAS"])


class TransitionForm(FlaskForm):
    to_state = SelectField(
        _l("Move to"), validate_choice=False, validators=[DataRequired(_l("Choose the next state."))]
    )
    note = TextAreaField(_l("Note"), validators=[DataRequired(_l("Write a note saying why.")), Length(max=10_000)])
    # No Optional(): the outcome is required when closing (validate_outcome).
    outcome = SelectField(
        _l("Outcome (when closing)"), choices=choices(OUTCOMES.items(), blank=_l("Choose…")), validate_choice=False
    )
    version = VersionField()

    def validate_outcome(self, field):
        if field.data and field.data not in OUTCOMES:
            raise ValidationError(_l("Not a valid choice."))
        if self.to_state.data == "closed" and not field.data:
            raise ValidationError(_l("Choose the outcome when you close a concern."))


class ActionForm(FlaskForm):
    text = TextAreaField(_l("Action"), validators=[DataRequired(_l("Describe the action.")), Length(max=2000)])
    owner_id = SelectField(
        _l("Owner"),
        validate_choice=False,
        coerce=optional_int,
        validators=[DataRequired(_l("Choose who owns the action."))],
    )
    due_on = DateField(_l("Due"), validators=[DataRequired(_l("Enter the due date."))])

    def validate_due_on(self, field):
        if field.data and field.data < local_today():
            raise ValidationError(_l("The due date cannot be in the past."))

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = choices(owners, blank=_l("Choose…"))


class ActionDoneForm(FlaskForm):
    done = BooleanField(_l("Done"))
    version = VersionField()


class ShareForm(FlaskForm):
    recipient = SelectField(
        _l("Recipient"),
        choices=choices(RECIPIENTS.items(), blank=_l("Choose…")),
        validators=[DataRequired(_l("Choose who receives the share."))],
    )
    legal_basis = SelectField(
        _l("Legal basis"),
        choices=choices(LEGAL_BASES.items(), blank=_l("Choose…")),
        validators=[DataRequired(_l("A share needs a legal basis. Choose one."))],
    )
    purpose = TextAreaField(
        _l("Purpose"), validators=[DataRequired(_l("Write the purpose of the share.")), Length(max=1000)]
    )
    parts = CheckboxesField(
        _l("Parts to share"),
        choices=choices(PARTS.items()),
        validators=[DataRequired(_l("Choose at least one part to share."))],
    )
    expires_on = DateField(_l("Expires after"), validators=[DataRequired(_l("Enter when the share expires."))])

    def validate_expires_on(self, field):
        today = local_today()
        if field.data and field.data < today:
            raise ValidationError(_l("The expiry cannot be in the past."))
        if field.data and field.data > today + timedelta(days=MAX_SHARE_DAYS):
            raise ValidationError(_l("A share may last at most %(n)d days.", n=MAX_SHARE_DAYS))

    def share_data(self) -> dict:
        return {
            "recipient": self.recipient.data or None,
            "legal_basis": self.legal_basis.data or None,
            "purpose": self.purpose.data,
            "parts": self.parts.data or [],
            "expires_on": self.expires_on.data,
        }


class EndShareForm(FlaskForm):
    reason = StringField(_l("Why the share ends (optional)"), validators=[Optional(), Length(max=500)])


class AmendForm(FlaskForm):
    field = SelectField(
        _l("Amend"),
        choices=choices(AMENDABLE.items()),
        validate_choice=False,
        validators=[DataRequired(_l("Choose what to amend."))],
    )
    transition_id = HiddenField()
    text = TextAreaField(
        _l("Amended text"), validators=[DataRequired(_l("Write the amended text.")), Length(max=10_000)]
    )

    def validate_text(self, field):
        if self.field.data == "summary" and len(field.data or "") > SUMMARY_LENGTH:
            raise ValidationError(_l("Write at most %(n)d characters.", n=SUMMARY_LENGTH))


class NotificationForm(FlaskForm):
    duty_holder_id = SelectField(
        _l("Who holds the duty to notify"),
        validate_choice=False,
        coerce=optional_int,
        validators=[DataRequired(_l("Choose who holds the duty to notify."))],
    )

    def __init__(self, *args, holders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.duty_holder_id.choices = choices(holders, blank=_l("Choose…"))
