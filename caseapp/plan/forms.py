"""Forms of the plan's configuration pages: the one shape validator of each input.

Rules that need the database (a theme in use cannot be removed, a deadline inside its period, a stale
version) are the verbs' business (`caseapp.plan.services`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from caseapp.forms import CheckboxesField, VersionField, choices
from caseapp.plan.labels import APPROVAL_LABELS, PARTNER_KIND_LABELS

BLANK_ROWS = 2  # empty rows offered below a period's themes, goals and partners for adding more


def _blank(value) -> bool:
    return not (value or "").strip() if isinstance(value, str | None) else False


class NamedRow(Form):
    """A theme or a municipal goal of a period; a row left empty is not kept."""

    id = HiddenField()
    name_da = StringField(_l("Name in Danish"), validators=[Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=200)])

    def validate_name_da(self, field):
        if _blank(field.data) and not _blank(self.name_en.data):
            raise ValidationError(_l("Give the Danish name too."))


class PartnerRow(Form):
    """A partner of a period and its share of the co-financing; a row left empty is not kept."""

    id = HiddenField()
    name = StringField(_l("Partner"), validators=[Length(max=200)])
    kind = SelectField(
        _l("Kind of partner"), choices=choices(PARTNER_KIND_LABELS.items(), blank="–"), validators=[Optional()]
    )
    share_percent = FloatField(
        _l("Share of the co-financing (%)"),
        validators=[Optional(), NumberRange(0, 100, _l("A percentage between 0 and 100."))],
    )

    def validate_name(self, field):
        if _blank(field.data) and (self.kind.data or self.share_percent.data is not None):
            raise ValidationError(_l("Name the partner."))

    def validate_kind(self, field):
        if not _blank(self.name.data) and not field.data:
            raise ValidationError(_l("Choose the kind of partner."))


def filled(rows) -> list[dict]:
    """The rows of a FieldList the user filled in (or that name an existing record)."""
    return [row for row in rows if not _blank(row.get("name_da", row.get("name"))) or row.get("id")]


class PeriodForm(FlaskForm):
    version = VersionField()
    name_da = StringField(
        _l("Name in Danish"), validators=[DataRequired(_l("Give the period a Danish name.")), Length(max=200)]
    )
    name_en = StringField(_l("Name in English"), validators=[Length(max=200)])
    funder = StringField(
        _l("Funder"), default="Landsbyggefonden", validators=[DataRequired(_l("Name the funder.")), Length(max=120)]
    )
    grant_name = StringField(
        _l("The funder's money (e.g. 2019–26)"),
        validators=[DataRequired(_l("Name the money the period is granted under.")), Length(max=40)],
    )
    starts_on = DateField(_l("Starts"), validators=[DataRequired(_l("Enter the first day of the period."))])
    ends_on = DateField(_l("Ends"), validators=[DataRequired(_l("Enter the last day of the period."))])
    themes = FieldList(FormField(NamedRow), min_entries=5, max_entries=20)
    goals = FieldList(FormField(NamedRow), min_entries=5, max_entries=20)
    partners = FieldList(FormField(PartnerRow), min_entries=3, max_entries=20)

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data <= self.starts_on.data:
            raise ValidationError(_l("The period must end after it starts."))

    def validate_themes(self, field):
        names = [(row.get("name_da") or "").strip().casefold() for row in field.data]
        names = [n for n in names if n]
        if not names:
            raise ValidationError(_l("Give the period at least one theme."))
        if len(names) != len(set(names)):
            raise ValidationError(_l("Two themes have the same name."))

    def validate_goals(self, field):
        names = [n for n in ((row.get("name_da") or "").strip().casefold() for row in field.data) if n]
        if len(names) != len(set(names)):
            raise ValidationError(_l("Two municipal goals have the same name."))

    def validate_partners(self, field):
        shares = [row["share_percent"] for row in field.data if row.get("share_percent") is not None]
        if shares and abs(sum(shares) - 100) > 0.01:
            raise ValidationError(
                _l(
                    "The shares of the co-financing add up to %(sum)s %%; they must add up to 100 %%.",
                    sum=format(sum(shares), "g"),
                )
            )


class StrategicAgreementForm(FlaskForm):
    version = VersionField()
    title_da = StringField(
        _l("Title in Danish"), validators=[DataRequired(_l("Give the Danish title.")), Length(max=200)]
    )
    title_en = StringField(_l("Title in English"), validators=[Length(max=200)])
    parties = TextAreaField(_l("Parties"), validators=[Length(max=2000)])
    agreed_on = DateField(_l("Agreed on"), validators=[Optional()])


class ChangeNoteMixin:
    change_note = StringField(_l("What changed (shown in the version history)"), validators=[Length(max=300)])


class AgreementForm(ChangeNoteMixin, FlaskForm):
    version = VersionField()  # the delaftale's newest version number
    title_da = StringField(
        _l("Title in Danish"), validators=[DataRequired(_l("Give the Danish title.")), Length(max=200)]
    )
    title_en = StringField(_l("Title in English"), validators=[Length(max=200)])
    parties = TextAreaField(_l("Parties"), validators=[Length(max=2000)])
    agreed_on = DateField(_l("Date of the agreement"), validators=[Optional()])
    approval_state = SelectField(_l("Approval"), choices=choices(APPROVAL_LABELS.items()), default="draft")
    summary_da = TextAreaField(_l("Content in Danish"), validators=[Length(max=20000)])
    summary_en = TextAreaField(_l("Content in English"), validators=[Length(max=20000)])


class SubgoalForm(ChangeNoteMixin, FlaskForm):
    version = VersionField()
    name_da = StringField(
        _l("Sub-goal in Danish"), validators=[DataRequired(_l("Describe the sub-goal in Danish.")), Length(max=200)]
    )
    name_en = StringField(_l("Sub-goal in English"), validators=[Length(max=200)])


class TargetForm(ChangeNoteMixin, FlaskForm):
    version = VersionField()
    measure_da = StringField(
        _l("What is counted (Danish)"), validators=[DataRequired(_l("Say what is counted.")), Length(max=300)]
    )
    measure_en = StringField(_l("What is counted (English)"), validators=[Length(max=300)])
    unit_da = StringField(
        _l("Unit (Danish)"), validators=[DataRequired(_l("Give the unit, e.g. persons.")), Length(max=60)]
    )
    unit_en = StringField(_l("Unit (English)"), validators=[Length(max=60)])
    baseline = FloatField(_l("Baseline"), validators=[Optional(), NumberRange(min=0, message=_l("Not below 0."))])
    target_value = FloatField(
        _l("Target value"),
        validators=[InputRequired(_l("Enter the target value.")), NumberRange(min=0, message=_l("Not below 0."))],
    )
    deadline = DateField(_l("Deadline"), validators=[DataRequired(_l("Enter the deadline."))])


class RemoveForm(ChangeNoteMixin, FlaskForm):
    """Removing a delmål or target: a new version of the delaftale without it."""

    version = VersionField()


class ConfirmForm(FlaskForm):
    """A button that changes something (CSRF only)."""


def mapping_form(themes, earlier_themes):
    """A form with one group of checkboxes per theme: the earlier periods' themes it continues."""

    class MappingForm(FlaskForm):
        pass

    options = choices((str(t.id), f"{t.name} ({t.period.name})") for t in earlier_themes)
    for theme in themes:
        setattr(MappingForm, f"continues_{theme.id}", CheckboxesField(theme.name, choices=options))
    return MappingForm


# A record's current values in its form's terms (to prefill the edit pages).


def period_form_data(period) -> dict:
    def named(rows):
        return [{"id": str(r.id), "name_da": r.name_da, "name_en": r.name_en} for r in rows] + [{}] * BLANK_ROWS

    return {
        "version": period.version,
        "name_da": period.name_da,
        "name_en": period.name_en,
        "funder": period.funder,
        "grant_name": period.grant_name,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "themes": named(period.themes),
        "goals": named(period.goals),
        "partners": [
            {"id": str(p.id), "name": p.name, "kind": p.kind, "share_percent": p.share_percent} for p in period.partners
        ]
        + [{}] * BLANK_ROWS,
    }


def strategic_form_data(strategic) -> dict:
    return {
        "version": strategic.version,
        "title_da": strategic.title_da,
        "title_en": strategic.title_en,
        "parties": strategic.parties,
        "agreed_on": strategic.agreed_on,
    }


def agreement_form_data(agreement) -> dict:
    current = agreement.current
    return {
        "version": agreement.latest_number,
        "title_da": current.title_da,
        "title_en": current.title_en,
        "parties": current.parties,
        "agreed_on": current.agreed_on,
        "approval_state": current.approval_state,
        "summary_da": current.summary_da,
        "summary_en": current.summary_en,
    }


def subgoal_form_data(subgoal) -> dict:
    return {"version": subgoal.agreement.latest_number, "name_da": subgoal.name_da, "name_en": subgoal.name_en}


def target_form_data(target) -> dict:
    return {
        "version": target.subgoal.agreement.latest_number,
        "measure_da": target.measure_da,
        "measure_en": target.measure_en,
        "unit_da": target.unit_da,
        "unit_en": target.unit_en,
        "baseline": target.baseline,
        "target_value": target.target_value,
        "deadline": target.deadline,
    }
