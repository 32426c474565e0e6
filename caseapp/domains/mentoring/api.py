"""JSON routes of mentoring under /api/v1/mentoring: the pages' forms validate each body and document it,
the same verbs change data. 403 for roles without the permission, 404 for records not visible, 409 for a
stale version, 422 with field messages for invalid input."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy import select

from caseapp.domains.mentoring import access, queries, services
from caseapp.domains.mentoring import api_bp as api
from caseapp.domains.mentoring import serialise as out
from caseapp.domains.mentoring.forms import (
    AnswerForm,
    EmployerForm,
    FollowUpForm,
    GoalForm,
    GoalUpdateForm,
    MeetingForm,
    MentorForm,
    OutcomeForm,
    PlacementEndForm,
    PlacementForm,
    PlanForm,
    ProgrammeForm,
    ProposalForm,
    StateForm,
    TallyForm,
)
from caseapp.domains.mentoring.models import (
    PLAN_RELATIONSHIP,
    STATES,
    Employer,
    MentoringProgramme,
    Placement,
    Relationship,
)
from caseapp.errors import InvalidInput, NotFound
from caseapp.extensions import db
from caseapp.models.base import parse_uuid
from caseapp.plan.tagging import tag_form_data
from caseapp.platform.api.helpers import body_version, doc, json_body, paged, run_verb, validate_form
from caseapp.platform.api.schema import page_of
from caseapp.register.models import Person
from caseapp.security.permissions import Permission, require

READ, WORK, MANAGE = Permission.MENTORING_READ, Permission.MENTORING_WORK, Permission.MENTORING_MANAGE
BASE = "/mentoring"
REL = f"{BASE}/relationships/<uuid:relationship_id>"
PAGE_PARAMS = [{"name": n, "in": "query", "schema": {"type": "integer", "minimum": 1}} for n in ("page", "per_page")]


def _listed(items: list, serialise) -> dict:
    return {"items": [serialise(i) for i in items], "page": 1, "per_page": len(items), "total": len(items)}


def _patch(form_class, current: dict, data: dict):
    """The record as it stands with the body's changes, validated; a change names the version it read."""
    body_version(data)
    merged = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in current.items() if k != "version"}
    return validate_form(form_class, {**merged, **data})


def _relationship(relationship_id):
    rel = access.visible_relationship(relationship_id, current_user, with_records=True)
    access.record_event("relationship.view", rel, rel.person_id)
    return rel


# Programmes


@api.get(f"{BASE}/programmes")
@require(READ)
@doc(
    "Mentoring programmes, paged",
    params=PAGE_PARAMS,
    responses={"200": ("A page of programmes", page_of(out.PROGRAMME))},
)
def mentoring_programmes():
    return paged(
        select(MentoringProgramme).order_by(MentoringProgramme.name, MentoringProgramme.id), out.programme_dict
    )


@api.post(f"{BASE}/programmes")
@require(MANAGE)
@doc("Configure a new programme (leaders)", form=ProgrammeForm, responses={"201": ("The programme", out.PROGRAMME)})
def mentoring_programme_create():
    form = validate_form(ProgrammeForm, json_body())
    return out.programme_dict(services.save_programme(form.to_input(), current_user)), 201


@api.patch(f"{BASE}/programmes/<int:programme_id>")
@require(MANAGE)
@doc(
    "Change a programme on the version you read (leaders)",
    form=ProgrammeForm,
    responses={"200": ("The programme", out.PROGRAMME)},
)
def mentoring_programme_update(programme_id):
    programme = db.session.get(MentoringProgramme, programme_id)
    if programme is None:
        raise NotFound()
    current = out.programme_dict(programme) | {"followup_months": programme.followup_months}
    form = _patch(ProgrammeForm, current, json_body())
    run_verb(lambda: services.save_programme(form.to_input(), current_user, programme, form.version.data), "programme")
    return out.programme_dict(programme)


# Mentors


@api.get(f"{BASE}/mentors")
@require(MANAGE, WORK)
@doc(
    "Mentor profiles with their load, paged (a leader: all; a staff mentor: their own and the volunteers' "
    "they recorded)",
    params=PAGE_PARAMS,
    responses={"200": ("A page of mentors", page_of(out.MENTOR))},
)
def mentoring_mentors():
    body = paged(queries.mentor_list(current_user), lambda m: m)
    load = services.loads([m.id for m in body["items"]])
    body["items"] = [out.mentor_dict(m, load.get(m.id, 0)) for m in body["items"]]
    access.audit_list("mentor", page=body["page"])
    return body


@api.post(f"{BASE}/mentors")
@require(MANAGE, WORK)
@doc(
    "Record a mentor profile: a staff mentor (user_id) or a volunteer (person_id)",
    form=MentorForm,
    responses={"201": ("The mentor", out.MENTOR)},
)
def mentoring_mentor_create():
    form = validate_form(MentorForm, json_body())
    return out.mentor_dict(services.save_mentor(form.to_input(), current_user)), 201


@api.get(f"{BASE}/mentors/<uuid:mentor_id>")
@require(MANAGE, WORK)
@doc("One mentor profile with its load against capacity", responses={"200": ("The mentor", out.MENTOR)})
def mentoring_mentor_get(mentor_id):
    mentor = access.visible_mentor(mentor_id, current_user)
    access.record_event("mentor.view", mentor, mentor.person_id)
    return out.mentor_dict(mentor, services.loads([mentor.id]).get(mentor.id, 0))


@api.patch(f"{BASE}/mentors/<uuid:mentor_id>")
@require(MANAGE, WORK)
@doc(
    "Change a mentor profile (capacity, languages, focus, paused for new matches from) on the version you "
    "read; who the mentor is (user_id, person_id) does not change",
    form=MentorForm,
    responses={"200": ("The mentor", out.MENTOR)},
)
def mentoring_mentor_update(mentor_id):
    mentor = access.visible_mentor(mentor_id, current_user)
    data = json_body()
    identity = {"user_id": mentor.user_id, "person_id": str(mentor.person_id) if mentor.person_id else None}
    changed = [k for k, v in identity.items() if k in data and data[k] != v]
    if changed:
        raise InvalidInput({k: "who the mentor is does not change: record a new profile" for k in changed})
    current = {
        "capacity": mentor.capacity,
        "languages": mentor.language_list,
        "focus_areas": mentor.focus_list,
        "paused_from": mentor.paused_from,
    }
    form = _patch(MentorForm, current, {k: v for k, v in data.items() if k not in ("user_id", "person_id")})
    run_verb(lambda: services.save_mentor(form.to_input(), current_user, mentor, form.version.data), "mentor")
    return out.mentor_dict(mentor, services.loads([mentor.id]).get(mentor.id, 0))


# Relationships


@api.get(f"{BASE}/relationships")
@require(READ)
@doc(
    "Relationships visible to you (a mentor: their own), paged",
    params=[*PAGE_PARAMS, {"name": "state", "in": "query", "schema": {"type": "string", "enum": list(STATES)}}],
    responses={"200": ("A page of relationships", page_of(out.RELATIONSHIP))},
)
def mentoring_relationships():
    state = request.args.get("state") or None
    if state is not None and state not in STATES:
        raise InvalidInput({"state": f"one of {', '.join(STATES)}"})
    body = paged(queries.relationship_list(current_user, state=state), out.relationship_dict)
    access.audit_list("relationship", page=body["page"], count=len(body["items"]))
    return body


@api.post(f"{BASE}/relationships")
@require(MANAGE)
@doc(
    "Propose a mentor for a mentee in a programme (leaders); where the programme needs no acceptance the "
    "leader assigns at once",
    form=ProposalForm,
    responses={"201": ("The relationship", out.RELATIONSHIP)},
)
def mentoring_relationship_propose():
    form = validate_form(ProposalForm, json_body())
    return out.relationship_dict(services.propose(form.to_input(), current_user)), 201


@api.get(REL)
@require(READ)
@doc(
    "One relationship with its history, plan and plan tags",
    responses={"200": ("The relationship", out.RELATIONSHIP_DETAIL)},
)
def mentoring_relationship_get(relationship_id):
    return out.relationship_detail(_relationship(relationship_id))


@api.patch(REL)
@require(MANAGE, WORK)
@doc(
    "Change the relationship's plan (purpose, tasks, contact frequency) on the version you read",
    form=PlanForm,
    responses={"200": ("The relationship", out.RELATIONSHIP_DETAIL)},
)
def mentoring_relationship_plan(relationship_id):
    rel = access.visible_relationship(relationship_id, current_user)
    # The plan's tags as they stand, so a body that leaves them out keeps them.
    current = {"purpose": rel.purpose, "mentor_tasks": rel.mentor_tasks, "contact_every_days": rel.contact_every_days}
    form = _patch(PlanForm, current | tag_form_data(PLAN_RELATIONSHIP, rel.id), json_body())
    run_verb(lambda: services.update_plan(rel, form.to_input(), current_user, form.version.data), "relationship")
    return out.relationship_detail(rel)


@api.post(f"{REL}/answer")
@require(WORK)
@doc(
    "Accept or decline a proposal (the proposed mentor)",
    form=AnswerForm,
    responses={"200": ("The relationship", out.RELATIONSHIP)},
)
def mentoring_relationship_answer(relationship_id):
    rel = access.visible_relationship(relationship_id, current_user)
    form = validate_form(AnswerForm, json_body())
    run_verb(lambda: services.answer(rel, form.to_input(), current_user, form.version.data), "relationship")
    return out.relationship_dict(rel)


@api.post(f"{REL}/state")
@require(MANAGE, WORK)
@doc(
    "Pause, resume or end a relationship (ending needs a reason)",
    form=StateForm,
    responses={"200": ("The relationship", out.RELATIONSHIP)},
)
def mentoring_relationship_state(relationship_id):
    rel = access.visible_relationship(relationship_id, current_user)
    form = validate_form(StateForm, json_body())
    run_verb(lambda: services.change_state(rel, form.to_input(), current_user, form.version.data), "relationship")
    return out.relationship_dict(rel)


@api.get(f"{REL}/meetings")
@require(READ)
@doc("The relationship's meetings, newest first", responses={"200": ("Meetings", page_of(out.MEETING))})
def mentoring_meetings(relationship_id):
    rel = _relationship(relationship_id)
    return _listed(rel.meetings, out.meeting_dict)


@api.post(f"{REL}/meetings")
@require(MANAGE, WORK)
@doc("Log a meeting", form=MeetingForm, responses={"201": ("The meeting", out.MEETING)})
def mentoring_meeting_create(relationship_id):
    rel = access.visible_relationship(relationship_id, current_user)
    form = validate_form(MeetingForm, json_body())
    return out.meeting_dict(services.record_meeting(rel, form.to_input(), current_user)), 201


@api.get(f"{REL}/goals")
@require(READ)
@doc("The relationship's goals", responses={"200": ("Goals", page_of(out.GOAL))})
def mentoring_goals(relationship_id):
    return _listed(_relationship(relationship_id).goals, out.goal_dict)


@api.post(f"{REL}/goals")
@require(MANAGE, WORK)
@doc("Add a goal", form=GoalForm, responses={"201": ("The goal", out.GOAL)})
def mentoring_goal_create(relationship_id):
    rel = access.visible_relationship(relationship_id, current_user)
    form = validate_form(GoalForm, json_body())
    return out.goal_dict(services.add_goal(rel, form.to_input(), current_user)), 201


@api.patch(f"{REL}/goals/<uuid:goal_id>")
@require(MANAGE, WORK)
@doc(
    "Update a goal on the version you read: its status and target date; a progress note is appended",
    form=GoalUpdateForm,
    responses={"200": ("The goal", out.GOAL)},
)
def mentoring_goal_update(relationship_id, goal_id):
    rel = access.visible_relationship(relationship_id, current_user)
    goal = access.member(rel.goals, goal_id)
    form = _patch(GoalUpdateForm, {"status": goal.status, "target_on": goal.target_on}, json_body())
    run_verb(lambda: services.update_goal(goal, form.to_input(), current_user, form.version.data), "goal")
    return out.goal_dict(goal)


@api.get(f"{REL}/outcomes")
@require(READ)
@doc("The relationship's outcomes with their follow-ups", responses={"200": ("Outcomes", page_of(out.OUTCOME))})
def mentoring_outcomes(relationship_id):
    return _listed(_relationship(relationship_id).outcomes, out.outcome_dict)


@api.post(f"{REL}/outcomes")
@require(MANAGE, WORK)
@doc(
    "Record an outcome; its follow-ups are created at the programme's intervals",
    form=OutcomeForm,
    responses={"201": ("The outcome", out.OUTCOME)},
)
def mentoring_outcome_create(relationship_id):
    rel = access.visible_relationship(relationship_id, current_user)
    form = validate_form(OutcomeForm, json_body())
    return out.outcome_dict(services.record_outcome(rel, form.to_input(), current_user)), 201


@api.get(f"{REL}/followups")
@require(READ)
@doc(
    "The relationship's follow-ups (due: from their date and not yet recorded)",
    responses={"200": ("Follow-ups", page_of(out.FOLLOWUP))},
)
def mentoring_followups(relationship_id):
    rel = _relationship(relationship_id)
    return _listed([f for o in rel.outcomes for f in o.followups], out.followup_dict)


@api.post(f"{REL}/followups/<uuid:followup_id>")
@require(MANAGE, WORK)
@doc(
    "Record a follow-up that is due: still in the job or education, and what changed",
    form=FollowUpForm,
    responses={"200": ("The follow-up", out.FOLLOWUP)},
)
def mentoring_followup_record(relationship_id, followup_id):
    rel = access.visible_relationship(relationship_id, current_user)
    followup = access.member([f for o in rel.outcomes for f in o.followups], followup_id)
    form = validate_form(FollowUpForm, json_body())
    run_verb(lambda: services.record_followup(followup, form.to_input(), current_user, form.version.data), "follow-up")
    return out.followup_dict(followup)


# Suggestions


@api.get(f"{BASE}/suggestions")
@require(MANAGE)
@doc(
    "Suggested mentors for a mentee and programme, best first, each with why it ranks there (leaders)",
    params=[
        {"name": "person_id", "in": "query", "required": True, "schema": {"type": "string", "format": "uuid"}},
        {"name": "programme", "in": "query", "required": True, "schema": {"type": "integer"}},
    ],
    responses={
        "200": ("Suggestions", {"type": "object", "properties": {"items": {"type": "array", "items": out.SUGGESTION}}})
    },
)
def mentoring_suggestions():
    pid = parse_uuid(request.args.get("person_id"))
    person = db.session.get(Person, pid) if pid else None
    raw = request.args.get("programme", "")
    programme = db.session.get(MentoringProgramme, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if person is None or programme is None:
        raise InvalidInput({k: "not found" for k, v in (("person_id", person), ("programme", programme)) if v is None})
    found = services.suggestions(person, programme)
    access.audit_list("suggestion", count=len(found))
    return {
        "items": [
            {
                "mentor": out.mentor_dict(s.mentor, s.mentor.capacity - s.free),
                "free": s.free,
                "score": s.score,
                "reasons": [str(label) for _code, label in s.reasons],
                "reason_codes": [code for code, _label in s.reasons],
            }
            for s in found
        ]
    }


# Employers and placements


@api.get(f"{BASE}/employers")
@require(READ)
@doc("The employer register, paged", params=PAGE_PARAMS, responses={"200": ("Employers", page_of(out.EMPLOYER))})
def mentoring_employers():
    return paged(select(Employer).order_by(Employer.company, Employer.id), out.employer_dict)


@api.post(f"{BASE}/employers")
@require(MANAGE, WORK)
@doc("Add an employer", form=EmployerForm, responses={"201": ("The employer", out.EMPLOYER)})
def mentoring_employer_create():
    form = validate_form(EmployerForm, json_body())
    return out.employer_dict(services.save_employer(form.to_input(), current_user)), 201


@api.get(f"{BASE}/placements")
@require(READ)
@doc(
    "Leisure-job placements of the relationships visible to you, paged",
    params=PAGE_PARAMS,
    responses={"200": ("Placements", page_of(out.PLACEMENT))},
)
def mentoring_placements():
    visible = access.relationships_visible_to(current_user).with_only_columns(Relationship.id)
    body = paged(
        select(Placement)
        .where(Placement.relationship_id.in_(visible))
        .order_by(Placement.starts_on.desc(), Placement.id),
        out.placement_dict,
    )
    access.audit_list("placement", page=body["page"], count=len(body["items"]))
    return body


@api.post(f"{REL}/placements")
@require(MANAGE, WORK)
@doc(
    "Place the mentee in a leisure job (parents' contact and consent for anyone under 18)",
    form=PlacementForm,
    responses={"201": ("The placement", out.PLACEMENT)},
)
def mentoring_placement_create(relationship_id):
    rel = access.visible_relationship(relationship_id, current_user)
    form = validate_form(PlacementForm, json_body())
    return out.placement_dict(services.add_placement(rel, form.to_input(), current_user)), 201


@api.patch(f"{BASE}/placements/<uuid:placement_id>")
@require(MANAGE, WORK)
@doc(
    "End a placement, or mark it permanent or bridged to an ordinary job",
    form=PlacementEndForm,
    responses={"200": ("The placement", out.PLACEMENT)},
)
def mentoring_placement_update(placement_id):
    placement = db.session.get(Placement, placement_id)
    if placement is None:
        raise NotFound()
    access.visible_relationship(placement.relationship_id, current_user)
    form = _patch(
        PlacementEndForm,
        {
            "ended_on": placement.ended_on,
            "end_reason": placement.end_reason,
            "became_permanent": placement.became_permanent,
            "bridged_to_job": placement.bridged_to_job,
        },
        json_body(),
    )
    run_verb(lambda: services.end_placement(placement, form.to_input(), current_user, form.version.data), "placement")
    return out.placement_dict(placement)


# Open guidance contacts (anonymous head counts)


@api.get(f"{BASE}/guidance")
@require(MANAGE, WORK)
@doc(
    "Open guidance contacts: anonymous head counts per place and date, newest first, paged",
    params=PAGE_PARAMS,
    responses={"200": ("Guidance contacts", page_of(out.TALLY))},
)
def mentoring_guidance():
    body = paged(queries.guidance_list(), out.tally_dict)
    access.audit_list("guidance", page=body["page"])
    return body


@api.post(f"{BASE}/guidance")
@require(MANAGE, WORK)
@doc(
    "Record open guidance contacts (a head count, counted apart from mentees)",
    form=TallyForm,
    responses={"201": ("The guidance contacts", out.TALLY)},
)
def mentoring_guidance_create():
    form = validate_form(TallyForm, json_body())
    return out.tally_dict(services.add_tally(form.to_input(), current_user)), 201
