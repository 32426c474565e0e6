"""Form pieces every domain uses: choice lists, multi-checkbox fields, optimistic-lock version field, the
filter for typed text and the check for ids picked from a list."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


def choices(pairs: Iterable[tuple[str, object]], blank: object | None = None) -> list[SelectChoice]:
    """SelectChoice objects from (value, label) pairs, optionally led by an empty choice."""
    items = [SelectChoice(value, label) for value, label in pairs]
    return ([SelectChoice("", blank)] if blank is not None else []) + items


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VersionField(HiddenField):
    """The version the user loaded; a save on an older version is refused as stale."""

    def process_formdata(self, valuelist):
        try:
            self.data = int(valuelist[0]) if valuelist and valuelist[0] else None
        except ValueError:
            self.data = None


def optional_int(value) -> int | None:
    """An integer key from a choice (a staff id); '' or None is no choice. For SelectField(coerce=...)."""
    if value in ("", None):
        return None
    return int(value)


def stripped(value):
    """Filter: text as typed without the spaces around it; blank is None (nothing to store)."""
    if isinstance(value, str):
        value = value.strip()
    return value or None


def picked_ids(form, field) -> None:
    """Validator: the value (or each value) is a record's id picked from the list; the verb then checks
    that it is one the user may use (so lists of people need not be loaded to validate)."""
    from caseapp.models.base import parse_uuid

    values = field.data if isinstance(field.data, list) else [field.data]
    if any(value not in (None, "") and parse_uuid(value) is None for value in values):
        raise ValidationError(_l("Choose from the list."))


def id_tuple(values) -> tuple:
    """The picked ids as UUIDs, each once, in the order given."""
    from caseapp.models.base import parse_uuid

    return tuple(dict.fromkeys(parse_uuid(v) for v in values or () if v))
