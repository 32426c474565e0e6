"""Filters for the audit log."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import Optional


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    actor = IntegerField(_l("Staff id"), validators=[Optional()])
    action = StringField(_l("Action (e.g. person.view)"), validators=[Optional()])
    subject = StringField(_l("Resident id"), validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
