"""Read verbs of parent counselling: what the pages and the API list and show, scoped by access.py,
and the one audit line every counselling read and write is recorded with."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Load, defer, joinedload, selectinload

from caseapp import audit
from caseapp.clock import local_today
from caseapp.domains.counselling.access import (
    PROGRAMME,
    PURPOSE,
    assigned_cases,
    cases_visible_to,
    visible_people,
)
from caseapp.domains.counselling.models import (
    CaseChild,
    CounsellingCase,
    CounsellingSession,
    GroupAttendance,
    GroupSession,
    SessionAction,
)
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.register.models import (
    NAME_COLUMNS,
    Assignment,
    HouseholdMember,
    Person,
    active_assignment_clause,
    people_visible_to,
)

ADULT_AGE = 18


def record_event(action: str, obj, subject_id=None, actor=None, **detail) -> None:
    """Audit a read or write of one counselling record (`counselling.<action>`); details name no values."""
    audit.record(
        f"counselling.{action}",
        object_type=obj.__tablename__,
        object_id=obj.id,
        subject_id=subject_id,
        purpose=PURPOSE,
        detail=detail or None,
        actor=actor,
    )


def audit_list(what: str, actor=None, **detail) -> None:
    audit.record(
        f"counselling.{what}.list",
        object_type=f"counselling_{what}",
        purpose=PURPOSE,
        detail=detail or None,
        actor=actor,
    )


def audit_case_view(case: CounsellingCase, actor=None) -> None:
    record_event("case.view", case, case.person_id, actor)


def audit_group_view(group: GroupSession) -> None:
    record_event("group.view", group)


# Cases


def case_list(user, status: str | None = None) -> Select:
    """The user's visible cases, newest first, optionally of one status."""
    query = cases_visible_to(user)
    if status:
        query = query.where(CounsellingCase.status == status)
    return query.order_by(CounsellingCase.started_on.desc(), CounsellingCase.id)


def case_collection(case: CounsellingCase, collection: str, page: int, per_page: int) -> tuple[list, int]:
    """One page of a case's own records (sessions, actions, attendance, referrals) and their number,
    audited as a list read."""
    items = getattr(case, collection)
    record_event(f"{collection.rstrip('s')}.list", case, case.person_id, page=page)
    return items[(page - 1) * per_page : page * per_page], len(items)


def session_amendments(case: CounsellingCase, session: CounsellingSession) -> list:
    """A session note's amendments, oldest first; audited as a list read."""
    record_event("amendment.list", session, case.person_id)
    return list(session.amendments)


def cases_of_person(user, person: Person) -> list[CounsellingCase]:
    """The visible cases a person is part of, as parent or as child (for the person page)."""
    as_child = select(CaseChild.case_id).where(CaseChild.person_id == person.id)
    query = cases_visible_to(user).where((CounsellingCase.person_id == person.id) | CounsellingCase.id.in_(as_child))
    # The section names each case's parent (a child's page: another person) and nothing of the case's texts.
    query = query.options(
        defer(CounsellingCase.background),
        defer(CounsellingCase.closing_note),
        selectinload(CounsellingCase.person).load_only(*NAME_COLUMNS),
    )
    return db.session.scalars(query.order_by(CounsellingCase.started_on.desc())).all()


def parent_candidates(user) -> list[Person]:
    """Adults the user may see, for the parent field of a new case, sorted by name."""
    limit = local_today().year - ADULT_AGE
    people = db.session.scalars(
        people_visible_to(user).where((Person.birth_year.is_(None)) | (Person.birth_year <= limit))
    ).all()
    return sorted(people, key=lambda p: (p.full_name.casefold(), str(p.id)))


def household_options(person: Person, user) -> list[tuple[uuid.UUID, list[tuple[Person, str]]]]:
    """The person's households with the members the user may see: [(household id, [(person, relation)])]."""
    result = []
    memberships = db.session.scalars(select(HouseholdMember).where(HouseholdMember.person_id == person.id)).all()
    for membership in memberships:
        members = db.session.scalars(
            select(HouseholdMember).where(HouseholdMember.household_id == membership.household_id)
        ).all()
        seen = visible_people(user, [m.person_id for m in members])
        result.append(
            (membership.household_id, [(seen[m.person_id], m.relation) for m in members if m.person_id in seen])
        )
    return result


def child_candidates(person: Person, user) -> list[Person]:
    """Children in the parent's households whom the user may see (the children a case can concern)."""
    found: dict[uuid.UUID, Person] = {}
    for _hid, members in household_options(person, user):
        for member, relation in members:
            if relation == "child" and member.id != person.id:
                found[member.id] = member
    return sorted(found.values(), key=lambda p: (p.full_name.casefold(), str(p.id)))


def case_people(case: CounsellingCase, user) -> list[Person]:
    """Who can take part in the case's sessions: the parent, the other adults of the household, the children."""
    ids = [case.person_id]
    if case.household_id:
        ids += list(
            db.session.scalars(
                select(HouseholdMember.person_id).where(HouseholdMember.household_id == case.household_id)
            )
        )
    ids += case.child_ids
    if user.has_role("leader"):
        seen = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))}
    else:
        seen = visible_people(user, ids)
    return [seen[i] for i in dict.fromkeys(ids) if i in seen]


def counsellors(case: CounsellingCase) -> list[User]:
    """The assigned counsellors: social workers with an active counselling assignment to the parent."""
    users = db.session.scalars(
        select(User)
        .join(Assignment, Assignment.user_id == User.id)
        .where(
            Assignment.person_id == case.person_id,
            Assignment.programme == PROGRAMME,
            active_assignment_clause(),
            User.active.is_(True),
        )
        .order_by(User.name)
        .distinct()
    ).all()
    return [u for u in users if u.has_role("social_worker")]


def attendance_by_child(case: CounsellingCase, people: dict[uuid.UUID, Person]) -> list[tuple[Person, list]]:
    """Each child of the case with their records in period order (children with none included); `people`
    is the case's `case_people` by id (the page has them already: they are not loaded and opened twice)."""
    result = []
    for child_id in case.child_ids:
        if child_id in people:
            records = [r for r in case.attendance if r.child_id == child_id]
            result.append((people[child_id], sorted(records, key=lambda r: (r.period_start, r.period_end))))
    return result


# Parent groups


def visible_register(group: GroupSession, user) -> tuple[list[GroupAttendance], int]:
    """The register entries whose case the user may see, and how many others there are."""
    visible = set(db.session.scalars(cases_visible_to(user).with_only_columns(CounsellingCase.id)))
    mine = [row for row in group.register if row.case_id in visible]
    return mine, len(group.register) - len(mine)


def cases_to_register(group: GroupSession, user) -> list[CounsellingCase]:
    """The user's own cases, not closed, whose parent is not yet in the group's register."""
    present = {row.case_id for row in group.register}
    cases = db.session.scalars(assigned_cases(user).where(CounsellingCase.status != "closed")).all()
    return [c for c in cases if c.id not in present]


def group_attendance_of(case: CounsellingCase) -> list[GroupAttendance]:
    return db.session.scalars(
        select(GroupAttendance)
        .join(GroupSession)
        .where(GroupAttendance.case_id == case.id)
        .options(selectinload(GroupAttendance.group_session))
        .order_by(GroupSession.held_on.desc())
    ).all()


# My work


def week_end(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())


SHOWN = 10  # open cases and overdue actions the panel names; it counts the rest


@dataclass
class MyWork:
    open_cases: list[CounsellingCase] = field(default_factory=list)  # the oldest SHOWN
    open_count: int = 0
    follow_ups: list[tuple[CounsellingCase, date]] = field(default_factory=list)
    due_actions: list[SessionAction] = field(default_factory=list)
    overdue_actions: list[SessionAction] = field(default_factory=list)  # the earliest SHOWN
    overdue_count: int = 0
    today: date = field(default_factory=local_today)


def _with_parent_name(query: Select, via=None) -> Select:
    """`query` loading its cases (or, through the relationship `via`, its rows' cases) with only what the
    panel shows of them: the case and its parent's name. The rest is not loaded, so not decrypted."""
    case = Load(CounsellingCase) if via is None else joinedload(via)
    return query.options(
        case.load_only(CounsellingCase.person_id, CounsellingCase.started_on)
        .joinedload(CounsellingCase.person)
        .load_only(*NAME_COLUMNS)
    )


def my_work(user, today: date | None = None) -> MyWork:
    """The counsellor's open cases, follow-ups due by the end of this week (overdue ones too), and their
    cases' open actions: due this week, and overdue. Audited as a list read (it names residents).

    Counts are counted in SQL and only the rows the panel shows are loaded, each with its parent's name
    and nothing more (one query each): its cost follows what it shows, not the caseload."""
    today = today or local_today()
    end = week_end(today)
    work = MyWork(today=today)
    open_ids = assigned_cases(user).where(CounsellingCase.status == "open").with_only_columns(CounsellingCase.id)
    total = func.count().over().label("total")
    rows = db.session.execute(
        _with_parent_name(
            select(CounsellingCase, total)
            .where(CounsellingCase.id.in_(open_ids))
            .order_by(CounsellingCase.started_on, CounsellingCase.id)
            .limit(SHOWN)
        )
    ).all()
    work.open_cases = [case for case, _total in rows]
    work.open_count = rows[0].total if rows else 0
    if rows:
        # Each open case's latest session (by date, then by when it was written) names its next follow-up.
        latest = (
            select(
                CounsellingSession.case_id,
                CounsellingSession.next_follow_up,
                func.row_number()
                .over(
                    partition_by=CounsellingSession.case_id,
                    order_by=(CounsellingSession.held_on.desc(), CounsellingSession.created_at.desc()),
                )
                .label("newest"),
            )
            .where(CounsellingSession.case_id.in_(open_ids))
            .subquery()
        )
        work.follow_ups = [
            (case, follow_up)
            for case, follow_up in db.session.execute(
                _with_parent_name(
                    select(CounsellingCase, latest.c.next_follow_up)
                    .join(latest, latest.c.case_id == CounsellingCase.id)
                    .where(latest.c.newest == 1, latest.c.next_follow_up <= end)
                    .order_by(latest.c.next_follow_up, CounsellingCase.id)
                )
            )
        ]
        actions = select(SessionAction).where(SessionAction.case_id.in_(open_ids), SessionAction.status == "open")
        order = (SessionAction.due_on, SessionAction.created_at)
        work.due_actions = db.session.scalars(
            _with_parent_name(
                actions.where(SessionAction.due_on >= today, SessionAction.due_on <= end).order_by(*order),
                SessionAction.case,
            )
        ).all()
        overdue = db.session.execute(
            _with_parent_name(
                actions.add_columns(total).where(SessionAction.due_on < today).order_by(*order).limit(SHOWN),
                SessionAction.case,
            )
        ).all()
        work.overdue_actions = [action for action, _total in overdue]
        work.overdue_count = overdue[0].total if overdue else 0
    audit_list(
        "mywork",
        actor=user,
        cases=work.open_count,
        due=len(work.follow_ups) + len(work.due_actions),
        overdue=work.overdue_count,
    )
    return work
