"""WTForms' own messages in Danish: WTForms ships no Danish catalogue, so its messages are listed here
for extraction into the shared catalogue, and forms read them through Flask-Babel (use_babel_for_wtforms)."""

import wtforms
import wtforms.meta
from flask_babel import get_translations, gettext, ngettext
from wtforms.fields.core import UnboundField


class BabelTranslations:
    """WTForms' translations object (gettext/ngettext) backed by the app's own catalogues."""

    # Unformatted: WTForms fills in %(min)d and the like itself.
    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


TRANSLATIONS = BabelTranslations()


def _typed(valuelist) -> str:
    return " ".join(valuelist)[:40]


class _KeepsWhyRefused:
    """A required field that was filled in wrongly says what is wrong with it, not that it is missing
    (DataRequired and InputRequired replace the field's errors with their "Enter the date.")."""

    def post_validate(self, form, validation_stopped):
        if validation_stopped and self.process_errors and (" ".join(self.raw_data or ())).strip():
            self.errors[:] = list(self.process_errors)


class DateField(_KeepsWhyRefused, wtforms.DateField):
    """A date field whose refusal names what was typed ("Ugyldig dato: 31-02-2026"); the typed text
    stays in the field (WTForms keeps raw_data)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(
                gettext("Invalid date: %(value)s. Write it as yyyy-mm-dd.", value=_typed(valuelist))
            ) from None


class IntegerField(_KeepsWhyRefused, wtforms.IntegerField):
    """A whole number whose refusal names what was typed ("Ugyldigt tal: 1,5")."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(gettext("Invalid whole number: %(value)s.", value=_typed(valuelist))) from None


class DecimalField(_KeepsWhyRefused, wtforms.DecimalField):
    """A number whose refusal names what was typed."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(gettext("Invalid number: %(value)s.", value=_typed(valuelist))) from None


# Every form in every domain gets these, without each importing them (bound in Meta.bind_field).
_NAMING_THE_VALUE = {
    wtforms.DateField: DateField,
    wtforms.IntegerField: IntegerField,
    wtforms.DecimalField: DecimalField,
}


def _bind_field(meta, form, unbound_field, options):
    field_class = _NAMING_THE_VALUE.get(unbound_field.field_class)
    if field_class is not None:
        unbound_field = UnboundField(field_class, *unbound_field.args, name=unbound_field.name, **unbound_field.kwargs)
    return unbound_field.bind(form=form, **options)


def use_babel_for_wtforms() -> None:
    """Every FlaskForm (and Form used inside one) takes its built-in messages from our catalogues, and
    its date and number fields name the typed value when they refuse it."""
    from flask_wtf import FlaskForm

    FlaskForm.Meta.get_translations = lambda self, form: TRANSLATIONS
    # On every form's Meta, the rows of a FieldList (plain Forms) included.
    wtforms.meta.DefaultMeta.bind_field = _bind_field


def _messages():  # never called: for the catalogue extraction only
    gettext("Invalid field name '%s'.")
    gettext("Field must be equal to %(other_name)s.")
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1)
    ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1)
    gettext("Field must be between %(min)d and %(max)d characters long.")
    gettext("Number must be at least %(min)s.")
    gettext("Number must be at most %(max)s.")
    gettext("Number must be between %(min)s and %(max)s.")
    gettext("Date must be at least %(min)s.")
    gettext("Date must be at most %(max)s.")
    gettext("Date must be between %(min)s and %(max)s.")
    gettext("This field is required.")
    gettext("Invalid input.")
    gettext("Invalid email address.")
    gettext("Invalid IP address.")
    gettext("Invalid Mac address.")
    gettext("Invalid URL.")
    gettext("Invalid UUID.")
    gettext("Invalid value, must be one of: %(values)s.")
    gettext("Invalid value, can't be any of: %(values)s.")
    gettext("This field cannot be edited.")
    gettext("This field is disabled and cannot have a value.")
    gettext("Invalid CSRF Token.")
    gettext("CSRF token missing.")
    gettext("CSRF failed.")
    gettext("CSRF token expired.")
    gettext("Invalid Choice: could not coerce.")
    gettext("Choices cannot be None.")
    gettext("Not a valid choice.")
    gettext("Invalid choice(s): one or more data inputs could not be coerced.")
    ngettext(
        "'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 1
    )
    gettext("Not a valid datetime value.")
    gettext("Not a valid date value.")
    gettext("Not a valid time value.")
    gettext("Not a valid week value.")
    gettext("Not a valid integer value.")
    gettext("Not a valid decimal value.")
    gettext("Not a valid float value.")
