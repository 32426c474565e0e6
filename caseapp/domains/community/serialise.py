"""JSON shapes of the civil-society records and their OpenAPI schemas, side by side. A volunteer's name
appears only where the caller may read volunteers (coordinators, leaders); nobody's name is in a head count."""

from __future__ import annotations

from caseapp.domains.community import vetting as V
from caseapp.domains.community.models import (
    ACTIVITY_KINDS,
    AGE_BANDS,
    ASSESSMENTS,
    GENDERS,
    ORGANISERS,
    SUPPORT_KINDS,
)
from caseapp.platform.api.schema import DATE, ID, TEXT, codes, nullable, obj


def iso(value):
    return value.isoformat() if value is not None else None


INT = {"type": "integer"}
NUMBER = {"type": "number"}
BOOL = {"type": "boolean"}
VERSION = {"type": "integer", "minimum": 1}
REF = obj({"id": ID, "name": TEXT})


def association_json(a, *, names: bool, brief: bool = False) -> dict:
    data = {
        "id": str(a.id),
        "version": a.version,
        "name": a.name,
        "cvr": a.cvr,
        "folkeoplysende": a.folkeoplysende,
        "active": a.active,
        "declared_on": iso(a.declared_on),
        "declaration_due_on": iso(V.declaration_due(a.declared_on)),
        "description": a.description,
    }
    if names:
        contact = a.contact
        data["contact"] = (
            {
                "id": str(contact.id),
                "name": contact.person.full_name,
                "phone": contact.person.phone,
                "email": contact.person.email,
            }
            if contact
            else None
        )
    if not brief:
        data["support"] = [support_json(s) for s in a.support]
    return data


def support_json(s) -> dict:
    return {
        "id": str(s.id),
        "kind": s.kind,
        "amount": float(s.amount) if s.amount is not None else None,
        "given_on": iso(s.given_on),
        "description": s.description,
    }


SUPPORT = obj(
    {
        "id": ID,
        "kind": codes(SUPPORT_KINDS),
        "amount": nullable(NUMBER),
        "given_on": DATE,
        "description": nullable(TEXT),
    }
)
CONTACT = nullable(obj({"id": ID, "name": TEXT, "phone": nullable(TEXT), "email": nullable(TEXT)}))
ASSOCIATION_SUMMARY = obj(
    {
        "id": ID,
        "version": VERSION,
        "name": TEXT,
        "cvr": nullable(TEXT),
        "folkeoplysende": BOOL,
        "active": BOOL,
        "declared_on": nullable(DATE),
        "declaration_due_on": nullable(DATE),
        "description": nullable(TEXT),
        "contact": CONTACT,
    },
    "contact",
)
ASSOCIATION = obj({**ASSOCIATION_SUMMARY["properties"], "support": {"type": "array", "items": SUPPORT}}, "contact")


def vetting_json(v) -> dict:
    return {
        "id": str(v.id),
        "version": v.version,
        "requested_on": iso(v.requested_on),
        "consent_on": iso(v.consent_on),
        "consent_refused_on": iso(v.consent_refused_on),
        "received_on": iso(v.received_on),
        "assessment": v.assessment,
        "assessed_by": v.assessed_by.name if v.assessed_by else None,
        "note": v.note,
    }


VETTING = obj(
    {
        "id": ID,
        "version": VERSION,
        "requested_on": DATE,
        "consent_on": nullable(DATE),
        "consent_refused_on": nullable(DATE),
        "received_on": nullable(DATE),
        "assessment": nullable(codes(ASSESSMENTS)),
        "assessed_by": nullable(TEXT),
        "note": nullable(TEXT),
    }
)
VETTING_STATE = obj(
    {"status": codes(V.STATUSES), "expires_on": nullable(DATE), "items": {"type": "array", "items": VETTING}}
)


def volunteer_json(v, status: str, expiry, *, brief: bool = False) -> dict:
    person = v.person
    data = {
        "id": str(v.id),
        "version": v.version,
        "name": person.full_name,
        "phone": person.phone,
        "email": person.email,
        "area": person.area,
        "started_on": iso(v.started_on),
        "ended_on": iso(v.ended_on),
        "active": v.active,
        "vetting_status": status,
        "vetting_expires_on": iso(expiry),
        "associations": [{"id": str(m.association_id), "name": m.association.name} for m in v.memberships],
    }
    if not brief:
        data["placements"] = [placement_json(p) for p in v.placements]
    return data


def placement_json(p) -> dict:
    return {
        "id": str(p.id),
        "activity": {"id": str(p.activity_id), "name": p.activity.title},
        "role": p.role,
        "children_contact": p.children_contact,
        "placed_on": iso(p.placed_on),
        "vetting_status": p.vetting_status,
        "override_reason": p.override_reason,
    }


PLACEMENT = obj(
    {
        "id": ID,
        "activity": REF,
        "role": nullable(TEXT),
        "children_contact": BOOL,
        "placed_on": DATE,
        "vetting_status": codes(V.STATUSES),
        "override_reason": nullable(TEXT),
    }
)
VOLUNTEER_SUMMARY = obj(
    {
        "id": ID,
        "version": VERSION,
        "name": TEXT,
        "phone": nullable(TEXT),
        "email": nullable(TEXT),
        "area": nullable(TEXT),
        "started_on": DATE,
        "ended_on": nullable(DATE),
        "active": BOOL,
        "vetting_status": codes(V.STATUSES),
        "vetting_expires_on": nullable(DATE),
        "associations": {"type": "array", "items": REF},
    }
)
VOLUNTEER = obj({**VOLUNTEER_SUMMARY["properties"], "placements": {"type": "array", "items": PLACEMENT}})


def hours_json(h) -> dict:
    return {
        "id": str(h.id),
        "activity": {"id": str(h.activity_id), "name": h.activity.title},
        "given_on": iso(h.given_on),
        "hours": float(h.hours),
    }


HOURS = obj({"id": ID, "activity": REF, "given_on": DATE, "hours": NUMBER})


def activity_json(a, hours: float | None, *, brief: bool = False) -> dict:
    data = {
        "id": str(a.id),
        "version": a.version,
        "title": a.title,
        "kind": a.kind,
        "core": a.core,
        "area": a.area,
        "organiser": a.organiser,
        "association": {"id": str(a.association_id), "name": a.association.name} if a.association else None,
        "for_under_15": a.for_under_15,
        "recurring": a.recurring,
        "starts_on": iso(a.starts_on),
        "ends_on": iso(a.ends_on),
        "description": a.description,
        "volunteer_hours": float(hours or 0),
    }
    return data


ACTIVITY = obj(
    {
        "id": ID,
        "version": VERSION,
        "title": TEXT,
        "kind": codes(ACTIVITY_KINDS),
        "core": BOOL,
        "area": nullable(TEXT),
        "organiser": codes(ORGANISERS),
        "association": nullable(REF),
        "for_under_15": BOOL,
        "recurring": BOOL,
        "starts_on": DATE,
        "ends_on": nullable(DATE),
        "description": nullable(TEXT),
        "volunteer_hours": NUMBER,
    }
)


def occurrence_json(o) -> dict:
    return {
        "id": str(o.id),
        "held_on": iso(o.held_on),
        "total": o.total,
        "counts": [
            {"age_band": c.age_band, "gender": c.gender, "resident": c.resident, "count": c.count}
            for c in sorted(
                o.counts, key=lambda c: (not c.resident, AGE_BANDS.index(c.age_band), GENDERS.index(c.gender))
            )
        ],
    }


COUNT = obj(
    {
        "age_band": codes(AGE_BANDS),
        "gender": codes(GENDERS),
        "resident": BOOL,
        "count": {"type": "integer", "minimum": 0},
    }
)
OCCURRENCE = obj(
    {"id": ID, "held_on": DATE, "total": {"type": "integer", "minimum": 0}, "counts": {"type": "array", "items": COUNT}}
)
