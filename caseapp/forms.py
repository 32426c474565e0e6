"""Form pieces every domain uses: choice lists, multi-checkbox fields, optimistic-lock version field."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import HiddenField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
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
