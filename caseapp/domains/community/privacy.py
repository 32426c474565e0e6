"""The civil-society domain's part in data protection: a volunteer's access export, erasure (their hours
survive as anonymous monthly totals per activity), and retention of ended volunteers."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, select, update

from caseapp.domains.community.labels import EXPORT_NAMES
from caseapp.domains.community.models import Association, Placement, Volunteer, VolunteerHours
from caseapp.domains.community.services import anonymise_hours
from caseapp.extensions import db
from caseapp.privacy import ExpiredRecord, PersonalDataSource, retention_cutoff

RETENTION_KEY = "community_volunteer_ended"


def _iso(value):
    return value.isoformat() if value else None


def export_person(person_id: uuid.UUID) -> list[dict]:
    volunteer = db.session.scalar(select(Volunteer).where(Volunteer.person_id == person_id))
    if volunteer is None:
        return []
    records = [
        {
            "kind": "community_volunteer",
            "started_on": _iso(volunteer.started_on),
            "ended_on": _iso(volunteer.ended_on),
            "associations": sorted(m.association.name for m in volunteer.memberships),
        }
    ]
    records += [
        {
            "kind": "community_vetting",
            "requested_on": _iso(v.requested_on),
            "consent_on": _iso(v.consent_on),
            "consent_refused_on": _iso(v.consent_refused_on),
            "received_on": _iso(v.received_on),
            "assessment": v.assessment,
            "note": v.note,
        }
        for v in volunteer.vettings
    ]
    records += [
        {
            "kind": "community_placement",
            "activity": p.activity.title,
            "role": p.role,
            "placed_on": _iso(p.placed_on),
            "children_contact": p.children_contact,
            "override_reason": p.override_reason,
        }
        for p in volunteer.placements
    ]
    records += [
        {"kind": "community_hours", "activity": h.activity.title, "given_on": _iso(h.given_on), "hours": float(h.hours)}
        for h in db.session.scalars(
            select(VolunteerHours).where(VolunteerHours.person_id == person_id).order_by(VolunteerHours.given_on)
        )
    ]
    return records


def erase_person(person_id: uuid.UUID) -> dict[str, int]:
    counts = {"hours_anonymised": anonymise_hours(person_id)}
    volunteer_ids = select(Volunteer.id).where(Volunteer.person_id == person_id).scalar_subquery()
    db.session.execute(
        update(Association).where(Association.contact_volunteer_id.in_(volunteer_ids)).values(contact_volunteer_id=None)
    )
    counts["placements"] = db.session.execute(delete(Placement).where(Placement.person_id == person_id)).rowcount
    counts["volunteer"] = db.session.execute(delete(Volunteer).where(Volunteer.person_id == person_id)).rowcount
    db.session.expire_all()
    return counts


def expired(today: date) -> list[ExpiredRecord]:
    """Volunteers who ended on or before the cutoff of RETENTION["community_volunteer_ended"]."""
    cutoff = retention_cutoff(RETENTION_KEY, today)
    if cutoff is None:
        return []
    rows = db.session.execute(select(Volunteer.id, Volunteer.person_id).where(Volunteer.ended_on <= cutoff))
    return [ExpiredRecord(RETENTION_KEY, "community_volunteer", str(vid), pid) for vid, pid in rows]


def purge(record: ExpiredRecord) -> None:
    """The volunteer record with its vetting and placements; the hours become anonymous totals. The
    person stays in the register (other programmes may hold them)."""
    if record.subject_id is not None:
        anonymise_hours(record.subject_id)
    db.session.execute(
        update(Association)
        .where(Association.contact_volunteer_id == uuid.UUID(record.object_id))
        .values(contact_volunteer_id=None)
    )
    db.session.execute(delete(Volunteer).where(Volunteer.id == uuid.UUID(record.object_id)))
    db.session.flush()
    db.session.expire_all()


SOURCE = PersonalDataSource(
    domain="community", names=EXPORT_NAMES, export=export_person, erase=erase_person, expired=expired, purge=purge
)
