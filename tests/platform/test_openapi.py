"""The OpenAPI document is true by construction: each body's schema is its validating form's, choice
fields list their values, path parameters carry their types, and declared answers match the routes."""

from __future__ import annotations

import re

from wtforms import RadioField, SelectField, SelectMultipleField

from caseapp.platform.api.docs import partial_update
from caseapp.platform.api.schema import form_schema
from tests.conftest import bearer


def _operations(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.endpoint == "api.openapi":
            continue
        info = getattr(app.view_functions[rule.endpoint], "openapi", {})
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, info, path, method.lower()


def test_each_route_body_schema_is_generated_from_its_form(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    compared = 0
    with app.test_request_context():
        for _rule, info, path, method in _operations(app):
            if info.get("form") is None or method not in {"post", "patch", "put"}:
                continue
            schema = document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
            expected = form_schema(info["form"])
            if method == "patch":  # a partial update: every field optional but the version read
                assert schema.get("required", []) == (["version"] if "version" in expected["properties"] else [])
                expected = partial_update(expected)
            assert schema == expected, (path, method)
            form = info["form"](formdata=None, meta={"csrf": False})
            for field in form:
                static = isinstance(field, SelectField | RadioField | SelectMultipleField) and any(
                    (c[0] if isinstance(c, tuple | list) else c.value) not in ("", None) for c in field.choices or ()
                )
                if static:
                    declared = schema["properties"][field.short_name]
                    values = declared.get("enum") or declared.get("items", {}).get("enum")
                    assert values, (path, method, field.short_name)
            compared += 1
    assert compared >= 15


def test_choice_fields_declare_their_values(client):
    document = client.get("/api/v1/openapi.json").get_json()
    concern = document["paths"]["/api/v1/concerns"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"category", "severity", "area", "source"} <= set(concern["properties"])
    for name in ("category", "severity", "source"):
        assert concern["properties"][name]["enum"], name
    assert "summary" in concern["required"] and concern["properties"]["summary"]["maxLength"] > 0


def test_uuid_and_integer_path_parameters_are_typed(client):
    document = client.get("/api/v1/openapi.json").get_json()
    person = document["paths"]["/api/v1/people/{person_id}"]["get"]["parameters"]
    assert {
        "name": "person_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    } in person
    concern = document["paths"]["/api/v1/concerns/{concern_id}"]["get"]["parameters"]
    assert concern[0]["schema"] == {"type": "string", "format": "uuid"}


def test_a_declared_answer_matches_what_the_route_answers(app, client, make_user, api_token):
    from tests.people.factories import make_person

    document = client.get("/api/v1/openapi.json").get_json()
    leader = make_user("leader")
    person_id = make_person(app)
    body = client.get(f"/api/v1/people/{person_id}", headers=bearer(api_token(leader))).get_json()
    schema = document["paths"]["/api/v1/people/{person_id}"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert set(schema["required"]) <= set(body)
    assert set(body) <= set(schema["properties"])
