"""Filters for the audit log: staff by name, actions by readable name, a resident, a period."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import UUID, Optional, ValidationError

from caseapp.forms import choices

PERIODS = {"today": _l("Today"), "week": _l("This week"), "month": _l("This month")}


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    actor = SelectField(_l("Staff member"), validators=[Optional()], coerce=str)
    action = SelectField(_l("Action"), validators=[Optional()], coerce=str)
    subject = StringField(_l("Resident"), validators=[Optional(), UUID(_l("Choose a resident from a row below."))])
    period = SelectField(_l("Period"), validators=[Optional()], choices=choices(PERIODS.items(), blank=_l("Any time")))
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def __init__(self, *args, staff=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.actor.choices = choices(((str(i), name) for i, name in staff), blank=_l("Everyone"))
        self.action.choices = choices(actions, blank=_l("Every action"))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))
