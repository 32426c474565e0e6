"""Shared JSON plumbing for every domain's API routes: bodies, validation errors, pages, docs."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import force_locale
from sqlalchemy import Select, func, select
from sqlalchemy.orm.exc import StaleDataError

from caseapp.bounds import query_int
from caseapp.errors import ApiError, NotPermitted
from caseapp.extensions import db
from caseapp.models.base import StaleVersion

MAX_PER_PAGE = 100


def json_body() -> dict:
    """The request's JSON object, or a 400 that says what is wrong."""
    if not request.is_json:
        raise ApiError(400, "Send a JSON body with Content-Type: application/json")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "The body must be a JSON object")
    return data


def validate_form(form_class, data: dict, **kwargs):
    """Validate an API body with the same WTForms form the pages use: the one shape validator.

    A value of the wrong JSON type for its field (a number for a text, a string for a number) is
    refused before the form sees it, so "3" and 3 never mean the same; then 422 with field messages."""
    from werkzeug.datastructures import MultiDict

    formdata = MultiDict()
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            # A list of objects (a FieldList of FormFields): name-0-key, as the HTML form posts it.
            for index, row in enumerate(value):
                for sub, item in row.items():
                    _add(formdata, f"{key}-{index}-{sub}", item)
        else:
            _add(formdata, key, value)
    with force_locale("en"):
        form = form_class(formdata=formdata, meta={"csrf": False}, **kwargs)
        problems = _type_problems(form, data)
        if problems:
            raise ApiError(422, "Some fields are not valid", problems)
        if not form.validate():
            raise ApiError(422, "Some fields are not valid", flat_errors(form.errors))
    return form


_JSON_TYPES = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _type_problems(form, data: dict) -> dict[str, str]:
    """{field: message} for each value whose JSON type is not the one the form's field takes."""
    from caseapp.platform.api.schema import field_schema

    problems = {}
    for name, value in data.items():
        field = form._fields.get(name)
        if field is None or value is None:
            continue
        expected = field_schema(field)["type"]
        wrong_bool = isinstance(value, bool) and expected in {"integer", "number"}
        if wrong_bool or not isinstance(value, _JSON_TYPES[expected]):
            problems[name] = f"must be {'an' if expected[0] in 'aeiou' else 'a'} {expected}"
    return problems


def _add(formdata, key: str, value) -> None:
    if isinstance(value, list):
        for item in value:
            formdata.add(key, "" if item is None else str(item))
    elif isinstance(value, bool):
        if value:
            formdata.add(key, "y")
    elif value is not None:
        formdata.add(key, str(value))


def flat_errors(errors: dict, prefix: str = "") -> dict[str, str]:
    """WTForms errors as {field: message}; nested rows are named the way they are posted (name-0-key)."""
    flat: dict[str, str] = {}
    for name, value in errors.items():
        key = f"{prefix}{name if name is not None else 'form'}"
        if isinstance(value, dict):
            flat.update(flat_errors(value, f"{key}-"))
        elif value and all(isinstance(v, dict | list) for v in value):
            for index, entry in enumerate(value):
                if isinstance(entry, dict):
                    flat.update(flat_errors(entry, f"{key}-{index}-"))
                elif entry:
                    flat[f"{key}-{index}"] = " ".join(str(e) for e in entry)
        else:
            flat[key] = " ".join(str(e) for e in value)
    return flat


def run_verb(verb, what: str = "record", forbidden: tuple[type[Exception], ...] = ()):
    """Call a domain verb. Its refusals answer as errors.py maps them, and the request's transaction
    boundary rolls back whatever it wrote; `forbidden` names older refusal types that mean 403."""
    try:
        return verb()
    except forbidden as exc:
        raise NotPermitted(getattr(exc, "message", None) or str(exc) or None) from None
    except (StaleVersion, StaleDataError):
        raise ApiError(409, f"The {what} was changed since you read it; read it again") from None


def page_args() -> tuple[int, int]:
    """?page= and ?per_page= (1 to 100), each a 400 saying so when malformed or out of range."""
    return query_int("page", 1), query_int("per_page", current_app.config["PER_PAGE"], maximum=MAX_PER_PAGE)


def paged(query: Select, serialise) -> dict:
    """{"items", "page", "per_page", "total"} for a scoped query."""
    page, per_page = page_args()
    offset = (page - 1) * per_page
    rows = db.session.scalars(query.limit(per_page).offset(offset)).all()
    if rows and len(rows) < per_page or not rows and page == 1:
        total = offset + len(rows)  # the last page: what came before it and what it holds, without a count
    else:
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return {"items": [serialise(r) for r in rows], "page": page, "per_page": per_page, "total": total}


def doc(
    summary: str, *, form=None, body: dict | None = None, responses: dict | None = None, params: list | None = None
):
    """Describe an API route for /api/v1/openapi.json, next to the route itself.

    `form`: the WTForms form that validates the body (the request schema is generated from it);
    `responses`: {status: description or (description, JSON schema)}.
    """

    def decorator(view):
        view.openapi = {
            "summary": summary,
            "form": form,
            "body": body,
            "responses": responses or {},
            "params": params or [],
        }
        return view

    return decorator


def body_version(data: dict) -> int:
    """The `version` a change request must carry (the one the client read), or a 422 saying so."""
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ApiError(422, "Send the version you last read", {"version": "required, an integer"})
    return version
