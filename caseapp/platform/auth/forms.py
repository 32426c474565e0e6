"""Forms for logging in, two-factor authentication, password change and API tokens."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Email(_l("Enter a valid e-mail address."))],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])


class TwoFactorForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"), validators=[DataRequired(_l("Enter the code."))]
    )


class TwoFactorSetupForm(FlaskForm):
    code = StringField(
        _l("Six-digit code from your authenticator app"),
        validators=[DataRequired(_l("Enter the code.")), Length(min=6, max=8)],
    )


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password."))])
    new = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a new password."))])
    confirm = PasswordField(
        _l("Repeat the new password"), validators=[EqualTo("new", _l("The two new passwords are not the same."))]
    )


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name (what the token is for)"), validators=[DataRequired(_l("Give the token a name.")), Length(max=100)]
    )
    days = IntegerField(
        _l("Valid for (days)"), default=90, validators=[NumberRange(1, 365, _l("Choose between 1 and 365 days."))]
    )
