"""Forms of the reports' pages: the one shape validator of each input (rules needing the database are
the verbs', caseapp.reports.services)."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FloatField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from caseapp.forms import CheckboxesField, VersionField, choices, optional_int, stripped
from caseapp.reports.bands import BREAKDOWNS
from caseapp.reports.queries import half_year_of, period_dates

KIND_LABELS = {
    "persons": _l("Distinct persons"),
    "records": _l("Sessions, contacts or records"),
    "quantity": _l("An amount (hours, kroner)"),
    "share": _l("A share (numerator ÷ denominator)"),
    "retention": _l("Retention at N months"),
}


def period_choices(today: date) -> list[tuple[str, str]]:
    """Recent half-years and years, newest first, as the period select offers them."""
    found = []
    for year in (today.year, today.year - 1):
        for half in (2, 1):
            if date(year, 1 if half == 1 else 7, 1) <= today:
                found.append(
                    (
                        f"{year}-H{half}",
                        _l("%(half)s half-year %(year)d", half=_l("1st") if half == 1 else _l("2nd"), year=year),
                    )
                )
        found.append((str(year), _l("The year %(year)d", year=year)))
    return [(value, str(label)) for value, label in found]


class ReportFilterForm(FlaskForm):
    """What the dashboard and the exports show (a GET form: the address names the report)."""

    class Meta:
        csrf = False

    period = SelectField(_l("Period"), validators=[Optional()], validate_choice=False)
    starts_on = DateField(_l("From"), validators=[Optional()])
    ends_on = DateField(_l("To"), validators=[Optional()])
    theme = SelectField(_l("Theme"), coerce=optional_int, validators=[Optional()], validate_choice=False)
    breakdown = SelectField(_l("Breakdown"), choices=choices(BREAKDOWNS.items()), validators=[Optional()])

    def validate_period(self, field):
        if field.data and field.data != "custom" and period_dates(field.data) is None:
            raise ValidationError(_l("Choose a period from the list."))

    def validate_ends_on(self, field):
        if self.period.data == "custom":
            if not self.starts_on.data or not field.data:
                raise ValidationError(_l("Give both dates of the period."))
            if field.data < self.starts_on.data:
                raise ValidationError(_l("The period must end on or after the day it starts."))

    def dates(self, today: date) -> tuple[date, date]:
        if self.period.data == "custom" and self.starts_on.data and self.ends_on.data:
            return self.starts_on.data, self.ends_on.data
        return period_dates(self.period.data or "") or period_dates(half_year_of(today))


class FreezeForm(FlaskForm):
    title = StringField(_l("Title of the report"), filters=[stripped], validators=[DataRequired(), Length(max=200)])
    # The dashboard's period and theme, carried along (hidden_tag renders them).
    period = HiddenField(validators=[DataRequired(), Length(max=30)])
    theme = HiddenField(validators=[Optional(), Length(max=12)])

    def validate_period(self, field):
        if period_dates(field.data or "") is None:
            raise ValidationError(_l("Choose a period from the list."))

    def validate_theme(self, field):
        if field.data and not str(field.data).isdigit():
            raise ValidationError(_l("Choose a theme of the plan."))


def _codes(text: str | None) -> list[str]:
    return [code for code in (text or "").replace(",", " ").split() if code]


class IndicatorForm(FlaskForm):
    name_da = StringField(_l("Name in Danish"), filters=[stripped], validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), filters=[stripped], validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("What is counted"), choices=choices(KIND_LABELS.items()), validators=[InputRequired()])
    measures = CheckboxesField(_l("Records counted"), validate_choice=False)
    outcomes = StringField(
        _l("Only these outcome codes (separated by spaces; empty: every outcome)"),
        filters=[stripped],
        validators=[Optional(), Length(max=300)],
    )
    programmes = StringField(
        _l("Only these programme codes (separated by spaces; empty: every programme)"),
        filters=[stripped],
        validators=[Optional(), Length(max=300)],
    )
    months = IntegerField(_l("Months (retention)"), validators=[Optional(), NumberRange(1, 60)])
    denominator_measures = CheckboxesField(_l("A share of these records"), validate_choice=False)
    denominator_outcomes = StringField(
        _l("Denominator's outcome codes (empty: every outcome)"),
        filters=[stripped],
        validators=[Optional(), Length(max=300)],
    )
    target_id = SelectField(
        _l("Target of the plan"), coerce=optional_int, validators=[Optional()], validate_choice=False
    )
    version = VersionField()

    def set_choices(self, measures, targets) -> None:
        measure_choices = [(m.code, f"{m.label} ({m.code})") for m in measures]
        self.measures.choices = choices(measure_choices)
        self.denominator_measures.choices = choices(measure_choices)
        self.target_id.choices = choices(
            [(str(t.id), f"{t.subgoal.name} – {t.measure}") for t in targets], blank=_l("No target")
        )

    def validate_measures(self, field):
        known = {c.value for c in self.measures.choices or ()}
        if any(code not in known for code in field.data or ()):
            raise ValidationError(_l("Choose from the list."))

    def validate_denominator_measures(self, field):
        known = {c.value for c in self.denominator_measures.choices or ()}
        if any(code not in known for code in field.data or ()):
            raise ValidationError(_l("Choose from the list."))

    def indicator_data(self) -> dict:
        return {
            "name_da": self.name_da.data,
            "name_en": self.name_en.data or "",
            "kind": self.kind.data,
            "measures": list(self.measures.data or []),
            "outcomes": _codes(self.outcomes.data),
            "programmes": _codes(self.programmes.data),
            "months": self.months.data,
            "denominator_measures": list(self.denominator_measures.data or []),
            "denominator_outcomes": _codes(self.denominator_outcomes.data),
            "target_id": self.target_id.data,
        }


class RegisterFigureForm(FlaskForm):
    area = SelectField(_l("Area"), validators=[InputRequired()])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    half = SelectField(
        _l("Half-year"),
        coerce=optional_int,
        choices=choices([("1", _l("1st half-year")), ("2", _l("2nd half-year"))]),
        validators=[InputRequired()],
    )
    name = StringField(_l("Figure"), filters=[stripped], validators=[DataRequired(), Length(max=200)])
    value = FloatField(_l("Value"), validators=[InputRequired()])
    unit = StringField(_l("Unit"), filters=[stripped], validators=[Optional(), Length(max=40)])
    source_note = StringField(_l("Source"), filters=[stripped], validators=[Optional(), Length(max=300)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = choices([(a, a) for a in current_app.config["AREAS"]] + [("all", _l("The whole area"))])

    def figure_data(self) -> dict:
        return {k: getattr(self, k).data for k in ("area", "year", "half", "name", "value", "unit", "source_note")}
