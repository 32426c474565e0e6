"""JSON routes for residents, households and assignments under /api/v1."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_login import current_user
from sqlalchemy import select

from caseapp import audit
from caseapp.blueprints.api import bp as api
from caseapp.blueprints.api.helpers import doc, json_body, paged, run_verb
from caseapp.blueprints.people import services
from caseapp.errors import ApiError
from caseapp.extensions import db
from caseapp.models.people import PROGRAMMES, Assignment, Person
from caseapp.models.users import User
from caseapp.security.permissions import Permission, require

PERSON_BODY = {"type": "object", "properties": {
    **{f: {"type": "string"} for f in services.PERSON_FIELDS}, "version": {"type": "integer"}}}
MAX_FIELD = {"first_name": 100, "last_name": 100, "cpr": 20, "phone": 40, "email": 254, "address": 200,
             "area": 80, "preferred_language": 60, "notes": 5000}


def person_json(person: Person) -> dict:
    data = {"id": str(person.id), "version": person.version, "first_name": person.first_name,
            "last_name": person.last_name, "birth_date": person.birth_date, "birth_year": person.birth_year,
            "phone": person.phone, "email": person.email, "address": person.address, "area": person.area,
            "preferred_language": person.preferred_language, "notes": person.notes}
    if services.can_read_cpr(current_user):
        data["cpr"] = person.cpr
    return data


def person_summary(person: Person) -> dict:
    return {"id": str(person.id), "first_name": person.first_name, "last_name": person.last_name,
            "birth_year": person.birth_year, "area": person.area}


def _person_input(data: dict, *, partial: bool) -> dict:
    """Only known fields, as strings or null; 422 for wrong types, sizes or a bad CPR."""
    fields, problems = {}, {}
    for name in services.PERSON_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if value is not None and not isinstance(value, str):
            problems[name] = "must be a string or null"
        elif value and len(value) > MAX_FIELD[name]:
            problems[name] = f"at most {MAX_FIELD[name]} characters"
        else:
            fields[name] = value
    if not partial and not (fields.get("first_name") or fields.get("last_name")):
        problems["first_name"] = "a first or last name is required"
    if fields.get("email") and "@" not in fields["email"]:
        problems["email"] = "not a valid e-mail address"
    if problems:
        raise ApiError(422, "Some fields are not valid", problems)
    return fields


def _person_or_404(person_id) -> Person:
    person = services.get_visible_person(person_id, current_user)
    if person is None:
        raise ApiError(404, "Not found")
    return person


def _version(data: dict) -> int:
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ApiError(422, "Send the version you last read", {"version": "required, an integer"})
    return version


@api.post("/people")
@require(Permission.PEOPLE_CREATE)
@doc("Register a resident", body=PERSON_BODY, responses={"201": "Created: id and version"})
def people_create():
    fields = _person_input(json_body(), partial=False)
    person = run_verb(lambda: services.create_person(fields, current_user), "resident")
    return {"id": str(person.id), "version": person.version}, 201


@api.get("/people")
@require(Permission.PEOPLE_READ)
@doc("Residents visible to you (mine=1: your own caseload), paged",
     params=[{"name": n, "in": "query", "schema": {"type": t}} for n, t in
             (("page", "integer"), ("per_page", "integer"), ("mine", "integer"), ("area", "string"))])
def people_list():
    query = services.caseload_query(current_user, everyone=request.args.get("mine") != "1",
                                    area=request.args.get("area") or None)
    body = paged(query, person_summary)
    audit.record("person.list", object_type="person", detail={"page": body["page"], "count": len(body["items"])})
    return body


@api.get("/people/<person_id>")
@require(Permission.PEOPLE_READ)
@doc("One resident (CPR only for roles that may read it)")
def people_get(person_id):
    person = _person_or_404(person_id)
    services.audit_view(person)
    return person_json(person)


@api.patch("/people/<person_id>")
@require(Permission.PEOPLE_EDIT)
@doc("Change a resident; send the version you read (409 when someone saved since)", body=PERSON_BODY)
def people_update(person_id):
    person = _person_or_404(person_id)
    data = json_body()
    version = _version(data)
    fields = _person_input(data, partial=True)
    run_verb(lambda: services.update_person(person, fields, version, current_user), "resident")
    return person_json(person)


@api.post("/people/search")
@require(Permission.PEOPLE_READ)
@doc("Search by exact CPR or by name words (POST, so the term never appears in a URL)",
     body={"type": "object", "properties": {"cpr": {"type": "string"}, "name": {"type": "string"}}})
def people_search():
    data = json_body()
    cpr, name = data.get("cpr"), data.get("name")
    if not isinstance(cpr, str | None) or not isinstance(name, str | None) or not ((cpr or "").strip()
                                                                                    or (name or "").strip()):
        raise ApiError(422, "Send a cpr or a name", {"cpr": "a string", "name": "a string"})
    body = paged(services.search(current_user, cpr=(cpr or "").strip() or None, name=name), person_summary)
    return body


# Households

def household_json(household) -> dict:
    return {"id": str(household.id), "version": household.version, "area": household.area,
            "members": [{"person_id": str(m.person_id), "relation": m.relation}
                        for m in services.visible_members(household, current_user)]}


def _household_or_404(household_id):
    household = services.get_visible_household(household_id, current_user)
    if household is None:
        raise ApiError(404, "Not found")
    return household


MEMBER_BODY = {"type": "object", "properties": {"person_id": {"type": "string"}, "relation": {"type": "string"}}}


@api.get("/households")
@require(Permission.PEOPLE_READ)
@doc("Households with a member visible to you, paged")
def households_list():
    body = paged(services.households_visible_to(current_user), household_json)
    audit.record("household.list", object_type="household", detail={"page": body["page"]})
    return body


@api.post("/households")
@require(Permission.PEOPLE_EDIT)
@doc("Create a household", body={"type": "object", "properties": {
    "area": {"type": "string"}, "members": {"type": "array", "items": MEMBER_BODY}}},
     responses={"201": "Created"})
def households_create():
    data = json_body()
    members = data.get("members")
    if not isinstance(members, list) or not members or not all(isinstance(m, dict) for m in members):
        raise ApiError(422, "Send at least one member", {"members": "a list of {person_id, relation}"})
    pairs = [(_person_or_404(m.get("person_id")), m.get("relation")) for m in members]
    household = run_verb(lambda: services.create_household(pairs, current_user, area=data.get("area")))
    return household_json(household), 201


@api.get("/households/<household_id>")
@require(Permission.PEOPLE_READ)
@doc("One household (members you may not see are left out)")
def households_get(household_id):
    household = _household_or_404(household_id)
    audit.record("household.view", object_type="household", object_id=household.id)
    return household_json(household)


@api.post("/households/<household_id>/members")
@require(Permission.PEOPLE_EDIT)
@doc("Add a member; send the household's version", body=MEMBER_BODY)
def households_add_member(household_id):
    household = _household_or_404(household_id)
    data = json_body()
    version = _version(data)
    person = _person_or_404(data.get("person_id"))
    run_verb(lambda: services.add_member(household, person, data.get("relation"), version), "household")
    return household_json(_household_or_404(household_id))


@api.delete("/households/<household_id>/members/<person_id>")
@require(Permission.PEOPLE_EDIT)
@doc("Remove a member (?version= the household's version)")
def households_remove_member(household_id, person_id):
    household = _household_or_404(household_id)
    person = _person_or_404(person_id)
    try:
        version = int(request.args.get("version", ""))
    except ValueError:
        raise ApiError(422, "Send ?version=", {"version": "required, an integer"}) from None
    run_verb(lambda: services.remove_member(household, person.id, version), "household")
    return household_json(_household_or_404(household_id))


# Assignments

def assignment_json(a: Assignment) -> dict:
    return {"id": a.id, "user_id": a.user_id, "programme": a.programme, "starts_on": a.starts_on.isoformat(),
            "ends_on": a.ends_on.isoformat() if a.ends_on else None, "active": a.is_active}


def _date(value, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ApiError(422, "Some fields are not valid", {name: "an ISO date, YYYY-MM-DD"}) from None


@api.get("/people/<person_id>/assignments")
@require(Permission.PEOPLE_READ)
@doc("Who is responsible for the resident in which programme")
def assignments_list(person_id):
    person = _person_or_404(person_id)
    rows = db.session.scalars(select(Assignment).where(Assignment.person_id == person.id)
                              .order_by(Assignment.starts_on)).all()
    audit.record("assignment.list", object_type="assignment", subject_id=person.id)
    return {"items": [assignment_json(a) for a in rows], "page": 1, "per_page": len(rows), "total": len(rows)}


@api.post("/people/<person_id>/assignments")
@require(Permission.ASSIGNMENTS_MANAGE)
@doc("Assign a staff member (leaders)", body={"type": "object", "properties": {
    "user_id": {"type": "integer"}, "programme": {"type": "string", "enum": list(PROGRAMMES)},
    "starts_on": {"type": "string", "format": "date"}, "ends_on": {"type": "string", "format": "date"}}},
     responses={"201": "Created"})
def assignments_create(person_id):
    person = _person_or_404(person_id)
    data = json_body()
    staff = db.session.get(User, data.get("user_id")) if isinstance(data.get("user_id"), int) else None
    if staff is None or not staff.active:
        raise ApiError(422, "Some fields are not valid", {"user_id": "not an active staff member"})
    starts_on, ends_on = _date(data.get("starts_on"), "starts_on"), _date(data.get("ends_on"), "ends_on")
    assignment = run_verb(lambda: services.assign(person, staff, data.get("programme"), current_user,
                                                  starts_on, ends_on))
    return assignment_json(assignment), 201


@api.patch("/people/<person_id>/assignments/<int:assignment_id>")
@require(Permission.ASSIGNMENTS_MANAGE)
@doc("End an assignment (leaders)", body={"type": "object", "properties": {
    "ends_on": {"type": "string", "format": "date"}}})
def assignments_end(person_id, assignment_id):
    person = _person_or_404(person_id)
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.person_id != person.id:
        raise ApiError(404, "Not found")
    services.end_assignment(assignment, current_user, _date(json_body().get("ends_on"), "ends_on"))
    db.session.commit()
    return assignment_json(assignment)


