"""What mentoring's pages, panels, agenda and measures read: lists scoped by access.py, the mentor's
caseload, the leader's overview, the relationships behind their plan, follow-ups due, and the records
offered to the plan's indicators (measures)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Integer, Select, String, case, cast, exists, func, literal, null, select
from sqlalchemy.orm import selectinload

from caseapp.clock import local_today
from caseapp.domains.mentoring import access
from caseapp.domains.mentoring.models import (
    PLAN_PROGRAMME,
    FollowUp,
    Goal,
    GuidanceTally,
    Meeting,
    Mentor,
    MentoringProgramme,
    Outcome,
    Placement,
    Relationship,
)
from caseapp.extensions import db

JOB_KINDS = ("job_full_time", "job_part_time", "flex_job", "internship", "apprenticeship")


def relationship_list(user, *, state: str | None = None, programme_id: int | None = None) -> Select:
    query = access.relationships_visible_to(user)
    if state:
        query = query.where(Relationship.state == state)
    if programme_id:
        query = query.where(Relationship.programme_id == programme_id)
    return query.order_by(Relationship.proposed_on.desc(), Relationship.id).options(
        selectinload(Relationship.person),
        selectinload(Relationship.programme),
        selectinload(Relationship.changes),
        selectinload(Relationship.mentor).selectinload(Mentor.user),
        selectinload(Relationship.mentor).selectinload(Mentor.person),
    )


def delivered_meetings(rel_ids) -> dict[uuid.UUID, tuple[int, date | None, date | None]]:
    """{relationship id: (meetings held since its start, the last one's date, the next planned)} in one query."""
    ids = list(rel_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Meeting.relationship_id, func.count(), func.max(Meeting.held_on), func.max(Meeting.next_meeting_on))
        .where(Meeting.relationship_id.in_(ids))
        .group_by(Meeting.relationship_id)
    )
    return {rid: (n, last, nxt) for rid, n, last, nxt in rows}


def is_behind(rel: Relationship, delivered: int, today: date) -> bool:
    """An active relationship whose meetings held fall behind its planned contact frequency."""
    if rel.state != "active" or not rel.contact_every_days or rel.started_on is None:
        return False
    expected = (today - rel.started_on).days // rel.contact_every_days
    return delivered < expected


def behind_ids(rels, today: date) -> set[uuid.UUID]:
    counts = delivered_meetings(r.id for r in rels)
    return {r.id for r in rels if is_behind(r, counts.get(r.id, (0, None, None))[0], today)}


def followups_due(user, today: date, *, until: date | None = None) -> list[FollowUp]:
    """Unrecorded follow-ups due by `until` (default today), of relationships the user works on (a mentor
    their own; a leader every relationship): never one before its date."""
    scope = access.relationships_visible_to(user).with_only_columns(Relationship.id)
    if not access.is_leader(user):
        scope = access.own_relationships(user).with_only_columns(Relationship.id)
    return list(
        db.session.scalars(
            select(FollowUp)
            .where(
                FollowUp.relationship_id.in_(scope), FollowUp.recorded_on.is_(None), FollowUp.due_on <= (until or today)
            )
            .order_by(FollowUp.due_on)
            .options(selectinload(FollowUp.outcome), selectinload(FollowUp.relation).selectinload(Relationship.person))
        )
    )


def leader_counts(today: date) -> Select:
    """Proposals waiting for an answer and follow-ups due, both counted in one query (the leader's panel)."""
    proposals = select(func.count()).select_from(Relationship).where(Relationship.state == "proposed")
    due = select(func.count()).select_from(FollowUp).where(FollowUp.recorded_on.is_(None), FollowUp.due_on <= today)
    return select(proposals.scalar_subquery().label("proposals"), due.scalar_subquery().label("followups"))


@dataclass
class Caseload:
    today: date
    mentees: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    next_meetings: list = field(default_factory=list)  # (relationship, date)
    goals_due: list = field(default_factory=list)
    followups: list = field(default_factory=list)
    behind: list = field(default_factory=list)


def caseload(user, today: date | None = None) -> Caseload:
    """The mentor's landing panel: mentees, proposals to answer, next meetings, goals and follow-ups due,
    relationships behind plan. A fixed number of queries whatever the caseload."""
    today = today or local_today()
    rels = list(
        db.session.scalars(
            access.own_relationships(user)
            .where(Relationship.state.in_(("proposed", "active", "paused")))
            .options(selectinload(Relationship.person))
        )
    )
    load = Caseload(today)
    load.proposals = [r for r in rels if r.state == "proposed"]
    load.mentees = [r for r in rels if r.state in access.OPEN_STATES]
    counts = delivered_meetings(r.id for r in load.mentees)
    load.behind = [r for r in load.mentees if is_behind(r, counts.get(r.id, (0, None, None))[0], today)]
    load.next_meetings = sorted(
        ((r, counts[r.id][2]) for r in load.mentees if r.id in counts and counts[r.id][2] and counts[r.id][2] >= today),
        key=lambda item: item[1],
    )
    open_ids = [r.id for r in load.mentees]
    if open_ids:
        load.goals_due = list(
            db.session.scalars(
                select(Goal)
                .where(
                    Goal.relationship_id.in_(open_ids),
                    Goal.status.in_(("planned", "in_progress")),
                    Goal.target_on.is_not(None),
                    Goal.target_on <= date.fromordinal(today.toordinal() + 14),
                )
                .order_by(Goal.target_on)
                .options(selectinload(Goal.relation).selectinload(Relationship.person))
            )
        )
    load.followups = followups_due(user, today)
    return load


@dataclass
class Overview:
    by_programme: list  # (programme, {state: count})
    mentors: list  # (mentor, load, capacity)
    proposals: list
    days_to_first_outcome: float | None
    followups: list
    behind: list
    guidance: list = field(default_factory=list)  # (programme, contacts, people): apart from mentees


def overview(user, today: date | None = None) -> Overview:
    today = today or local_today()
    counts: dict[int, dict[str, int]] = {}
    for pid, state, n in db.session.execute(
        select(Relationship.programme_id, Relationship.state, func.count()).group_by(
            Relationship.programme_id, Relationship.state
        )
    ):
        counts.setdefault(pid, {})[state] = n
    programmes = list(db.session.scalars(select(MentoringProgramme).order_by(MentoringProgramme.name)))
    mentors = list(db.session.scalars(select(Mentor).options(selectinload(Mentor.user), selectinload(Mentor.person))))
    from caseapp.domains.mentoring.services import LOAD_STATES, loads

    load = loads(None, LOAD_STATES)
    proposals = list(db.session.scalars(relationship_list(user, state="proposed")))
    firsts = db.session.execute(
        select(Relationship.started_on, func.min(Outcome.starts_on))
        .join(Outcome, Outcome.relationship_id == Relationship.id)
        .where(Relationship.started_on.is_not(None))
        .group_by(Relationship.id, Relationship.started_on)
    ).all()
    spans = [(first - start).days for start, first in firsts if first and start and first >= start]
    active = list(db.session.scalars(relationship_list(user, state="active")))
    behind = behind_ids(active, today)
    return Overview(
        by_programme=[(p, counts.get(p.id, {})) for p in programmes],
        mentors=sorted(((m, load.get(m.id, 0), m.capacity) for m in mentors), key=lambda r: r[0].display_name),
        proposals=proposals,
        days_to_first_outcome=round(sum(spans) / len(spans), 1) if spans else None,
        followups=followups_due(user, today),
        behind=[r for r in active if r.id in behind],
        guidance=guidance_totals(),
    )


# The agenda (the user's week)


def agenda_rows(user, start: date, end: date):
    """(relationship, kind, day, overdue) for the user's own work between start and end: next meetings and
    follow-ups (follow-ups overdue before `start` too)."""
    scope = access.relationships_visible_to(user) if access.is_leader(user) else access.own_relationships(user)
    if access.is_leader(user):  # a leader's agenda holds the volunteers' relationships they record for
        scope = scope.join(Mentor, Mentor.id == Relationship.mentor_id).where(Mentor.user_id.is_(None))
    ids = scope.with_only_columns(Relationship.id)
    rows = []
    latest = (
        select(Meeting.relationship_id, func.max(Meeting.next_meeting_on).label("next_on"))
        .where(Meeting.relationship_id.in_(ids))
        .group_by(Meeting.relationship_id)
        .subquery()
    )
    for rel, next_on in db.session.execute(
        select(Relationship, latest.c.next_on)
        .join(latest, latest.c.relationship_id == Relationship.id)
        .where(latest.c.next_on >= start, latest.c.next_on <= end, Relationship.state == "active")
        .options(selectinload(Relationship.person))
    ):
        rows.append((rel, "meeting", next_on, False))
    for fu in db.session.scalars(
        select(FollowUp)
        .where(FollowUp.relationship_id.in_(ids), FollowUp.recorded_on.is_(None), FollowUp.due_on <= end)
        .options(selectinload(FollowUp.relation).selectinload(Relationship.person))
    ):
        rows.append((fu.relation, "followup", fu.due_on, fu.due_on < start))
    return sorted(rows, key=lambda r: r[2])


# Measures: the records offered to the plan's indicators (caseapp.domain.Measure)


def _common(record_id, person_id, day, programme_col, outcome):
    return (
        cast(record_id, String).label("record_id"),
        person_id.label("person_id"),
        day.label("day"),
        literal(PLAN_PROGRAMME).label("tag_type"),
        cast(programme_col, String).label("tag_id"),
        MentoringProgramme.kind.label("programme"),
        outcome.label("outcome"),
    )


def relationship_rows() -> Select:
    """One row per relationship that started (a participation): its programme, and what its outcomes made
    of it (in_job before in_education before leisure_job; NULL without an outcome)."""

    def has(kinds):
        return exists().where(Outcome.relationship_id == Relationship.id, Outcome.kind.in_(kinds))

    outcome = case(
        (has(JOB_KINDS), literal("in_job")),
        (has(("education",)), literal("in_education")),
        (has(("leisure_job",)), literal("leisure_job")),
        else_=null(),
    )
    return (
        select(
            *_common(
                Relationship.id, Relationship.person_id, Relationship.started_on, Relationship.programme_id, outcome
            ),
            literal(1).label("headcount"),
        )
        .join(MentoringProgramme, MentoringProgramme.id == Relationship.programme_id)
        .where(Relationship.started_on.is_not(None), Relationship.state.in_(("active", "paused", "ended")))
    )


def meeting_rows() -> Select:
    return (
        select(
            *_common(Meeting.id, Meeting.subject_id, Meeting.held_on, Relationship.programme_id, cast(null(), String)),
            literal(1).label("headcount"),
        )
        .join(Relationship, Relationship.id == Meeting.relationship_id)
        .join(MentoringProgramme, MentoringProgramme.id == Relationship.programme_id)
    )


def placement_rows() -> Select:
    outcome = case(
        (Placement.bridged_to_job.is_(True), literal("bridged")),
        (Placement.became_permanent.is_(True), literal("permanent")),
        else_=null(),
    )
    return (
        select(
            *_common(Placement.id, Placement.person_id, Placement.starts_on, Relationship.programme_id, outcome),
            literal(1).label("headcount"),
        )
        .join(Relationship, Relationship.id == Placement.relationship_id)
        .join(MentoringProgramme, MentoringProgramme.id == Relationship.programme_id)
    )


def outcome_rows() -> Select:
    return (
        select(
            *_common(Outcome.id, Outcome.subject_id, Outcome.starts_on, Relationship.programme_id, Outcome.kind),
            literal(1).label("headcount"),
        )
        .join(Relationship, Relationship.id == Outcome.relationship_id)
        .join(MentoringProgramme, MentoringProgramme.id == Relationship.programme_id)
    )


def followup_rows() -> Select:
    """Recorded follow-ups (due but unrecorded ones are not counted): the result code, and `months`."""
    return (
        select(
            *_common(
                FollowUp.id, FollowUp.subject_id, FollowUp.recorded_on, Relationship.programme_id, FollowUp.result
            ),
            literal(1).label("headcount"),
            cast(FollowUp.months, Integer).label("months"),
        )
        .join(Relationship, Relationship.id == FollowUp.relationship_id)
        .join(MentoringProgramme, MentoringProgramme.id == Relationship.programme_id)
        .where(FollowUp.recorded_on.is_not(None), FollowUp.result.is_not(None))
    )


def guidance_rows() -> Select:
    return select(
        *_common(
            GuidanceTally.id,
            cast(null(), GuidanceTally.id.type),
            GuidanceTally.held_on,
            GuidanceTally.programme_id,
            cast(null(), String),
        ),
        GuidanceTally.headcount.label("headcount"),
    ).join(MentoringProgramme, MentoringProgramme.id == GuidanceTally.programme_id)


# Mentor profiles and open guidance


def mentor_list(user) -> Select:
    """The mentor profiles the user may see (access.mentors_visible_to), with what their names need."""
    return (
        access.mentors_visible_to(user)
        .order_by(Mentor.created_at, Mentor.id)
        .options(selectinload(Mentor.user), selectinload(Mentor.person))
    )


def guidance_list() -> Select:
    """Open guidance contacts, newest first (anonymous tallies: no scoping beyond the permission)."""
    return (
        select(GuidanceTally)
        .order_by(GuidanceTally.held_on.desc(), GuidanceTally.created_at.desc(), GuidanceTally.id)
        .options(selectinload(GuidanceTally.programme))
    )


def guidance_totals() -> list[tuple[MentoringProgramme, int, int]]:
    """(programme, contacts recorded, people met) per programme with any: counted apart from mentees."""
    rows = db.session.execute(
        select(MentoringProgramme, func.count(GuidanceTally.id), func.sum(GuidanceTally.headcount))
        .join(GuidanceTally, GuidanceTally.programme_id == MentoringProgramme.id)
        .group_by(MentoringProgramme.id)
        .order_by(MentoringProgramme.name)
    ).all()
    return [(p, n, int(people or 0)) for p, n, people in rows]
