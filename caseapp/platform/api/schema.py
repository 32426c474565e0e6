"""JSON schemas generated from the WTForms forms that validate each API body, so the OpenAPI document
says exactly what the form accepts: types, formats, enums with their values, required fields, lengths."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    EmailField,
    FieldList,
    FloatField,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from caseapp.forms import VersionField, optional_int


def form_schema(form_class, **form_kwargs) -> dict:
    """The JSON schema of a form's body, read from a fresh instance (choices are often set per request)."""
    form = form_class(formdata=None, meta={"csrf": False}, **form_kwargs)
    return _fields_schema(form)


def _fields_schema(form) -> dict:
    properties, required = {}, []
    for field in form:
        if field.name == "csrf_token" or field.type == "SubmitField":
            continue
        properties[field.short_name] = field_schema(field)
        if _is_required(field):
            required.append(field.short_name)
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _is_required(field) -> bool:
    return any(isinstance(v, DataRequired | InputRequired) for v in field.validators)


def _choice_values(field) -> list[str]:
    values = []
    for choice in field.choices or ():
        value = choice[0] if isinstance(choice, tuple | list) else choice.value
        if value not in ("", None):
            values.append(str(value))
    return values


def field_schema(field) -> dict:
    schema = _type_schema(field)
    description = str(field.label.text) if field.label and field.label.text else None
    if description:
        schema["description"] = description
    return schema


def _type_schema(field) -> dict:
    if isinstance(field, FieldList):
        entry = field.unbound_field.bind(form=None, name="entry", prefix="", _meta=field.meta)
        entry.process(None)
        item = _fields_schema(entry.form) if isinstance(entry, FormField) else _type_schema(entry)
        return {"type": "array", "items": item}
    if isinstance(field, FormField):
        return _fields_schema(field.form)
    if isinstance(field, VersionField):
        return {"type": "integer", "minimum": 1}
    if isinstance(field, BooleanField):
        return {"type": "boolean"}
    if isinstance(field, IntegerField):
        return _with_range({"type": "integer"}, field)
    if isinstance(field, DecimalField | FloatField):
        return _with_range({"type": "number"}, field)
    if isinstance(field, DateField):
        return {"type": "string", "format": "date"}
    if isinstance(field, DateTimeField):
        return {"type": "string", "format": "date-time"}
    if isinstance(field, TimeField):
        return {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}
    if isinstance(field, SelectMultipleField):
        values = _choice_values(field)
        items = {"type": "string", "enum": values} if values else {"type": "string"}
        return {"type": "array", "items": items}
    if isinstance(field, SelectField | RadioField):
        values = _choice_values(field)
        if field.coerce in (int, optional_int):  # ids of staff and other integer keys
            numbers = [int(v) for v in values if str(v).lstrip("-").isdigit()]
            return {"type": "integer", "enum": numbers} if numbers else {"type": "integer"}
        return {"type": "string", "enum": values} if values else {"type": "string"}
    schema = {"type": "string"}
    if isinstance(field, EmailField):
        schema["format"] = "email"
    for validator in field.validators:
        if isinstance(validator, Length):
            if validator.max is not None and validator.max >= 0:
                schema["maxLength"] = validator.max
            if validator.min is not None and validator.min > 0:
                schema["minLength"] = validator.min
    return schema


def _with_range(schema: dict, field) -> dict:
    for validator in field.validators:
        if isinstance(validator, NumberRange):
            if validator.min is not None:
                schema["minimum"] = validator.min
            if validator.max is not None:
                schema["maximum"] = validator.max
    return schema


def page_of(item: dict) -> dict:
    """The schema of a paged list answer (DESIGN: {"items", "page", "per_page", "total"})."""
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total"],
        "properties": {
            "items": {"type": "array", "items": item},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "total": {"type": "integer", "minimum": 0},
        },
    }


# Building blocks of the response schemas every domain declares beside its serialisers.


def nullable(schema: dict) -> dict:
    # OpenAPI 3.0 has no type lists: `nullable`, and null among an enum's values.
    extra = {"enum": [*schema["enum"], None]} if "enum" in schema else {}
    return {**schema, "nullable": True, **extra}


def obj(properties: dict, *optional: str) -> dict:
    """An object whose properties are all required but the `optional` ones."""
    return {"type": "object", "required": [p for p in properties if p not in optional], "properties": properties}


def codes(values) -> dict:
    return {"type": "string", "enum": list(values)}


ID = {"type": "string", "format": "uuid"}
DATE = {"type": "string", "format": "date"}
STAMP = {"type": "string", "description": "UTC, ISO 8601 without an offset"}
TEXT = {"type": "string"}
