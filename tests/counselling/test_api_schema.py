"""The OpenAPI document tells the truth about counselling's API: each body's schema is the one generated
from the form that validates it, with the values of every choice field; ids in paths are uuids; and
what the routes answer has the shape their declared response schemas say."""

from __future__ import annotations

import re
import uuid
from datetime import date

from wtforms import FieldList, FormField, SelectFieldBase

from caseapp.extensions import db
from caseapp.platform.api.docs import partial_update
from caseapp.platform.api.schema import form_schema
from tests.conftest import bearer
from tests.plan.factories import make_period


def _counselling_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.counselling.")]


def _path(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def _choice_fields(form, schema: dict):
    """(field, its schema) for every choice field of the form, rows of a FieldList included."""
    for field in form:
        if isinstance(field, FieldList) and isinstance(field.entries[0], FormField):
            yield from _choice_fields(field.entries[0].form, schema["properties"][field.short_name]["items"])
        elif isinstance(field, SelectFieldBase):
            yield field, schema["properties"][field.short_name]


def test_every_body_is_documented_by_its_form_with_the_values_of_its_choices(app, client):
    with app.app_context():  # the plan's fields offer the current funding period's themes, goals and delmål
        make_period()
        db.session.commit()
    document = client.get("/api/v1/openapi.json").get_json()
    bodies = 0
    with app.test_request_context():
        for rule in _counselling_rules(app):
            view = app.view_functions[rule.endpoint]
            for method in rule.methods & {"POST", "PATCH", "PUT"}:
                form_class = view.openapi["form"]
                op = document["paths"][_path(rule)][method.lower()]
                if form_class is None:
                    assert "requestBody" not in op, rule.endpoint  # a body nobody validates is not taken
                    continue
                bodies += 1
                schema = op["requestBody"]["content"]["application/json"]["schema"]
                expected = form_schema(form_class)
                if method == "PATCH":
                    expected = partial_update(expected)
                assert schema == expected, rule.endpoint
                form = form_class(formdata=None, meta={"csrf": False})
                for field, field_schema in _choice_fields(form, schema):
                    values = [c.value for c in field.choices or () if c.value != ""]
                    listed = field_schema.get("items", field_schema).get("enum")
                    if values:
                        assert listed == values, (rule.endpoint, field.name)
                    else:  # ids of people and cases: the verb checks they are ones the user may use
                        assert field.validate_choice is False and listed is None, (rule.endpoint, field.name)
    assert bodies == 13


def test_known_choices_are_listed(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    def body(path, method):
        return paths[path][method]["requestBody"]["content"]["application/json"]["schema"]["properties"]

    session = body("/api/v1/counselling/cases/{case_id}/sessions", "post")
    assert session["kind"]["enum"] == ["home_visit", "office", "phone", "group_session", "institution_visit"]
    assert session["topics"]["items"]["enum"][0] == "language"
    assert session["actions"]["items"]["properties"]["owner"]["enum"][0] == "counsellor"
    assert {k: session["duration_minutes"][k] for k in ("type", "minimum", "maximum")} == {
        "type": "integer",
        "minimum": 1,
        "maximum": 720,
    }
    assert body("/api/v1/counselling/cases/{case_id}", "patch")["closing_reason"]["enum"][0] == "goals_met"
    assert "Bøgeparken" in body("/api/v1/counselling/groups", "post")["area"]["enum"]
    assert body("/api/v1/counselling/cases/{case_id}/referrals/{referral_id}", "patch")["version"]["type"] == "integer"


def test_path_ids_are_uuids(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for rule in _counselling_rules(app):
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            for parameter in paths[_path(rule)][method.lower()]["parameters"]:
                if parameter["in"] == "path":
                    assert parameter["schema"] == {"type": "string", "format": "uuid"}, (rule.endpoint, parameter)
    headers = {"Authorization": "Bearer nothing"}
    assert client.get("/api/v1/counselling/cases/not-a-uuid", headers=headers).status_code == 404


# What the routes answer, against what the document declares for them

_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list, "object": dict}


def _problems(value, schema: dict, where: str = "") -> list[str]:
    """Where `value` breaks `schema` (the OpenAPI 3.0 subset the counselling schemas use)."""
    if value is None:
        return [] if schema.get("nullable") else [f"{where}: null"]
    expected = _TYPES[schema["type"]]
    if not isinstance(value, expected) or (isinstance(value, bool) and schema["type"] != "boolean"):
        return [f"{where}: {value!r} is not {schema['type']}"]
    found = []
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in enum")
    if schema.get("format") == "uuid":
        uuid.UUID(value)
    if schema.get("format") == "date":
        date.fromisoformat(value)
    if "minimum" in schema and value < schema["minimum"] or "maximum" in schema and value > schema["maximum"]:
        found.append(f"{where}: {value} out of range")
    if schema["type"] == "object":
        found += [f"{where}.{name}: missing" for name in schema.get("required", []) if name not in value]
        found += [f"{where}.{name}: not declared" for name in value if name not in schema["properties"]]
        for name, item in value.items():
            if name in schema["properties"]:
                found += _problems(item, schema["properties"][name], f"{where}.{name}")
    if schema["type"] == "array":
        for index, item in enumerate(value):
            found += _problems(item, schema["items"], f"{where}[{index}]")
    return found


def test_answers_have_their_declared_shape(app, client, make_user, make_family, make_case, api_token):
    worker = make_user("social_worker")
    family = make_family(worker)
    case_id = make_case(worker, family)
    with app.app_context():
        theme = make_period().themes[0].id
        db.session.commit()
    headers = bearer(api_token(worker))
    document = client.get("/api/v1/openapi.json").get_json()["paths"]
    checked = set()

    def call(method, url, template, json=None):
        response = getattr(client, method)(url, headers=headers, json=json)
        assert response.status_code < 300, (url, response.get_json())
        declared = document[template][method]["responses"][str(response.status_code)]
        schema = declared["content"]["application/json"]["schema"]
        assert _problems(response.get_json(), schema) == [], (method, template)
        checked.add((method, template))
        return response.get_json()

    base, case = "/api/v1/counselling", f"/api/v1/counselling/cases/{case_id}"
    cases, one = f"{base}/cases", f"{base}/cases/{{case_id}}"
    call("get", cases, cases)
    made = call("post", cases, cases, {"person_id": family["parent"], "focus_areas": ["democracy"]})
    detail = call("get", case, one)
    tagged = call("patch", case, one, {"plan_theme": str(theme), "version": detail["version"]})
    assert [t["theme"]["id"] for t in tagged["plan_tags"]] == [theme]
    goal = call("post", f"{case}/goals", f"{one}/goals", {"description": "Læse højt"})
    call("patch", f"{case}/goals/{goal['id']}", f"{one}/goals/{{goal_id}}", {"status": "achieved", "version": 1})
    sessions = call("get", f"{case}/sessions", f"{one}/sessions")
    session = call(
        "post",
        f"{case}/sessions",
        f"{one}/sessions",
        {
            "held_on": date.today().isoformat(),
            "duration_minutes": 30,
            "kind": "phone",
            "notes": "Kort opkald",
            "attendees": [family["parent"]],
        },
    )
    amendments = f"{one}/sessions/{{session_id}}/amendments"
    call("post", f"{case}/sessions/{session['id']}/amendments", amendments, {"text": "Rettelse"})
    call("get", f"{case}/sessions/{session['id']}/amendments", amendments)
    action = call("get", f"{case}/actions", f"{one}/actions")["items"][0]
    call(
        "patch",
        f"{case}/actions/{action['id']}",
        f"{one}/actions/{{action_id}}",
        {"status": "done", "version": action["version"]},
    )
    record = call(
        "post",
        f"{case}/attendance",
        f"{one}/attendance",
        {
            "child_id": family["child"],
            "institution_kind": "school",
            "period_start": "2026-09-01",
            "period_end": "2026-09-30",
            "attendance_percent": 88.5,
        },
    )
    call(
        "patch",
        f"{case}/attendance/{record['id']}",
        f"{one}/attendance/{{record_id}}",
        {"days_absent": 2, "version": record["version"]},
    )
    call("get", f"{case}/attendance", f"{one}/attendance")
    referral = call("post", f"{case}/referrals", f"{one}/referrals", {"service": "ppr", "person_id": family["child"]})
    call(
        "patch",
        f"{case}/referrals/{referral['id']}",
        f"{one}/referrals/{{referral_id}}",
        {"status": "sent", "version": referral["version"]},
    )
    call("get", f"{case}/referrals", f"{one}/referrals")
    group = call(
        "post",
        f"{base}/groups",
        f"{base}/groups",
        {"title": "Forældrecafé", "held_on": date.today().isoformat(), "duration_minutes": 60, "area": "Bøgeparken"},
    )
    one_group = f"{base}/groups/{{group_id}}"
    call("post", f"{base}/groups/{group['id']}/register", f"{one_group}/register", {"case_id": case_id})
    call("get", f"{base}/groups", f"{base}/groups")
    call("get", f"{base}/groups/{group['id']}", one_group)
    call("delete", f"{base}/groups/{group['id']}/register/{case_id}", f"{one_group}/register/{{case_id}}")
    assert made["household_id"] == family["household"]  # left out: the parent's one household
    assert sessions["total"] == 1
    routes = {(m.lower(), _path(r)) for r in _counselling_rules(app) for m in r.methods - {"HEAD", "OPTIONS"}}
    assert checked == routes
