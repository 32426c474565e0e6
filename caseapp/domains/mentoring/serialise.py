"""Mentoring records as JSON (the API and the access export), with the schemas the OpenAPI document shows."""

from __future__ import annotations

from caseapp.domains.mentoring.models import (
    END_REASONS,
    FOLLOWUP_RESULTS,
    GOAL_KINDS,
    GOAL_STATUSES,
    MEETING_MODES,
    OUTCOME_KINDS,
    PLAN_RELATIONSHIP,
    PROGRAMME_KINDS,
    STATES,
    VERIFICATIONS,
)
from caseapp.plan.serialise import TAGS_JSON, tag_json
from caseapp.plan.tagging import tags_of


def iso(value):
    return value.isoformat() if value is not None else None


def _s(kind="string", **more):
    return {"type": kind, **more}


_DATE = {"type": "string", "format": "date", "nullable": True}
_ID = {"type": "string", "format": "uuid"}

PROGRAMME = {
    "type": "object",
    "properties": {
        "id": _s("integer"),
        "kind": _s(enum=list(PROGRAMME_KINDS)),
        "name": _s(),
        "age_min": _s("integer", nullable=True),
        "age_max": _s("integer", nullable=True),
        "needs_acceptance": _s("boolean"),
        "followup_months": {"type": "array", "items": {"type": "integer"}},
        "active": _s("boolean"),
        "version": _s("integer"),
    },
}
MENTOR = {
    "type": "object",
    "properties": {
        "id": _ID,
        "name": _s(),
        "volunteer": _s("boolean"),
        "user_id": _s("integer", nullable=True),
        "person_id": {**_ID, "nullable": True},
        "capacity": _s("integer"),
        "load": _s("integer"),
        "languages": {"type": "array", "items": _s()},
        "focus_areas": {"type": "array", "items": _s()},
        "paused_from": _DATE,
        "version": _s("integer"),
    },
}
RELATIONSHIP = {
    "type": "object",
    "properties": {
        "id": _ID,
        "person_id": _ID,
        "mentor_id": {**_ID, "nullable": True},
        "programme_id": _s("integer"),
        "state": _s(enum=list(STATES)),
        "proposed_on": _DATE,
        "started_on": _DATE,
        "ended_on": _DATE,
        "end_reason": _s(enum=list(END_REASONS), nullable=True),
        "purpose": _s(nullable=True),
        "mentor_tasks": _s(nullable=True),
        "contact_every_days": _s("integer", nullable=True),
        "capacity_override": _s("boolean"),
        "history": {"type": "array", "items": {"type": "object"}},
        "version": _s("integer"),
    },
}
# One relationship as its own routes serve it: with its own plan tags (a list leaves them out).
RELATIONSHIP_DETAIL = {
    "type": "object",
    "properties": {**RELATIONSHIP["properties"], "plan_tags": TAGS_JSON},
}
GOAL = {
    "type": "object",
    "properties": {
        "id": _ID,
        "kind": _s(enum=list(GOAL_KINDS)),
        "description": _s(nullable=True),
        "target_on": _DATE,
        "status": _s(enum=list(GOAL_STATUSES)),
        "progress": _s(nullable=True),
        "version": _s("integer"),
    },
}
MEETING = {
    "type": "object",
    "properties": {
        "id": _ID,
        "held_on": _DATE,
        "duration_minutes": _s("integer"),
        "mode": _s(enum=list(MEETING_MODES)),
        "notes": _s(nullable=True),
        "goal_ids": {"type": "array", "items": _ID},
        "next_meeting_on": _DATE,
        "amendments": {"type": "array", "items": {"type": "object"}},
    },
}
FOLLOWUP = {
    "type": "object",
    "properties": {
        "id": _ID,
        "outcome_id": _ID,
        "months": _s("integer"),
        "due_on": _DATE,
        "due": _s("boolean"),
        "recorded_on": _DATE,
        "still_there": _s("boolean", nullable=True),
        "result": _s(enum=list(FOLLOWUP_RESULTS), nullable=True),
        "what_changed": _s(nullable=True),
        "version": _s("integer"),
    },
}
OUTCOME = {
    "type": "object",
    "properties": {
        "id": _ID,
        "kind": _s(enum=list(OUTCOME_KINDS)),
        "starts_on": _DATE,
        "verified_by": _s(enum=list(VERIFICATIONS)),
        "note": _s(nullable=True),
        "followups": {"type": "array", "items": FOLLOWUP},
    },
}
EMPLOYER = {
    "type": "object",
    "properties": {
        "id": _ID,
        "company": _s(),
        "contact_person": _s(nullable=True),
        "contact_phone": _s(nullable=True),
        "branch": _s(nullable=True),
        "cvr": _s(nullable=True),
        "version": _s("integer"),
    },
}
PLACEMENT = {
    "type": "object",
    "properties": {
        "id": _ID,
        "relationship_id": _ID,
        "person_id": _ID,
        "employer_id": _ID,
        "starts_on": _DATE,
        "hours_per_week": _s("integer"),
        "ended_on": _DATE,
        "end_reason": _s(nullable=True),
        "became_permanent": _s("boolean"),
        "bridged_to_job": _s("boolean"),
        "parent_contact": _s(nullable=True),
        "parent_consent": _s("boolean"),
        "parent_consent_on": _DATE,
        "version": _s("integer"),
    },
}
TALLY = {
    "type": "object",
    "properties": {
        "id": _ID,
        "programme_id": _s("integer"),
        "programme": _s(),
        "place": _s(),
        "held_on": _DATE,
        "headcount": _s("integer"),
    },
}
SUGGESTION = {
    "type": "object",
    "properties": {
        "mentor": MENTOR,
        "free": _s("integer"),
        "score": _s("integer"),
        "reasons": {"type": "array", "items": _s()},
        "reason_codes": {"type": "array", "items": _s(enum=["former_mentor", "free_capacity", "language", "focus"])},
    },
}


def programme_dict(p) -> dict:
    return {
        "id": p.id,
        "kind": p.kind,
        "name": p.name,
        "age_min": p.age_min,
        "age_max": p.age_max,
        "needs_acceptance": p.needs_acceptance,
        "followup_months": p.intervals,
        "active": p.active,
        "version": p.version,
    }


def mentor_dict(m, load: int = 0) -> dict:
    return {
        "id": str(m.id),
        "name": m.display_name,
        "volunteer": m.is_volunteer,
        "user_id": m.user_id,
        "person_id": str(m.person_id) if m.person_id else None,
        "capacity": m.capacity,
        "load": load,
        "languages": m.language_list,
        "focus_areas": m.focus_list,
        "paused_from": iso(m.paused_from),
        "version": m.version,
    }


def relationship_dict(r, *, staff: bool = True) -> dict:
    data = {
        "id": str(r.id),
        "person_id": str(r.person_id),
        "programme_id": r.programme_id,
        "programme": r.programme.name,
        "state": r.state,
        "proposed_on": iso(r.proposed_on),
        "started_on": iso(r.started_on),
        "ended_on": iso(r.ended_on),
        "end_reason": r.end_reason,
        "purpose": r.purpose,
        "mentor_tasks": r.mentor_tasks,
        "contact_every_days": r.contact_every_days,
        "capacity_override": r.capacity_override,
        "history": [{"from": c.from_state, "to": c.to_state, "reason": c.reason, "on": iso(c.on)} for c in r.changes],
        "version": r.version,
    }
    if staff:
        data["mentor_id"] = str(r.mentor_id) if r.mentor_id else None
    return data


def relationship_detail(r) -> dict:
    return relationship_dict(r) | {"plan_tags": [tag_json(t) for t in tags_of(PLAN_RELATIONSHIP, r.id)]}


def goal_dict(g) -> dict:
    return {
        "id": str(g.id),
        "kind": g.kind,
        "description": g.description,
        "target_on": iso(g.target_on),
        "status": g.status,
        "progress": g.progress,
        "version": g.version,
    }


def meeting_dict(m) -> dict:
    return {
        "id": str(m.id),
        "held_on": iso(m.held_on),
        "duration_minutes": m.duration_minutes,
        "mode": m.mode,
        "notes": m.notes,
        "goal_ids": m.goal_list,
        "next_meeting_on": iso(m.next_meeting_on),
        "amendments": [{"text": a.text, "reason": a.reason, "at": a.created_at.isoformat()} for a in m.amendments],
    }


def followup_dict(f, today=None) -> dict:
    from caseapp.clock import local_today

    return {
        "id": str(f.id),
        "outcome_id": str(f.outcome_id),
        "months": f.months,
        "due_on": iso(f.due_on),
        "due": f.is_due(today or local_today()),
        "recorded_on": iso(f.recorded_on),
        "still_there": f.still_there,
        "result": f.result,
        "what_changed": f.what_changed,
        "version": f.version,
    }


def outcome_dict(o) -> dict:
    return {
        "id": str(o.id),
        "kind": o.kind,
        "starts_on": iso(o.starts_on),
        "verified_by": o.verified_by,
        "note": o.note,
        "followups": [followup_dict(f) for f in o.followups],
    }


def employer_dict(e) -> dict:
    return {
        "id": str(e.id),
        "company": e.company,
        "contact_person": e.contact_person,
        "contact_phone": e.contact_phone,
        "branch": e.branch,
        "cvr": e.cvr,
        "version": e.version,
    }


def placement_dict(p) -> dict:
    return {
        "id": str(p.id),
        "relationship_id": str(p.relationship_id),
        "person_id": str(p.person_id),
        "employer_id": str(p.employer_id),
        "employer": p.employer.company,
        "starts_on": iso(p.starts_on),
        "hours_per_week": p.hours_per_week,
        "ended_on": iso(p.ended_on),
        "end_reason": p.end_reason,
        "became_permanent": p.became_permanent,
        "bridged_to_job": p.bridged_to_job,
        "parent_contact": p.parent_contact,
        "parent_consent": p.parent_consent,
        "parent_consent_on": iso(p.parent_consent_on),
        "version": p.version,
    }


def tally_dict(t) -> dict:
    return {
        "id": str(t.id),
        "programme_id": t.programme_id,
        "programme": t.programme.name,
        "place": t.place,
        "held_on": iso(t.held_on),
        "headcount": t.headcount,
    }
