"""JSON routes for residents, households and assignments under /api/v1."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy import select

from caseapp import audit
from caseapp.bounds import query_int
from caseapp.crypto.fields import require_readable
from caseapp.errors import ApiError, InvalidInput
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.platform.api.helpers import body_version, doc, json_body, paged, run_verb, validate_form
from caseapp.platform.api.schema import page_of
from caseapp.register import services
from caseapp.register.models import Assignment, Person, listed
from caseapp.register.pages import api_bp as api
from caseapp.register.pages.forms import (
    AssignmentForm,
    EndAssignmentForm,
    HouseholdForm,
    MemberForm,
    PersonForm,
    SearchForm,
)
from caseapp.security.permissions import Permission, require

STR, NSTR = {"type": "string"}, {"type": "string", "nullable": True}
PERSON_SUMMARY = {
    "type": "object",
    "required": ["id", "first_name", "last_name"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "first_name": NSTR,
        "last_name": NSTR,
        "birth_year": {"type": "integer", "nullable": True},
        "area": NSTR,
        "gender": {"type": "string", "nullable": True, "enum": ["female", "male", "other", "unknown", None]},
    },
}
PERSON = {
    "type": "object",
    "required": ["id", "version"],
    "properties": {
        **PERSON_SUMMARY["properties"],
        "version": {"type": "integer"},
        "cpr": NSTR,
        "birth_date": NSTR,
        **{f: NSTR for f in ("phone", "email", "address", "preferred_language", "notes")},
    },
}
CREATED = {
    "type": "object",
    "required": ["id", "version"],
    "properties": {"id": {"type": "string", "format": "uuid"}, "version": {"type": "integer"}},
}


def person_json(person: Person) -> dict:
    data = {
        "id": str(person.id),
        "version": person.version,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date,
        "birth_year": person.birth_year,
        "phone": person.phone,
        "email": person.email,
        "address": person.address,
        "area": person.area,
        "gender": person.gender,
        "preferred_language": person.preferred_language,
        "notes": person.notes,
    }
    if services.can_read_cpr(current_user):
        data["cpr"] = person.cpr
    return data


def person_summary(person: Person) -> dict:
    return {
        "id": str(person.id),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_year": person.birth_year,
        "area": person.area,
        "gender": person.gender,
    }


def _person_or_404(person_id) -> Person:
    person = services.get_visible_person(person_id, current_user)
    if person is None:
        raise ApiError(404, "Not found")
    return require_readable(person)


@api.post("/people")
@require(Permission.PEOPLE_CREATE)
@doc("Register a resident", form=PersonForm, responses={"201": ("Created: id and version", CREATED)})
def people_create():
    form = validate_form(PersonForm, json_body())
    person = services.create_person(form.to_input(), current_user)
    return {"id": str(person.id), "version": person.version}, 201


@api.get("/people")
@require(Permission.PEOPLE_READ)
@doc(
    "Residents visible to you (mine=1: your own caseload), paged",
    params=[
        {"name": n, "in": "query", "schema": {"type": t}}
        for n, t in (("page", "integer"), ("per_page", "integer"), ("mine", "integer"), ("area", "string"))
    ],
    responses={"200": ("A page of residents", page_of(PERSON_SUMMARY))},
)
def people_list():
    query = services.caseload_query(
        current_user, everyone=request.args.get("mine") != "1", area=request.args.get("area") or None
    )
    body = paged(query.options(listed()), person_summary)
    audit.record("person.list", object_type="person", detail={"page": body["page"], "count": len(body["items"])})
    return body


@api.get("/people/<uuid:person_id>")
@require(Permission.PEOPLE_READ)
@doc("One resident (CPR only for roles that may read it)", responses={"200": ("The resident", PERSON)})
def people_get(person_id):
    person = _person_or_404(person_id)
    services.audit_view(person)
    return person_json(person)


@api.patch("/people/<uuid:person_id>")
@require(Permission.PEOPLE_EDIT)
@doc(
    "Change a resident: the fields sent, on the version you read (409 when someone saved since)",
    form=PersonForm,
    responses={"200": ("The resident", PERSON)},
)
def people_update(person_id):
    person = _person_or_404(person_id)
    data = json_body()
    version = body_version(data)
    current = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    form = validate_form(PersonForm, {**current, **data})
    run_verb(lambda: services.update_person(person, form.to_input(), version, current_user), "resident")
    return person_json(person)


@api.post("/people/search")
@require(Permission.PEOPLE_READ)
@doc(
    "Search by exact CPR or by name words (POST, so the term never appears in a URL)",
    form=SearchForm,
    responses={"200": ("A page of residents", page_of(PERSON_SUMMARY))},
)
def people_search():
    form = validate_form(SearchForm, json_body())
    return paged(
        services.search(current_user, cpr=(form.cpr.data or "").strip() or None, name=form.name.data).options(listed()),
        person_summary,
    )


# Households


def household_json(household) -> dict:
    return {
        "id": str(household.id),
        "version": household.version,
        "area": household.area,
        "members": [
            {"person_id": str(m.person_id), "relation": m.relation}
            for m in services.visible_members(household, current_user)
        ],
    }


def _household_or_404(household_id):
    household = services.get_visible_household(household_id, current_user)
    if household is None:
        raise ApiError(404, "Not found")
    return household


HOUSEHOLD = {
    "type": "object",
    "required": ["id", "version", "members"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "version": {"type": "integer"},
        "area": NSTR,
        "members": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"person_id": {"type": "string", "format": "uuid"}, "relation": STR},
            },
        },
    },
}


@api.get("/households")
@require(Permission.PEOPLE_READ)
@doc("Households with a member visible to you, paged", responses={"200": ("A page of households", page_of(HOUSEHOLD))})
def households_list():
    body = paged(services.households_visible_to(current_user), household_json)
    audit.record("household.list", object_type="household", detail={"page": body["page"]})
    return body


@api.post("/households")
@require(Permission.PEOPLE_EDIT)
@doc("Create a household with at least one member", form=HouseholdForm, responses={"201": ("The household", HOUSEHOLD)})
def households_create():
    form = validate_form(HouseholdForm, json_body())
    pairs = [(_person_or_404(row.person_id.data), row.relation.data) for row in (e.form for e in form.members)]
    household = services.create_household(pairs, current_user, area=form.area.data or None)
    return household_json(household), 201


@api.get("/households/<uuid:household_id>")
@require(Permission.PEOPLE_READ)
@doc("One household (members you may not see are left out)", responses={"200": ("The household", HOUSEHOLD)})
def households_get(household_id):
    household = _household_or_404(household_id)
    audit.record("household.view", object_type="household", object_id=household.id)
    return household_json(household)


@api.post("/households/<uuid:household_id>/members")
@require(Permission.PEOPLE_EDIT)
@doc("Add a member; send the household's version", form=MemberForm, responses={"200": ("The household", HOUSEHOLD)})
def households_add_member(household_id):
    household = _household_or_404(household_id)
    data = json_body()
    version = body_version(data)
    form = validate_form(MemberForm, data)
    person = _person_or_404(form.person_id.data)
    run_verb(lambda: services.add_member(household, person, form.relation.data, version), "household")
    return household_json(_household_or_404(household_id))


@api.delete("/households/<uuid:household_id>/members/<uuid:person_id>")
@require(Permission.PEOPLE_EDIT)
@doc(
    "Remove a member (?version= the household's version)",
    responses={"200": ("The household", HOUSEHOLD)},
    params=[{"name": "version", "in": "query", "required": True, "schema": {"type": "integer"}}],
)
def households_remove_member(household_id, person_id):
    household = _household_or_404(household_id)
    person = _person_or_404(person_id)
    version = query_int("version", None)
    if version is None:
        raise ApiError(422, "Send ?version=", {"version": "required, an integer"})
    run_verb(lambda: services.remove_member(household, person.id, version), "household")
    return household_json(_household_or_404(household_id))


# Assignments


def assignment_json(a: Assignment) -> dict:
    return {
        "id": a.id,
        "user_id": a.user_id,
        "programme": a.programme,
        "starts_on": a.starts_on.isoformat(),
        "ends_on": a.ends_on.isoformat() if a.ends_on else None,
        "active": a.is_active,
    }


ASSIGNMENT = {
    "type": "object",
    "required": ["id", "user_id", "programme", "starts_on", "active"],
    "properties": {
        "id": {"type": "integer"},
        "user_id": {"type": "integer"},
        "programme": STR,
        "starts_on": {"type": "string", "format": "date"},
        "ends_on": {"type": "string", "format": "date", "nullable": True},
        "active": {"type": "boolean"},
    },
}


@api.get("/people/<uuid:person_id>/assignments")
@require(Permission.PEOPLE_READ)
@doc(
    "Who is responsible for the resident in which programme",
    responses={"200": ("Every assignment", page_of(ASSIGNMENT))},
)
def assignments_list(person_id):
    person = _person_or_404(person_id)
    rows = db.session.scalars(
        select(Assignment).where(Assignment.person_id == person.id).order_by(Assignment.starts_on)
    ).all()
    audit.record("assignment.list", object_type="assignment", subject_id=person.id)
    return {"items": [assignment_json(a) for a in rows], "page": 1, "per_page": len(rows), "total": len(rows)}


@api.post("/people/<uuid:person_id>/assignments")
@require(Permission.ASSIGNMENTS_MANAGE)
@doc("Assign a staff member (leaders)", form=AssignmentForm, responses={"201": ("The assignment", ASSIGNMENT)})
def assignments_create(person_id):
    person = _person_or_404(person_id)
    form = validate_form(AssignmentForm, json_body())
    staff = db.session.get(User, form.user_id.data)
    if staff is None or not staff.active:
        raise InvalidInput({"user_id": "not an active staff member"})
    assignment = services.assign(
        person, staff, form.programme.data, current_user, form.starts_on.data, form.ends_on.data
    )
    return assignment_json(assignment), 201


@api.patch("/people/<uuid:person_id>/assignments/<int:assignment_id>")
@require(Permission.ASSIGNMENTS_MANAGE)
@doc("End an assignment (leaders)", form=EndAssignmentForm, responses={"200": ("The assignment", ASSIGNMENT)})
def assignments_end(person_id, assignment_id):
    person = _person_or_404(person_id)
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.person_id != person.id:
        raise ApiError(404, "Not found")
    form = validate_form(EndAssignmentForm, json_body())
    services.end_assignment(assignment, current_user, form.ends_on.data)
    return assignment_json(assignment)
