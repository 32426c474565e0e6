"""JSON routes under /api/v1/community: the same verbs, forms and access rules as the pages."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy import select

from caseapp.crypto.fields import require_readable
from caseapp.domains.community import access, queries, services
from caseapp.domains.community import api_bp as api
from caseapp.domains.community import serialise as out
from caseapp.domains.community.forms import (
    ActivityEditForm,
    ActivityForm,
    AssociationEditForm,
    AssociationForm,
    HoursForm,
    OccurrenceForm,
    PlacementForm,
    SupportForm,
    VettingEditForm,
    VettingForm,
    VolunteerEditForm,
    VolunteerForm,
)
from caseapp.domains.community.models import Occurrence
from caseapp.errors import ApiError
from caseapp.extensions import db
from caseapp.platform.api.helpers import doc, json_body, page_args, paged, run_verb, validate_form
from caseapp.platform.api.schema import page_of
from caseapp.security.permissions import Permission, require

P = Permission
PAGE_PARAMS = [{"name": n, "in": "query", "schema": {"type": "integer", "minimum": 1}} for n in ("page", "per_page")]
Q_PARAM = {"name": "q", "in": "query", "schema": {"type": "string"}}


def _run(verb, what="record"):
    return run_verb(verb, what)


def _version(data: dict) -> int:
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ApiError(422, "Send the version you last read", {"version": "required, an integer"})
    return version


def _strict(form_class, data: dict) -> None:
    """Refuse fields the form does not take (a certificate file has no field to land in): 422."""
    unknown = sorted(set(data) - set(form_class(meta={"csrf": False})._fields) - {"version"})
    if unknown:
        raise ApiError(422, "Some fields are not taken", {k: "not a field of this record" for k in unknown})


def _patch(form_class, current: dict, data: dict, **kwargs):
    """Validate the record as it would be after the change; the verb gets only the fields sent."""
    _strict(form_class, data)
    merged = {**{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in current.items()}, **data}
    form = validate_form(form_class, merged, **kwargs)
    return {k: form[k].data for k in data if k in form._fields and k != "version"}


def _manager():
    services.check_manager(current_user)


# Associations ------------------------------------------------------------------------------------


@api.get("/associations")
@require(P.COMMUNITY_READ)
@doc(
    "Associations, active first, by name (the contact person's name only for coordinators and leaders)",
    params=[*PAGE_PARAMS, Q_PARAM],
    responses={"200": ("A page of associations", page_of(out.ASSOCIATION_SUMMARY))},
)
def associations_list():
    names = access.reads_volunteers(current_user)
    body = paged(queries.association_list(current_user, request.args.get("q")), lambda a: a)
    if names:
        queries.audit_volunteers([a.contact for a in body["items"] if a.contact], where="associations")
    body["items"] = [out.association_json(a, names=names, brief=True) for a in body["items"]]
    return body


@api.post("/associations")
@require(P.COMMUNITY_MANAGE)
@doc("Register an association", form=AssociationForm, responses={"201": ("The association", out.ASSOCIATION)})
def associations_create():
    data = json_body()
    _strict(AssociationForm, data)
    form = validate_form(AssociationForm, data)
    made = _run(lambda: services.create_association(form.values(), current_user))
    return out.association_json(made, names=True), 201


@api.get("/associations/<uuid:association_id>")
@require(P.COMMUNITY_READ)
@doc("One association with the support given", responses={"200": ("The association", out.ASSOCIATION)})
def associations_get(association_id):
    association = _run(lambda: access.visible_association(association_id, current_user))
    names = access.reads_volunteers(current_user)
    if names and association.contact:
        queries.audit_volunteer(association.contact, what="view")
    return out.association_json(association, names=names)


@api.patch("/associations/<uuid:association_id>")
@require(P.COMMUNITY_MANAGE)
@doc(
    "Change an association (send the version you read); a stale version is 409",
    form=AssociationEditForm,
    responses={"200": ("The association", out.ASSOCIATION)},
)
def associations_update(association_id):
    association = _run(lambda: access.visible_association(association_id, current_user))
    data = json_body()
    version = _version(data)
    current = {f: getattr(association, f) for f in services.ASSOCIATION_FIELDS}
    current["contact_volunteer_id"] = str(association.contact_volunteer_id or "")
    fields = _patch(AssociationEditForm, current, data)
    _run(lambda: services.update_association(association, fields, version, current_user), "association")
    return out.association_json(association, names=True)


@api.post("/associations/<uuid:association_id>/support")
@require(P.COMMUNITY_MANAGE)
@doc("Record support given to an association", form=SupportForm, responses={"201": ("The support", out.SUPPORT)})
def associations_support(association_id):
    association = _run(lambda: access.visible_association(association_id, current_user))
    data = json_body()
    _strict(SupportForm, data)
    form = validate_form(SupportForm, data)
    made = _run(lambda: services.add_support(association, form.values(), current_user))
    return out.support_json(made), 201


# Volunteers --------------------------------------------------------------------------------------


def _volunteer(volunteer_id):
    volunteer = _run(lambda: queries.volunteer_detail(volunteer_id, current_user))
    return require_readable(volunteer)


def _volunteer_body(volunteer) -> dict:
    status, expiry = services.vetting_status(volunteer), services.vetting_expiry(volunteer)
    return out.volunteer_json(volunteer, status, expiry)


@api.get("/volunteers")
@require(P.VOLUNTEERS_READ)
@doc(
    "Volunteers (coordinators and leaders), active first; `q` finds a word of the name",
    params=[*PAGE_PARAMS, Q_PARAM],
    responses={"200": ("A page of volunteers", page_of(out.VOLUNTEER_SUMMARY))},
)
def volunteers_list():
    body = paged(queries.volunteer_list(current_user, request.args.get("q")), lambda v: v)
    found = queries.statuses(body["items"])
    queries.audit_volunteers(body["items"], where="api")
    body["items"] = [out.volunteer_json(v, *found[v.id], brief=True) for v in body["items"]]
    return body


@api.post("/volunteers")
@require(P.COMMUNITY_MANAGE)
@doc(
    "Register a volunteer: a new person with a name and contact, or (for those who may see them in the "
    "register) an existing person by `person_id`",
    form=VolunteerForm,
    responses={"201": ("The volunteer", out.VOLUNTEER)},
)
def volunteers_create():
    data = json_body()
    _strict(VolunteerForm, data)
    form = validate_form(VolunteerForm, data)
    made = _run(lambda: services.create_volunteer(form.values(), current_user))
    return _volunteer_body(made), 201


@api.get("/volunteers/<uuid:volunteer_id>")
@require(P.VOLUNTEERS_READ)
@doc(
    "One volunteer: name, contact, associations, placements and vetting status (audited)",
    responses={"200": ("The volunteer", out.VOLUNTEER)},
)
def volunteers_get(volunteer_id):
    volunteer = _volunteer(volunteer_id)
    queries.audit_volunteer(volunteer)
    return _volunteer_body(volunteer)


@api.patch("/volunteers/<uuid:volunteer_id>")
@require(P.COMMUNITY_MANAGE)
@doc(
    "Change a volunteer's name, contact, associations or dates (send the version you read)",
    form=VolunteerEditForm,
    responses={"200": ("The volunteer", out.VOLUNTEER)},
)
def volunteers_update(volunteer_id):
    volunteer = _volunteer(volunteer_id)
    data = json_body()
    version = _version(data)
    data.pop("person_id", None)
    person = volunteer.person
    current = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "phone": person.phone,
        "email": person.email,
        "area": person.area,
        "started_on": volunteer.started_on,
        "ended_on": volunteer.ended_on,
        "associations": [str(m.association_id) for m in volunteer.memberships],
    }
    fields = _patch(VolunteerEditForm, {k: v for k, v in current.items() if v is not None}, data)
    _run(lambda: services.update_volunteer(volunteer, fields, version, current_user), "volunteer")
    return _volunteer_body(volunteer)


@api.get("/volunteers/<uuid:volunteer_id>/vetting")
@require(P.VOLUNTEERS_READ)
@doc(
    "A volunteer's child-protection vetting: status, expiry and every check (dates and assessment only)",
    responses={"200": ("The vetting", out.VETTING_STATE)},
)
def volunteers_vetting(volunteer_id):
    volunteer = _volunteer(volunteer_id)
    queries.audit_volunteer(volunteer, what="vetting.view")
    return {
        "status": services.vetting_status(volunteer),
        "expires_on": out.iso(services.vetting_expiry(volunteer)),
        "items": [out.vetting_json(v) for v in volunteer.vettings],
    }


@api.post("/volunteers/<uuid:volunteer_id>/vetting")
@require(P.COMMUNITY_MANAGE)
@doc(
    "Record a child-protection check: dates, assessment and a note. The certificate itself is never "
    "stored: any other field (a file) is refused with 422",
    form=VettingForm,
    responses={"201": ("The check", out.VETTING)},
)
def volunteers_vetting_add(volunteer_id):
    volunteer = _volunteer(volunteer_id)
    data = json_body()
    _strict(VettingForm, data)
    form = validate_form(VettingForm, data)
    made = _run(lambda: services.add_vetting(volunteer, form.values(), current_user))
    return out.vetting_json(made), 201


@api.patch("/volunteers/<uuid:volunteer_id>/vetting/<uuid:vetting_id>")
@require(P.COMMUNITY_MANAGE)
@doc(
    "Complete a check (consent, receipt, assessment); send the version you read",
    form=VettingEditForm,
    responses={"200": ("The check", out.VETTING)},
)
def volunteers_vetting_update(volunteer_id, vetting_id):
    volunteer = _volunteer(volunteer_id)
    record = _run(lambda: services.vetting_of(volunteer, vetting_id))
    data = json_body()
    version = _version(data)
    current = {f: getattr(record, f) for f in services.VETTING_FIELDS if getattr(record, f) is not None}
    fields = _patch(VettingEditForm, current, data)
    if "assessment" in fields:
        fields["assessment"] = fields["assessment"] or None
    _run(lambda: services.update_vetting(record, fields, version, current_user), "vetting")
    return out.vetting_json(record)


@api.get("/volunteers/<uuid:volunteer_id>/hours")
@require(P.VOLUNTEERS_READ)
@doc(
    "The hours a volunteer gave, per activity and day",
    params=PAGE_PARAMS,
    responses={"200": ("A page of hours", page_of(out.HOURS))},
)
def volunteers_hours(volunteer_id):
    volunteer = _volunteer(volunteer_id)
    queries.audit_volunteer(volunteer, what="hours.view")
    from sqlalchemy.orm import selectinload

    from caseapp.domains.community.models import VolunteerHours

    query = (
        select(VolunteerHours)
        .where(VolunteerHours.volunteer_id == volunteer.id)
        .options(selectinload(VolunteerHours.activity))
        .order_by(VolunteerHours.given_on.desc(), VolunteerHours.id)
    )
    return paged(query, out.hours_json)


def _activity_choice(form_class, data):
    form = validate_form(form_class, data)
    activity = _run(lambda: access.visible_activity(form.activity_id.data, current_user))
    return form, activity


@api.post("/volunteers/<uuid:volunteer_id>/hours")
@require(P.COMMUNITY_MANAGE)
@doc("Record hours a volunteer gave an activity", form=HoursForm, responses={"201": ("The hours", out.HOURS)})
def volunteers_hours_add(volunteer_id):
    volunteer = _volunteer(volunteer_id)
    data = json_body()
    _strict(HoursForm, data)
    form, activity = _activity_choice(HoursForm, data)
    made = _run(lambda: services.log_hours(volunteer, activity, form.values(), current_user))
    return out.hours_json(made), 201


@api.post("/volunteers/<uuid:volunteer_id>/placements")
@require(P.COMMUNITY_MANAGE, P.VETTING_OVERRIDE)
@doc(
    "Place a volunteer on an activity. Contact with children under 15 without a valid certificate is "
    "refused (422) unless a leader gives `override_reason`",
    form=PlacementForm,
    responses={"201": ("The placement", out.PLACEMENT)},
)
def volunteers_place(volunteer_id):
    volunteer = _volunteer(volunteer_id)
    data = json_body()
    _strict(PlacementForm, data)
    data.setdefault("children_contact", True)
    form, activity = _activity_choice(PlacementForm, data)
    made = _run(lambda: services.place(volunteer, activity, form.values(), current_user))
    return out.placement_json(made), 201


# Activities --------------------------------------------------------------------------------------

KIND_PARAM = {"name": "kind", "in": "query", "schema": {"type": "string"}}


@api.get("/activities")
@require(P.COMMUNITY_READ)
@doc(
    "Activities and events, newest first, with their volunteer hours in total",
    params=[*PAGE_PARAMS, Q_PARAM, KIND_PARAM],
    responses={"200": ("A page of activities", page_of(out.ACTIVITY))},
)
def activities_list():
    body = paged(queries.activity_list(current_user, request.args.get("q"), request.args.get("kind")), lambda a: a)
    hours = services.hour_totals(a.id for a in body["items"])
    body["items"] = [out.activity_json(a, hours.get(a.id)) for a in body["items"]]
    return body


@api.post("/activities")
@require(P.COMMUNITY_MANAGE)
@doc(
    "Register an activity or event (plan tags optional)",
    form=ActivityForm,
    responses={"201": ("The activity", out.ACTIVITY)},
)
def activities_create():
    data = json_body()
    _strict(ActivityForm, data)
    form = validate_form(ActivityForm, data)
    made = _run(lambda: services.create_activity(form.values(), current_user))
    return out.activity_json(made, 0), 201


@api.get("/activities/<uuid:activity_id>")
@require(P.COMMUNITY_READ)
@doc("One activity", responses={"200": ("The activity", out.ACTIVITY)})
def activities_get(activity_id):
    activity = _run(lambda: access.visible_activity(activity_id, current_user))
    return out.activity_json(activity, services.hour_totals([activity.id]).get(activity.id))


@api.patch("/activities/<uuid:activity_id>")
@require(P.COMMUNITY_MANAGE)
@doc(
    "Change an activity (send the version you read)",
    form=ActivityEditForm,
    responses={"200": ("The activity", out.ACTIVITY)},
)
def activities_update(activity_id):
    activity = _run(lambda: access.visible_activity(activity_id, current_user))
    data = json_body()
    version = _version(data)
    current = {f: getattr(activity, f) for f in services.ACTIVITY_FIELDS if getattr(activity, f) is not None}
    current["association_id"] = str(activity.association_id or "")
    fields = _patch(ActivityEditForm, current, data)
    _run(lambda: services.update_activity(activity, fields, version, current_user), "activity")
    return out.activity_json(activity, services.hour_totals([activity.id]).get(activity.id))


@api.get("/activities/<uuid:activity_id>/occurrences")
@require(P.COMMUNITY_READ)
@doc(
    "The occurrences of an activity with their anonymous head counts, newest first",
    params=PAGE_PARAMS,
    responses={"200": ("A page of occurrences", page_of(out.OCCURRENCE))},
)
def activities_occurrences(activity_id):
    activity = _run(lambda: access.visible_activity(activity_id, current_user))
    page_args()
    query = (
        select(Occurrence)
        .where(Occurrence.activity_id == activity.id)
        .order_by(Occurrence.held_on.desc(), Occurrence.id)
    )
    return paged(query, out.occurrence_json)


@api.post("/activities/<uuid:activity_id>/occurrences")
@require(P.COMMUNITY_MANAGE)
@doc(
    "Record an occurrence with its anonymous head count: `counts` by age band, gender and residency "
    "(no names); the total must equal the sum of the counts, no number negative (422)",
    form=OccurrenceForm,
    responses={"201": ("The occurrence", out.OCCURRENCE)},
)
def activities_occurrence_add(activity_id):
    activity = _run(lambda: access.visible_activity(activity_id, current_user))
    data = json_body()
    _strict(OccurrenceForm, data)
    form = validate_form(OccurrenceForm, data)
    made = _run(lambda: services.record_occurrence(activity, form.count_data(), current_user))
    db.session.refresh(made)
    return out.occurrence_json(made), 201
