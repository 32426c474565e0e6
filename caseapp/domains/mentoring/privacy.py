"""Mentoring's part in data protection: a resident's access export, erasure (an outcome survives only as an
anonymous count), and the ended relationships whose retention period has run out."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, select

from caseapp.domains.mentoring.labels import EXPORT_NAMES
from caseapp.domains.mentoring.models import PLAN_RELATIONSHIP, Mentor, Outcome, Relationship
from caseapp.domains.mentoring.serialise import (
    goal_dict,
    iso,
    meeting_dict,
    outcome_dict,
    placement_dict,
    relationship_dict,
)
from caseapp.extensions import db
from caseapp.plan.tagging import delete_tags
from caseapp.privacy import ExpiredRecord, PersonalDataSource, retention_cutoff
from caseapp.privacy.tallies import add_tally


def export_person(person_id: uuid.UUID) -> list[dict]:
    """Everything mentoring holds about the person, decrypted, without staff names."""
    records = []
    for rel in db.session.scalars(select(Relationship).where(Relationship.person_id == person_id)):
        data = relationship_dict(rel, staff=False)
        data["goals"] = [goal_dict(g) for g in rel.goals]
        data["meetings"] = [meeting_dict(m) for m in rel.meetings]
        data["outcomes"] = [outcome_dict(o) for o in rel.outcomes]
        data["placements"] = [placement_dict(p) for p in rel.placements]
        records.append({"kind": "mentoring_relationship", **data})
    for mentor in db.session.scalars(select(Mentor).where(Mentor.person_id == person_id)):
        records.append(
            {
                "kind": "mentoring_mentor",
                "capacity": mentor.capacity,
                "languages": mentor.language_list,
                "focus_areas": mentor.focus_list,
                "paused_from": iso(mentor.paused_from),
            }
        )
    return records


def _keep_outcome_counts(where) -> int:
    """Outcomes become anonymous counts (year, kind) before their rows go."""
    outcomes = list(db.session.execute(select(Outcome.starts_on, Outcome.kind).where(where)))
    for starts_on, kind in outcomes:
        add_tally("mentoring", "outcome", str(starts_on.year), kind)
    return len(outcomes)


def erase_person(person_id: uuid.UUID) -> dict[str, int]:
    """Delete the person's mentoring data (relationships with everything in them); as a volunteer mentor,
    their profile (their mentees' relationships stay, without a mentor)."""
    counts = {"outcomes_counted": _keep_outcome_counts(Outcome.subject_id == person_id)}
    for rid in db.session.scalars(select(Relationship.id).where(Relationship.person_id == person_id)):
        delete_tags(PLAN_RELATIONSHIP, rid)
    counts["relationships"] = (
        db.session.execute(delete(Relationship).where(Relationship.person_id == person_id)).rowcount or 0
    )
    mentor_ids = list(db.session.scalars(select(Mentor.id).where(Mentor.person_id == person_id)))
    if mentor_ids:
        db.session.execute(
            Relationship.__table__.update().where(Relationship.mentor_id.in_(mentor_ids)).values(mentor_id=None)
        )
    counts["mentor_profiles"] = db.session.execute(delete(Mentor).where(Mentor.person_id == person_id)).rowcount or 0
    db.session.expire_all()
    return counts


def expired_relationships(today: date) -> list[ExpiredRecord]:
    cutoff = retention_cutoff("mentoring_ended", today)
    if cutoff is None:
        return []
    rows = db.session.execute(
        select(Relationship.id, Relationship.person_id).where(
            Relationship.state.in_(("ended", "declined")), Relationship.ended_on <= cutoff
        )
    )
    return [ExpiredRecord("mentoring_ended", "mentoring_relationship", str(rid), pid) for rid, pid in rows]


def purge_relationship(record: ExpiredRecord) -> None:
    rid = uuid.UUID(record.object_id)
    _keep_outcome_counts(Outcome.relationship_id == rid)
    delete_tags(PLAN_RELATIONSHIP, rid)
    db.session.execute(delete(Relationship).where(Relationship.id == rid))
    db.session.flush()
    db.session.expire_all()


SOURCE = PersonalDataSource(
    domain="mentoring",
    names=EXPORT_NAMES,
    export=export_person,
    erase=erase_person,
    expired=expired_relationships,
    purge=purge_relationship,
)
