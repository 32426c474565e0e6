"""The OpenAPI 3 document, built from the routes themselves so it cannot drift from them."""

import re

from flask import current_app, jsonify

from caseapp.platform.api.helpers import doc

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "object", "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}},
}
STANDARD_ERRORS = {
    "400": "Malformed request", "401": "No valid bearer token", "403": "Your role lacks the permission",
    "404": "Missing, or not visible to you", "409": "Version conflict", "422": "Validation failed",
}


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
                "parameters": [
                    {"name": arg, "in": "path", "required": True, "schema": {"type": "string"}}
                    for arg in sorted(rule.arguments)
                ] + list(info.get("params", [])),
                "responses": {
                    **{str(k): {"description": v} for k, v in (info.get("responses") or {"200": "OK"}).items()},
                    **{k: {"description": v, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
                       for k, v in STANDARD_ERRORS.items()},
                },
            }
            if info.get("body") and method in {"POST", "PATCH", "PUT"}:
                op["requestBody"] = {"required": True, "content": {"application/json": {"schema": info["body"]}}}
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
