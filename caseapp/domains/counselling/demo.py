"""Synthetic parent-counselling cases for the demo families, a year of them: sessions with agreed actions
(some due this week, some overdue), goals, monthly attendance, referrals and monthly parent groups. Dates
are relative to today so "My work" has something to show.

Written in bulk (caseapp.demo.bulk): the families and their counsellors read in one query, the data keys
of everyone in a case in one query per chunk, the rows the verbs (cases.py, groups.py) would write built
here and inserted per table, sealed through `sealed_values`, tagged as `set_tags` tags, and the seeding
audited as one event. A case per record through the verbs took minutes for a few hundred counsellors."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from sqlalchemy import and_, select

from caseapp.clock import local_today
from caseapp.demo.bulk import Rows, keys_of, record_seeding
from caseapp.domains.counselling.access import PROGRAMME
from caseapp.domains.counselling.models import (
    FOCUS_AREAS,
    PLAN_RECORD,
    AttendanceRecord,
    CaseChild,
    CaseGoal,
    CounsellingCase,
    CounsellingSession,
    GroupAttendance,
    GroupSession,
    Referral,
    SessionAction,
    SessionAttendee,
)
from caseapp.extensions import db
from caseapp.models.base import stored_codes, utcnow
from caseapp.plan import demo as plan_demo
from caseapp.plan.tagging import PlanTag, new_tag_rows, tag_input_from
from caseapp.register.models import Assignment, Household, HouseholdMember

SHARE_WITH_CASE = 0.4  # of the households with a parent and children
# A counsellor carries some dozens of families, however large the demo register (bench seeds 100,000).
CASES_PER_COUNSELLOR = 35
NOTES = (
    "Mor fortalte om aftenrutiner og højtlæsning. Vi talte om at bruge biblioteket sammen.",
    "Far er bekymret for fraværet om mandagen. Vi aftalte at tale med klasselæreren.",
    "Familien har svært ved at forstå forældreintra. Vi gennemgik beskederne sammen.",
    "Samtale om at deltage i forældremøder og skole-hjem-samtaler.",
    "Barnet trives bedre i børnehaven; sprogpakken bruges hjemme.",
)
ACTIONS = (
    ("Ringe til børnehaven om sprogvurdering", "counsellor"),
    ("Læse højt 15 minutter hver aften", "parent"),
    ("Tilmelde sig forældremøde", "parent"),
    ("Følge med til skole-hjem-samtale", "counsellor"),
    ("Undersøge lektiecafé", "other"),
)
# What the cases serve in the demo plan (caseapp.plan.demo): language cases one delmål, attendance cases another.
PLAN_TAGS = {
    "language": (
        "Uddannelse og livschancer",
        "Flere børn begynder i skole med alderssvarende sprog",
        "Højere uddannelsesniveau",
    ),
    "attendance": (
        "Uddannelse og livschancer",
        "Flere børn og unge møder stabilt i dagtilbud og skole",
        "Højere uddannelsesniveau",
    ),
}
GOALS = ("Barnet møder til tiden hver dag", "Familien læser sammen dagligt", "Forældrene deltager i forældremøder")


SESSION_GAP_DAYS = (21, 42)  # a family meets its counsellor every three to six weeks
ATTENDANCE_MONTHS = 6  # a child's attendance is followed month by month, the last half-year at most
GROUP_MONTHS = 12  # each counsellor holds a parent group once a month: a year of them


def seed(*, staff: dict, count: int, seed: int) -> list[str]:
    if count <= 0 or db.session.scalar(select(CounsellingCase.id).limit(1)) is not None:
        return []
    counsellors = [u.id for u in staff.get("social_worker") or []]
    rng = random.Random(seed + 4)
    today = local_today()
    families = _families(rng, set(counsellors))
    keys = keys_of(pid for _worker, (parent, _home), children, _new in families for pid in (parent, *children))
    rows = Rows(
        CounsellingCase,
        CaseChild,
        Assignment,
        CaseGoal,
        CounsellingSession,
        SessionAttendee,
        SessionAction,
        AttendanceRecord,
        Referral,
        GroupSession,
        GroupAttendance,
        PlanTag,
    )
    tagged: dict[str, list] = {focus: [] for focus in PLAN_TAGS}
    opened = []
    for worker, parent, children, unassigned in families:
        opened.append(_case(rows, rng, today, keys, worker, parent, children, unassigned, tagged))
        rows.write_if_full()
    _groups(rows, rng, today, opened)
    for focus, names in PLAN_TAGS.items():
        for tag in new_tag_rows(PLAN_RECORD, tagged[focus], tag_input_from(plan_demo.form_tag(*names))):
            rows.add(PlanTag, tag)
    rows.write()
    record_seeding("counselling_case", **{model.__tablename__: rows.count(model) for model in rows.tables})
    db.session.commit()
    return [f"seeded {len(opened)} counselling cases"]


def _families(rng: random.Random, counsellors: set[int]) -> list[tuple[int, uuid.UUID, list, list]]:
    """(counsellor, parent, children, family members not yet assigned to the counsellor) for each case to
    open: a share of the households with a parent and children, the counsellor the parent's assigned
    social worker, at most CASES_PER_COUNSELLOR each. One query for every household, member and worker."""
    members: dict[uuid.UUID, list] = {}
    workers: dict[uuid.UUID, set[int]] = {}
    for household_id, person_id, relation, user_id in db.session.execute(
        select(HouseholdMember.household_id, HouseholdMember.person_id, HouseholdMember.relation, Assignment.user_id)
        .join(Household, Household.id == HouseholdMember.household_id)
        .outerjoin(
            Assignment, and_(Assignment.person_id == HouseholdMember.person_id, Assignment.programme == PROGRAMME)
        )
        .order_by(Household.created_at, Household.id, HouseholdMember.relation.desc(), HouseholdMember.person_id)
    ):
        household = members.setdefault(household_id, [])
        if person_id not in workers:
            household.append((person_id, relation))
            workers[person_id] = set()
        if user_id is not None:
            workers[person_id].add(user_id)
    caseloads: dict[int, int] = {}
    families = []
    for household_id, people in members.items():
        parents = [p for p, relation in people if relation == "parent"]
        children = [p for p, relation in people if relation == "child"]
        if not parents or not children or rng.random() > SHARE_WITH_CASE:
            continue
        parent = parents[0]
        worker = min((w for w in workers[parent] if w in counsellors), default=None)
        if worker is None or caseloads.get(worker, 0) >= CASES_PER_COUNSELLOR:
            continue
        caseloads[worker] = caseloads.get(worker, 0) + 1
        # opening a case assigns its counsellor to the parent and the children (cases._ensure_assigned)
        unassigned = [p for p in (parent, *children) if worker not in workers[p]]
        families.append((worker, (parent, household_id), children, unassigned))
        if len(caseloads) == len(counsellors) and all(n >= CASES_PER_COUNSELLOR for n in caseloads.values()):
            break
    return families


def _case(rows: Rows, rng: random.Random, today: date, keys, worker: int, parent, children, unassigned, tagged):
    """One case's rows as open_case, add_goal, record_session, update_action, record_attendance,
    add_referral and update_case write them; returns (case id, parent, counsellor, started on, open)."""
    parent_id, household_id = parent
    key = keys[parent_id]
    case_id, now = uuid.uuid4(), utcnow()
    started = today - timedelta(days=rng.randint(30, 300))
    focus = tuple(
        sorted(rng.sample(["language", "democracy", "attendance", "parental_responsibility"], rng.randint(1, 3)))
    )
    closed = rng.random() < 0.1
    stamp = {"version": 1, "created_at": now, "updated_at": now}
    rows.sealed(
        CounsellingCase,
        key,
        {
            "id": case_id,
            **stamp,
            "person_id": parent_id,
            "household_id": household_id,
            "status": "closed" if closed else "open",
            "started_on": started,
            "closed_on": today if closed else None,
            "closing_reason": "goals_met" if closed else None,
            "focus_areas": stored_codes(focus, FOCUS_AREAS),
            "background": "Familien ønsker råd om børnenes skolegang og sprog.",
            "closing_note": None,
            "created_by_id": worker,
        },
    )
    tagged["attendance" if "attendance" in focus else "language"].append(case_id)
    for child in children:
        rows.add(CaseChild, {"case_id": case_id, "person_id": child})
    for person_id in unassigned:
        rows.add(
            Assignment,
            {
                "user_id": worker,
                "person_id": person_id,
                "programme": PROGRAMME,
                "starts_on": started,
                "ends_on": None,
                "created_by_id": worker,
                "created_at": now,
            },
        )
    rows.sealed(
        CaseGoal,
        key,
        {
            "id": uuid.uuid4(),
            **stamp,
            "case_id": case_id,
            "subject_id": parent_id,
            "description": rng.choice(GOALS),
            "status": "agreed",
            "agreed_on": started,
            "created_by_id": worker,
        },
    )
    held = started
    while True:
        held += timedelta(days=rng.randint(*SESSION_GAP_DAYS))
        last = held + timedelta(days=SESSION_GAP_DAYS[0]) > today
        _session(rows, rng, today, key, case_id, parent_id, worker, min(held, today), focus, last=last)
        if last:
            break
    for child in children[:2]:
        _attendance(rows, rng, today, keys[child], case_id, child, worker, started)
    if rng.random() < 0.3:
        rows.sealed(
            Referral,
            key,
            {
                "id": uuid.uuid4(),
                **stamp,
                "case_id": case_id,
                "subject_id": parent_id,
                "person_id": None,
                "service": rng.choice(["health_visitor", "ppr", "family_department", "job_centre"]),
                "service_other": None,
                "referred_on": started + timedelta(days=14),
                "status": rng.choice(["sent", "accepted", "completed"]),
                "outcome": None,
                "created_by_id": worker,
            },
        )
    return case_id, parent_id, worker, started, not closed


def _session(rows: Rows, rng, today, key, case_id, parent_id, worker, held, focus, *, last: bool) -> None:
    """A session with its one agreed action: the last one's action due around today, the earlier ones'
    a week after their session and mostly done."""
    session_id = uuid.uuid4()
    rows.sealed(
        CounsellingSession,
        key,
        {
            "id": session_id,
            "case_id": case_id,
            "subject_id": parent_id,
            "held_on": held,
            "duration_minutes": rng.choice([30, 45, 60, 90]),
            "kind": rng.choice(["home_visit", "office", "phone", "institution_visit"]),
            "topics": stored_codes(focus[:2], FOCUS_AREAS),
            "other_attendees": None,
            "notes": rng.choice(NOTES),
            "next_follow_up": today + timedelta(days=rng.randint(-3, 10)) if last else None,
            "created_by_id": worker,
            "created_at": utcnow(),
        },
    )
    rows.add(SessionAttendee, {"session_id": session_id, "person_id": parent_id})
    description, owner = rng.choice(ACTIONS)
    done = not last and rng.random() < 0.8
    now = utcnow()
    rows.sealed(
        SessionAction,
        key,
        {
            "id": uuid.uuid4(),
            "version": 2 if done else 1,
            "created_at": now,
            "updated_at": now,
            "case_id": case_id,
            "session_id": session_id,
            "subject_id": parent_id,
            "description": description,
            "owner": owner,
            "owner_user_id": worker if owner == "counsellor" else None,
            "due_on": today + timedelta(days=rng.randint(-7, 14)) if last else held + timedelta(7),
            "status": "done" if done else "open",
            "completed_on": today if done else None,
        },
    )


def _attendance(rows: Rows, rng, today: date, key, case_id, child_id, worker, started: date) -> None:
    """The child's attendance for each whole month since the case started, the last ATTENDANCE_MONTHS."""
    kind = rng.choice(["kindergarten", "school", "school", "youth_education"])
    level = rng.uniform(70, 98)
    first_month = (started.replace(day=1) + timedelta(days=32)).replace(day=1)
    for months_back in range(ATTENDANCE_MONTHS, 0, -1):
        start = (today.replace(day=1) - timedelta(days=31 * months_back)).replace(day=1)
        if start < first_month:
            continue
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        level = max(40.0, min(100.0, level + rng.uniform(-8, 6)))
        now = utcnow()
        rows.sealed(
            AttendanceRecord,
            key,
            {
                "id": uuid.uuid4(),
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "case_id": case_id,
                "child_id": child_id,
                "institution_kind": kind,
                "institution_name": None,
                "period_start": start,
                "period_end": end,
                "attendance_percent": f"{round(level, 1):g}",
                "days_absent": None,
                "concern": level < 80,
                "note": None,
                "created_by_id": worker,
            },
        )


def _groups(rows: Rows, rng: random.Random, today: date, opened) -> None:
    """Each counsellor's monthly parent group of the last year, a share of their open cases' parents
    (those whose case had started) in each register."""
    by_worker: dict[int, list] = {}
    for case_id, parent_id, worker, started, still_open in opened:
        if still_open:
            by_worker.setdefault(worker, []).append((case_id, parent_id, started))
    for worker, cases in by_worker.items():
        for month in range(GROUP_MONTHS):
            held = today - timedelta(days=7 + 30 * month)
            group_id, now = uuid.uuid4(), utcnow()
            rows.add(
                GroupSession,
                {
                    "id": group_id,
                    "created_at": now,
                    "updated_at": now,
                    "title": "Forældrecafé: lektier og sprog",
                    "held_on": held,
                    "duration_minutes": 90,
                    "topics": stored_codes(("language", "parental_responsibility"), FOCUS_AREAS),
                    "area": None,
                    "description": "Oplæg fra biblioteket og kaffe.",
                    "created_by_id": worker,
                },
            )
            for case_id, parent_id, started in cases:
                if started <= held and rng.random() < 0.6:
                    rows.add(
                        GroupAttendance,
                        {
                            "group_session_id": group_id,
                            "case_id": case_id,
                            "person_id": parent_id,
                            "recorded_by_id": worker,
                            "created_at": now,
                        },
                    )
