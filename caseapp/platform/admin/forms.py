"""Forms for creating and editing staff accounts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length

from caseapp.forms import CheckboxesField as RolesField
from caseapp.forms import choices
from caseapp.security.roles import ROLE_LABELS, ROLES


def _role_choices():
    return choices((r, ROLE_LABELS[r]) for r in ROLES)


class UserCreateForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name.")), Length(max=200)])
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Enter the e-mail address.")), Email(_l("Enter a valid e-mail address."))],
    )
    roles = RolesField(_l("Roles"), choices=_role_choices(), validators=[DataRequired(_l("Choose at least one role."))])
    password = PasswordField(_l("First password"), validators=[DataRequired(_l("Enter a first password."))])


class UserEditForm(FlaskForm):
    roles = RolesField(_l("Roles"), choices=_role_choices(), validators=[DataRequired(_l("Choose at least one role."))])
    active = BooleanField(_l("Account active"))
