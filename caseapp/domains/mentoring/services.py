"""The verbs of mentoring: programmes, mentor profiles, matching (suggestions, proposals, answers),
the relationship's states and plan, goals, meetings with amendments, employers and placements, guidance
tallies, outcomes with their follow-ups, work rules. They take typed input (inputs.py), check what needs
the database (who may, states, capacity, ages), flush and audit; the request commits once.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select

from caseapp import audit
from caseapp.clock import local_today
from caseapp.domains.mentoring import access
from caseapp.domains.mentoring.access import PROGRAMME, record_event
from caseapp.domains.mentoring.inputs import (
    AmendmentInput,
    AnswerInput,
    EmployerInput,
    FollowUpInput,
    GoalChanges,
    GoalInput,
    MeetingInput,
    MentorInput,
    OutcomeInput,
    PlacementEnd,
    PlacementInput,
    PlanInput,
    ProgrammeInput,
    ProposalInput,
    StateInput,
    TallyInput,
    WorkRuleInput,
)
from caseapp.domains.mentoring.models import (
    FOCUS_AREAS,
    LANGUAGES,
    PLAN_PROGRAMME,
    PLAN_RELATIONSHIP,
    Employer,
    FollowUp,
    Goal,
    GuidanceTally,
    Meeting,
    MeetingAmendment,
    Mentor,
    MentoringProgramme,
    Outcome,
    Placement,
    Relationship,
    StateChange,
    WorkRule,
)
from caseapp.errors import InvalidInput, NotPermitted, Refused
from caseapp.extensions import db
from caseapp.models.base import StaleVersion, stored_codes
from caseapp.models.users import User
from caseapp.plan.tagging import set_tags
from caseapp.platform.notifications import notify
from caseapp.register.models import Assignment, Person, active_assignment_clause
from caseapp.register.services import age_of, outside_ages

LOAD_STATES = ("active", "paused")  # a mentor's mentees (against capacity)
RESERVED_STATES = ("proposed", "active", "paused")  # places taken or promised (suggestions, proposals)
FOCUS_OF_KIND = {
    "job_mentoring": "job",
    "education_mentoring": "education",
    "leisure_job": "leisure_job",
    "pocket_money": "leisure_job",
}
# What residents write as their preferred language, in the register's words, to the mentors' codes.
LANGUAGE_WORDS = {
    "da": ("da", "dansk", "danish"),
    "en": ("en", "engelsk", "english"),
    "ar": ("ar", "arabisk", "arabic"),
    "so": ("so", "somali", "somalisk"),
    "tr": ("tr", "tyrkisk", "turkish"),
    "ur": ("ur", "urdu"),
    "fa": ("fa", "farsi", "persisk", "persian"),
    "ps": ("ps", "pashto"),
    "ti": ("ti", "tigrinya"),
    "pl": ("pl", "polsk", "polish"),
    "uk": ("uk", "ukrainsk", "ukrainian"),
}
AT_CAPACITY = _l("The mentor is at capacity: record a leader's override with its reason to assign anyway.")
PAUSED = _l("The mentor is paused for new matches.")


def _check_version(record, version) -> None:
    if version is not None and version != record.version:
        raise StaleVersion()


def _apply(record, values: dict) -> list[str]:
    changed = sorted(name for name, value in values.items() if getattr(record, name) != value)
    for name in changed:
        setattr(record, name, values[name])
    return changed


def _require_leader(actor) -> None:
    if not access.is_leader(actor):
        raise NotPermitted(_l("Only leaders manage mentoring programmes and matching"))


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Programmes and work rules


def save_programme(
    data: ProgrammeInput, actor, programme: MentoringProgramme | None = None, version: int | None = None
) -> MentoringProgramme:
    _require_leader(actor)
    values = {
        "kind": data.kind,
        "name": data.name,
        "age_min": data.age_min,
        "age_max": data.age_max,
        "needs_acceptance": data.needs_acceptance,
        "followup_months": " ".join(str(m) for m in sorted(set(data.followup_months))),
        "active": data.active,
    }
    if programme is None:
        programme = MentoringProgramme(**values)
        db.session.add(programme)
        db.session.flush()
        changed = sorted(values)
        action = "programme.create"
    else:
        _check_version(programme, version)
        changed = _apply(programme, values)
        db.session.flush()
        action = "programme.update"
    if data.plan_tags is not None:
        set_tags(PLAN_PROGRAMME, programme.id, data.plan_tags)
    audit.record(
        f"mentoring.{action}",
        object_type="mentoring_programme",
        object_id=programme.id,
        purpose=access.PURPOSE,
        detail={"fields": changed},
        actor=actor,
    )
    return programme


def save_work_rule(data: WorkRuleInput, actor, rule: WorkRule | None = None, version: int | None = None) -> WorkRule:
    _require_leader(actor)
    values = {"age_min": data.age_min, "age_max": data.age_max, "text": data.text}
    if rule is None:
        rule = WorkRule(**values)
        db.session.add(rule)
    else:
        _check_version(rule, version)
        _apply(rule, values)
    db.session.flush()
    audit.record(
        "mentoring.work_rule.save",
        object_type="mentoring_work_rule",
        object_id=rule.id,
        purpose=access.PURPOSE,
        actor=actor,
    )
    return rule


def work_rules_for(age: int | None) -> list[WorkRule]:
    if age is None or age >= 18:
        return []
    return list(
        db.session.scalars(
            select(WorkRule).where(WorkRule.age_min <= age, WorkRule.age_max >= age).order_by(WorkRule.age_min)
        )
    )


# Mentors


def save_mentor(data: MentorInput, actor, mentor: Mentor | None = None, version: int | None = None) -> Mentor:
    """A leader records any profile; a staff mentor their own, or a volunteer's."""
    own = mentor is not None and mentor.user_id == actor.id or mentor is None and data.user_id == actor.id
    volunteer = mentor.is_volunteer if mentor is not None else data.user_id is None
    if not (access.is_leader(actor) or access.works_as_mentor(actor) and (own or volunteer)):
        raise NotPermitted(_l("You may not change this mentor profile"))
    values = {
        "capacity": data.capacity,
        "languages": stored_codes(data.languages, LANGUAGES),
        "focus_areas": stored_codes(data.focus_areas, FOCUS_AREAS),
        "paused_from": data.paused_from,
    }
    if mentor is None:
        if (data.user_id is None) == (data.person_id is None):
            raise InvalidInput({"user_id": _l("Choose a staff mentor or a volunteer (a person), not both.")})
        if data.user_id is not None:
            user = db.session.get(User, data.user_id)
            if user is None or not user.has_role("mentor") or not user.active:
                raise InvalidInput({"user_id": _l("Choose a staff member with the mentor role.")})
            taken = select(Mentor.id).where(Mentor.user_id == data.user_id)
        else:
            if db.session.get(Person, data.person_id) is None:
                raise InvalidInput({"person_id": _l("Choose a person of the register.")})
            taken = select(Mentor.id).where(Mentor.person_id == data.person_id)
        if db.session.scalar(taken) is not None:
            raise InvalidInput({"user_id" if data.user_id else "person_id": _l("This mentor has a profile already.")})
        mentor = Mentor(user_id=data.user_id, person_id=data.person_id, created_by_id=actor.id, **values)
        db.session.add(mentor)
        db.session.flush()
        changed, action = sorted(values), "mentor.create"
    else:
        _check_version(mentor, version)
        changed, action = _apply(mentor, values), "mentor.update"
        db.session.flush()
    record_event(action, mentor, mentor.person_id, actor, fields=changed)
    return mentor


def loads(mentor_ids=None, states=LOAD_STATES) -> dict[uuid.UUID, int]:
    """{mentor id: relationships in these states} in one query."""
    query = (
        select(Relationship.mentor_id, func.count())
        .where(Relationship.state.in_(states))
        .group_by(Relationship.mentor_id)
    )
    if mentor_ids is not None:
        query = query.where(Relationship.mentor_id.in_(list(mentor_ids)))
    return dict(db.session.execute(query).all())


# Matching


@dataclass
class Suggestion:
    mentor: Mentor
    free: int
    score: int
    reasons: list = field(default_factory=list)  # (code, label), in the order they weigh


def _languages_of(person: Person) -> set[str]:
    text = (person.preferred_language or "").casefold()
    return {code for code, words in LANGUAGE_WORDS.items() if any(w in text.replace(",", " ").split() for w in words)}


def suggestions(person: Person, programme: MentoringProgramme, today: date | None = None) -> list[Suggestion]:
    """Mentors for this mentee and programme, best first: a former mentor of the mentee first, then by
    free capacity, shared language and focus. Mentors at capacity or paused are never suggested."""
    today = today or local_today()
    mentors = list(db.session.scalars(select(Mentor)))
    reserved = loads([m.id for m in mentors], RESERVED_STATES)
    former = set(
        db.session.scalars(
            select(Relationship.mentor_id).where(
                Relationship.person_id == person.id, Relationship.state.in_(("active", "paused", "ended"))
            )
        )
    )
    current = set(
        db.session.scalars(
            select(Relationship.mentor_id).where(
                Relationship.person_id == person.id,
                Relationship.programme_id == programme.id,
                Relationship.state.in_(RESERVED_STATES),
            )
        )
    )
    languages = _languages_of(person)
    focus = FOCUS_OF_KIND.get(programme.kind)
    found = []
    for mentor in mentors:
        free = mentor.capacity - reserved.get(mentor.id, 0)
        if free <= 0 or mentor.paused_on(today) or mentor.id in current:
            continue
        if mentor.user is not None and not mentor.user.active:
            continue
        score, reasons = 0, []
        if mentor.id in former:
            score += 1000
            reasons.append(("former_mentor", _l("Has been this person's mentor before")))
        score += 10 * free
        reasons.append(("free_capacity", _l("%(n)d free place(s) of %(capacity)d", n=free, capacity=mentor.capacity)))
        shared = languages & set(mentor.language_list)
        if shared:
            score += 50
            reasons.append(("language", _l("Shares a language (%(codes)s)", codes=", ".join(sorted(shared)))))
        if focus and focus in mentor.focus_list:
            score += 30
            reasons.append(("focus", _l("Works with this programme's focus")))
        found.append(Suggestion(mentor, free, score, reasons))
    found.sort(key=lambda s: (-s.score, s.mentor.display_name.casefold()))
    return found


def _ensure_assignment(rel: Relationship, actor) -> None:
    """Open the mentee to their staff mentor (DESIGN §2): an active `mentoring` assignment."""
    mentor = rel.mentor
    if mentor is None or mentor.user_id is None:
        return
    exists = db.session.scalar(
        select(Assignment.id)
        .where(
            Assignment.user_id == mentor.user_id,
            Assignment.person_id == rel.person_id,
            Assignment.programme == PROGRAMME,
            active_assignment_clause(),
        )
        .limit(1)
    )
    if exists is None:
        db.session.add(
            Assignment(
                user_id=mentor.user_id,
                person_id=rel.person_id,
                programme=PROGRAMME,
                starts_on=local_today(),
                created_by_id=actor.id,
            )
        )
        db.session.flush()
        audit.record(
            "assignment.create",
            object_type="assignment",
            subject_id=rel.person_id,
            purpose=PROGRAMME,
            detail={"user_id": mentor.user_id, "by": "mentoring.relationship"},
            actor=actor,
        )


def _end_assignment(rel: Relationship, actor) -> None:
    """Close the mentor's assignment when no other open relationship of theirs keeps the mentee."""
    mentor = rel.mentor
    if mentor is None or mentor.user_id is None:
        return
    others = db.session.scalar(
        select(Relationship.id)
        .where(
            Relationship.person_id == rel.person_id,
            Relationship.mentor_id == mentor.id,
            Relationship.id != rel.id,
            Relationship.state.in_(LOAD_STATES),
        )
        .limit(1)
    )
    if others is not None:
        return
    yesterday = local_today() - timedelta(days=1)
    for assignment in db.session.scalars(
        select(Assignment).where(
            Assignment.user_id == mentor.user_id,
            Assignment.person_id == rel.person_id,
            Assignment.programme == PROGRAMME,
            active_assignment_clause(),
        )
    ):
        assignment.ends_on = yesterday
        audit.record(
            "assignment.end",
            object_type="assignment",
            object_id=assignment.id,
            subject_id=rel.person_id,
            purpose=PROGRAMME,
            detail={"user_id": mentor.user_id, "by": "mentoring.relationship"},
            actor=actor,
        )
    db.session.flush()


def _check_capacity(mentor: Mentor, states, *, override: bool, exclude: uuid.UUID | None = None) -> None:
    query = (
        select(func.count())
        .select_from(Relationship)
        .where(Relationship.mentor_id == mentor.id, Relationship.state.in_(states))
    )
    if exclude is not None:
        query = query.where(Relationship.id != exclude)
    if db.session.scalar(query) >= mentor.capacity and not override:
        raise Refused(AT_CAPACITY, fields={"mentor_id": AT_CAPACITY})


def outside_band(person: Person, programme: MentoringProgramme, today: date | None = None) -> int | None:
    """The person's age when it is outside the programme's age band (the proposal then needs the leader's
    confirmation), else None (inside, no band, or the age unknown)."""
    age = age_of(person, today or local_today())
    return age if outside_ages(age, programme.age_min, programme.age_max) else None


def propose(data: ProposalInput, actor) -> Relationship:
    """A leader proposes a mentor for a mentee in a programme; where the programme needs no acceptance,
    the leader assigns at once (the relationship is active and the mentee opened to the mentor)."""
    _require_leader(actor)
    person = db.session.get(Person, data.person_id)
    if person is None:
        raise InvalidInput({"person_id": _l("Choose a person of the register.")})
    programme = db.session.get(MentoringProgramme, data.programme_id)
    if programme is None or not programme.active:
        raise InvalidInput({"programme_id": _l("Choose an active programme.")})
    mentor = db.session.get(Mentor, data.mentor_id)
    if mentor is None:
        raise InvalidInput({"mentor_id": _l("Choose a mentor.")})
    today = local_today()
    age = outside_band(person, programme, today)
    if age is not None and not data.age_confirmed:
        message = _l(
            "This person is %(age)d years old, outside the programme's age band (%(band)s): confirm below if it "
            "is right.",
            age=age,
            band=programme.age_band,
        )
        raise Refused(message, fields={"confirm_age": message})
    if mentor.paused_on(today) and not data.capacity_override:
        raise Refused(PAUSED, fields={"mentor_id": PAUSED})
    _check_capacity(mentor, RESERVED_STATES, override=data.capacity_override)
    if data.capacity_override and not data.override_reason:
        raise InvalidInput({"override_reason": _l("Give the reason for the override.")})
    duplicate = db.session.scalar(
        select(Relationship.id)
        .where(
            Relationship.person_id == person.id,
            Relationship.programme_id == programme.id,
            Relationship.state.in_(RESERVED_STATES),
        )
        .limit(1)
    )
    if duplicate is not None:
        raise Refused(
            _l("The person already has a relationship in this programme."),
            fields={"programme_id": _l("Already in this programme.")},
        )
    rel = Relationship(
        person_id=person.id,
        mentor=mentor,
        programme=programme,
        state="proposed",
        proposed_on=today,
        purpose=data.purpose,
        mentor_tasks=data.mentor_tasks,
        contact_every_days=data.contact_every_days,
        capacity_override=data.capacity_override,
        override_reason=data.override_reason if data.capacity_override else None,
        created_by_id=actor.id,
    )
    rel.changes = [StateChange(from_state=None, to_state="proposed", by_id=actor.id)]
    db.session.add(rel)
    db.session.flush()
    record_event(
        "relationship.propose",
        rel,
        person.id,
        actor,
        override=data.capacity_override,
        programme=programme.id,
        outside_age_band=age is not None,
    )
    if data.capacity_override:
        audit.record(
            "mentoring.capacity.override",
            object_type="mentoring_relationship",
            object_id=rel.id,
            subject_id=person.id,
            purpose=access.PURPOSE,
            detail={"mentor_id": str(mentor.id)},
            actor=actor,
        )
    if not programme.needs_acceptance or mentor.is_volunteer:
        # The leader assigns (a volunteer has no login to answer with: the leader records their yes).
        _activate(rel, actor)
    else:
        # The mentor is told that a proposal waits for an answer; the text names no one.
        notify(
            mentor.user_id,
            _l("A mentoring proposal waits for your answer (%(programme)s).", programme=programme.name),
            f"/mentoring/relationships/{rel.id}",
            kind="mentoring.proposal",
        )
    return rel


def _activate(rel: Relationship, actor) -> None:
    _check_capacity(rel.mentor, LOAD_STATES, override=rel.capacity_override, exclude=rel.id)
    rel.changes.append(StateChange(from_state=rel.state, to_state="active", by_id=actor.id))
    rel.state = "active"
    rel.started_on = local_today()
    db.session.flush()
    _ensure_assignment(rel, actor)
    record_event("relationship.activate", rel, rel.person_id, actor)


def answer(rel: Relationship, data: AnswerInput, actor, version: int | None = None) -> Relationship:
    """The proposed mentor accepts (the mentee is opened to them) or declines with a reason."""
    if not (access.works_as_mentor(actor) and access.is_own(actor, rel)):
        raise NotPermitted(_l("Only the proposed mentor answers a proposal"))
    if rel.state != "proposed":
        raise Refused(_l("The proposal has been answered already."))
    _check_version(rel, version)
    if data.accept:
        _activate(rel, actor)
    else:
        if not data.reason:
            raise InvalidInput({"reason": _l("Say why you decline.")})
        rel.changes.append(StateChange(from_state="proposed", to_state="declined", by_id=actor.id))
        rel.state, rel.decline_reason, rel.ended_on = "declined", data.reason, local_today()
        db.session.flush()
        record_event("relationship.decline", rel, rel.person_id, actor)
    return rel


TRANSITIONS = {"active": ("paused", "ended"), "paused": ("active", "ended"), "proposed": ("ended",)}


def change_state(rel: Relationship, data: StateInput, actor, version: int | None = None) -> Relationship:
    """active ⇄ paused → ended (with its reason); ending ends the mentor's assignment to the mentee."""
    if not (access.is_leader(actor) or access.works_as_mentor(actor) and access.is_own(actor, rel)):
        raise NotPermitted(_l("You may not change this relationship"))
    _check_version(rel, version)
    if data.state not in TRANSITIONS.get(rel.state, ()):
        raise Refused(
            _l("The relationship cannot go from this state to that."), fields={"state": _l("Not possible now.")}
        )
    if data.state == "ended" and not data.reason:
        raise InvalidInput({"reason": _l("Give the reason the relationship ends.")})
    rel.changes.append(
        StateChange(
            from_state=rel.state,
            to_state=data.state,
            reason=data.reason if data.state == "ended" else None,
            by_id=actor.id,
        )
    )
    rel.state = data.state
    if data.state == "ended":
        rel.ended_on, rel.end_reason = local_today(), data.reason
        db.session.flush()
        _end_assignment(rel, actor)
    db.session.flush()
    record_event("relationship.state", rel, rel.person_id, actor, state=data.state)
    return rel


def update_plan(rel: Relationship, data: PlanInput, actor, version: int | None) -> list[str]:
    if not (access.is_leader(actor) or access.can_work(actor, rel)):
        raise NotPermitted(_l("You may not change this relationship"))
    _check_version(rel, version)
    changed = _apply(
        rel, {"purpose": data.purpose, "mentor_tasks": data.mentor_tasks, "contact_every_days": data.contact_every_days}
    )
    db.session.flush()
    if data.plan_tags is not None:
        set_tags(PLAN_RELATIONSHIP, rel.id, data.plan_tags)
    record_event("relationship.plan", rel, rel.person_id, actor, fields=changed)
    return changed


def _check_open(rel: Relationship) -> None:
    if rel.state not in access.OPEN_STATES:
        raise Refused(_l("The relationship is not active."))


# Goals and meetings


def add_goal(rel: Relationship, data: GoalInput, actor) -> Goal:
    access.check_work(actor, rel)
    _check_open(rel)
    goal = Goal(
        relation=rel,
        subject_id=rel.person_id,
        kind=data.kind,
        description=data.description,
        target_on=data.target_on,
        status=data.status,
        created_by_id=actor.id,
    )
    db.session.add(goal)
    db.session.flush()
    record_event("goal.create", goal, rel.person_id, actor, kind=goal.kind)
    return goal


def update_goal(goal: Goal, data: GoalChanges, actor, version: int | None) -> list[str]:
    access.check_work(actor, goal.relation)
    _check_version(goal, version)
    changed = _apply(goal, {"status": data.status, "target_on": data.target_on})
    if data.progress_note:
        stamp = local_today().isoformat()
        goal.progress = (
            f"{goal.progress}\n{stamp}: {data.progress_note}" if goal.progress else f"{stamp}: {data.progress_note}"
        )
        changed.append("progress")
    db.session.flush()
    record_event("goal.update", goal, goal.subject_id, actor, fields=changed)
    return changed


def record_meeting(rel: Relationship, data: MeetingInput, actor) -> Meeting:
    access.check_work(actor, rel)
    _check_open(rel)
    goal_ids = {g.id for g in rel.goals}
    if any(g not in goal_ids for g in data.goal_ids):
        raise InvalidInput({"goal_ids": _l("Choose among the relationship's goals.")})
    if rel.started_on and data.held_on < rel.started_on:
        raise InvalidInput({"held_on": _l("The meeting cannot be before the relationship started.")})
    meeting = Meeting(
        relation=rel,
        subject_id=rel.person_id,
        held_on=data.held_on,
        duration_minutes=data.duration_minutes,
        mode=data.mode,
        notes=data.notes,
        goal_ids=" ".join(str(g) for g in data.goal_ids),
        next_meeting_on=data.next_meeting_on,
        created_by_id=actor.id,
    )
    db.session.add(meeting)
    db.session.flush()
    record_event("meeting.create", meeting, rel.person_id, actor, mode=meeting.mode, goals=len(data.goal_ids))
    return meeting


def amend_meeting(meeting: Meeting, data: AmendmentInput, actor) -> MeetingAmendment:
    access.check_work(actor, meeting.relation)
    amendment = MeetingAmendment(
        meeting=meeting, subject_id=meeting.subject_id, text=data.text, reason=data.reason, created_by_id=actor.id
    )
    db.session.add(amendment)
    db.session.flush()
    record_event("meeting.amend", meeting, meeting.subject_id, actor)
    return amendment


# Employers, placements, guidance tallies


def save_employer(data: EmployerInput, actor, employer: Employer | None = None, version: int | None = None):
    if not (access.is_leader(actor) or access.works_as_mentor(actor)):
        raise NotPermitted(_l("You may not change the employer register"))
    values = {
        "company": data.company,
        "contact_person": data.contact_person,
        "contact_phone": data.contact_phone,
        "branch": data.branch,
        "cvr": data.cvr,
    }
    if data.cvr:
        clash = select(Employer.id).where(Employer.cvr == data.cvr)
        if employer is not None:
            clash = clash.where(Employer.id != employer.id)
        if db.session.scalar(clash.limit(1)) is not None:
            raise InvalidInput({"cvr": _l("An employer with this CVR number is in the register.")})
    if employer is None:
        employer = Employer(created_by_id=actor.id, **values)
        db.session.add(employer)
        action = "employer.create"
    else:
        _check_version(employer, version)
        _apply(employer, values)
        action = "employer.update"
    db.session.flush()
    record_event(action, employer, None, actor)
    return employer


def add_placement(rel: Relationship, data: PlacementInput, actor) -> Placement:
    access.check_work(actor, rel)
    _check_open(rel)
    employer = db.session.get(Employer, data.employer_id)
    if employer is None:
        raise InvalidInput({"employer_id": _l("Choose an employer of the register.")})
    age = age_of(rel.person, data.starts_on)
    if age is None or age < 18:
        problems = {}
        if not data.parent_contact:
            problems["parent_contact"] = _l("Record the parents' contact for anyone under 18.")
        if not data.parent_consent:
            problems["parent_consent"] = _l("Record the parents' consent for anyone under 18.")
        if problems:
            raise InvalidInput(problems)
    placement = Placement(
        relation=rel,
        person_id=rel.person_id,
        employer=employer,
        starts_on=data.starts_on,
        hours_per_week=data.hours_per_week,
        parent_contact=data.parent_contact,
        parent_consent=data.parent_consent,
        parent_consent_on=data.parent_consent_on or (local_today() if data.parent_consent else None),
        created_by_id=actor.id,
    )
    db.session.add(placement)
    db.session.flush()
    record_event("placement.create", placement, rel.person_id, actor, hours=data.hours_per_week)
    return placement


def end_placement(placement: Placement, data: PlacementEnd, actor, version: int | None) -> list[str]:
    access.check_work(actor, placement.relation)
    _check_version(placement, version)
    if data.ended_on and data.ended_on < placement.starts_on:
        raise InvalidInput({"ended_on": _l("The end cannot be before the start.")})
    if data.ended_on and not data.end_reason:
        raise InvalidInput({"end_reason": _l("Give the reason the job ended.")})
    changed = _apply(
        placement,
        {
            "ended_on": data.ended_on,
            "end_reason": data.end_reason,
            "became_permanent": data.became_permanent,
            "bridged_to_job": data.bridged_to_job,
        },
    )
    db.session.flush()
    record_event("placement.update", placement, placement.person_id, actor, fields=changed)
    return changed


def add_tally(data: TallyInput, actor) -> GuidanceTally:
    if not (access.is_leader(actor) or access.works_as_mentor(actor)):
        raise NotPermitted(_l("You may not record guidance contacts"))
    if db.session.get(MentoringProgramme, data.programme_id) is None:
        raise InvalidInput({"programme_id": _l("Choose a programme.")})
    tally = GuidanceTally(
        programme_id=data.programme_id,
        place=data.place,
        held_on=data.held_on,
        headcount=data.headcount,
        created_by_id=actor.id,
    )
    db.session.add(tally)
    db.session.flush()
    audit.record(
        "mentoring.tally.create",
        object_type="mentoring_guidance_tally",
        object_id=tally.id,
        purpose=access.PURPOSE,
        detail={"headcount": data.headcount},
        actor=actor,
    )
    return tally


# Outcomes and follow-ups


def record_outcome(rel: Relationship, data: OutcomeInput, actor) -> Outcome:
    """Record an outcome; its follow-ups are created at the programme's intervals from its start."""
    access.check_work(actor, rel)
    if rel.state not in ("active", "paused", "ended"):
        raise Refused(_l("The relationship has not started."))
    intervals = rel.programme.intervals
    outcome = Outcome(
        relation=rel,
        subject_id=rel.person_id,
        kind=data.kind,
        starts_on=data.starts_on,
        verified_by=data.verified_by,
        note=data.note,
        created_by_id=actor.id,
    )
    db.session.add(outcome)
    outcome.followups = [
        FollowUp(relationship_id=rel.id, subject_id=rel.person_id, months=m, due_on=add_months(data.starts_on, m))
        for m in intervals
    ]
    db.session.flush()
    record_event("outcome.create", outcome, rel.person_id, actor, kind=data.kind, followups=len(outcome.followups))
    return outcome


def record_followup(followup: FollowUp, data: FollowUpInput, actor, version: int | None) -> FollowUp:
    access.check_work(actor, followup.relation)
    _check_version(followup, version)
    if followup.recorded_on is not None:
        raise Refused(_l("The follow-up is recorded already."))
    day = data.recorded_on or local_today()
    if day < followup.due_on:
        raise Refused(
            # The date is formatted when the message is, so in the message's language (the API's is English).
            _l("The follow-up is not due until %(date)s.", date=LazyString(format_date, followup.due_on)),
            fields={"recorded_on": _l("Not due yet.")},
        )
    followup.recorded_on, followup.still_there = day, data.still_there
    followup.result, followup.what_changed, followup.recorded_by_id = data.result, data.what_changed, actor.id
    db.session.flush()
    record_event("followup.record", followup, followup.subject_id, actor, result=data.result)
    return followup
