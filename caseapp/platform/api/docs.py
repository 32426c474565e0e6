"""The OpenAPI 3 document, built from the routes themselves so it cannot drift from them."""

import re

from flask import current_app, jsonify
from werkzeug.routing import IntegerConverter, UUIDConverter

from caseapp.platform.api.helpers import doc
from caseapp.platform.api.schema import form_schema

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
    },
}
STANDARD_ERRORS = {
    "400": "Malformed request",
    "401": "No valid bearer token",
    "403": "Your role lacks the permission",
    "404": "Missing, or not visible to you",
    "409": "Version conflict",
    "422": "Validation failed",
}


def path_parameter(name: str, converter) -> dict:
    """A path parameter typed by its URL converter (uuid, int with its bounds, or a plain string)."""
    if isinstance(converter, UUIDConverter):
        schema = {"type": "string", "format": "uuid"}
    elif isinstance(converter, IntegerConverter):
        schema = {"type": "integer", "minimum": converter.min if converter.min is not None else 0}
        if converter.max is not None:
            schema["maximum"] = converter.max
    else:
        schema = {"type": "string"}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _responses(info: dict) -> dict:
    answers = {}
    for status, answer in (info.get("responses") or {"200": "OK"}).items():
        description, schema = answer if isinstance(answer, tuple) else (answer, None)
        answers[str(status)] = {"description": str(description)}
        if schema is not None:
            answers[str(status)]["content"] = {"application/json": {"schema": schema}}
    for status, description in STANDARD_ERRORS.items():
        answers[status] = {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    return answers


def request_schema(info: dict) -> dict | None:
    """The body a route takes: generated from the form that validates it, or (for a body no form
    describes, such as a bare version number) the schema written beside the route."""
    if info.get("form") is not None:
        return form_schema(info["form"])
    return info.get("body")


def partial_update(schema: dict) -> dict:
    """A PATCH sends only the fields it changes (laid over the record's values), and the version it read."""
    partial = {k: v for k, v in schema.items() if k != "required"}
    if "version" in schema.get("properties", {}):
        partial["required"] = ["version"]
    return partial


def build_document(app) -> dict:
    paths: dict = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.endpoint == "api.openapi":
            continue
        view = app.view_functions[rule.endpoint]
        info = getattr(view, "openapi", {"summary": rule.endpoint})
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            op = {
                "operationId": f"{rule.endpoint}.{method.lower()}",
                "summary": str(info["summary"]),
                "security": [{"bearer": []}],
                "parameters": [path_parameter(arg, rule._converters[arg]) for arg in sorted(rule.arguments)]
                + list(info.get("params", [])),
                "responses": _responses(info),
            }
            body = request_schema(info)
            if body and method == "PATCH":
                body = partial_update(body)
            if body and method in {"POST", "PATCH", "PUT"}:
                op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
            paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.0.3",
        "info": {"title": "caseapp API", "version": "1"},
        "servers": [{"url": "/"}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": paths,
    }


@doc("This document")
def openapi():
    return jsonify(build_document(current_app))
