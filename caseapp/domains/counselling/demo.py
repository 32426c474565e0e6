"""Synthetic parent-counselling cases for the demo families, made through the domain's own verbs:
sessions with agreed actions (some due this week, some overdue), goals, attendance over several
months, referrals and a parent group. Dates are relative to today so "My work" has something to show."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from caseapp.clock import local_today
from caseapp.domains.counselling import cases
from caseapp.domains.counselling.access import PROGRAMME
from caseapp.domains.counselling.groups import create_group_session, register_parent
from caseapp.domains.counselling.inputs import (
    ActionChanges,
    ActionInput,
    AttendanceInput,
    CaseChanges,
    CaseOpening,
    GoalInput,
    GroupSessionInput,
    ReferralInput,
    Registration,
    SessionInput,
)
from caseapp.domains.counselling.models import CounsellingCase
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.plan import demo as plan_demo
from caseapp.plan.tagging import tag_input_from
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


def seed(*, staff: dict, count: int, seed: int) -> list[str]:
    if count <= 0 or db.session.scalar(select(CounsellingCase.id).limit(1)) is not None:
        return []
    rng = random.Random(seed + 4)
    today = local_today()
    tags = {focus: tag_input_from(plan_demo.form_tag(*names)) for focus, names in PLAN_TAGS.items()}
    opened = []
    caseloads: dict[int, int] = {}
    for household in db.session.scalars(select(Household).order_by(Household.created_at, Household.id)):
        parents = [m for m in household.members if m.relation == "parent"]
        children = [m for m in household.members if m.relation == "child"]
        if not parents or not children or rng.random() > SHARE_WITH_CASE:
            continue
        parent = parents[0]
        worker = db.session.scalar(
            select(User)
            .join(Assignment, Assignment.user_id == User.id)
            .where(Assignment.person_id == parent.person_id, Assignment.programme == PROGRAMME)
            .limit(1)
        )
        if worker is None or not worker.has_role("social_worker"):
            continue
        if caseloads.get(worker.id, 0) >= CASES_PER_COUNSELLOR:
            continue
        caseloads[worker.id] = caseloads.get(worker.id, 0) + 1
        opened.append(_case(rng, today, worker, parent, children, tags))
    if opened:
        _group(rng, today, opened)
    db.session.commit()
    return [f"seeded {len(opened)} counselling cases"]


def _case(
    rng: random.Random, today: date, worker, parent: HouseholdMember, children: list[HouseholdMember], tags: dict
):
    started = today - timedelta(days=rng.randint(30, 300))
    focus = tuple(
        sorted(rng.sample(["language", "democracy", "attendance", "parental_responsibility"], rng.randint(1, 3)))
    )
    case = cases.open_case(
        CaseOpening(
            person_id=parent.person_id,
            household_id=parent.household_id,
            started_on=started,
            focus_areas=focus,
            children=tuple(c.person_id for c in children),
            background="Familien ønsker råd om børnenes skolegang og sprog.",
            plan_tags=tags["attendance" if "attendance" in focus else "language"],
        ),
        worker,
    )
    cases.add_goal(case, GoalInput(description=rng.choice(GOALS), agreed_on=started), worker)
    sessions = rng.randint(1, 4)
    for number in range(sessions):
        held = started + timedelta(days=int((today - started).days * (number + 1) / (sessions + 1)))
        last = number == sessions - 1
        description, owner = rng.choice(ACTIONS)
        session = cases.record_session(
            case,
            SessionInput(
                held_on=held,
                duration_minutes=rng.choice([30, 45, 60, 90]),
                kind=rng.choice(["home_visit", "office", "phone", "institution_visit"]),
                attendees=(parent.person_id,),
                topics=focus[:2],
                notes=rng.choice(NOTES),
                next_follow_up=today + timedelta(days=rng.randint(-3, 10)) if last else None,
                actions=(
                    ActionInput(
                        description=description,
                        owner=owner,
                        due_on=today + timedelta(days=rng.randint(-7, 14)) if last else held + timedelta(7),
                    ),
                ),
            ),
            worker,
        )
        if not last:  # what was agreed earlier has mostly been done
            for action in session.actions:
                if rng.random() < 0.8:
                    cases.update_action(
                        action, ActionChanges(status="done", due_on=action.due_on), action.version, worker
                    )
    for child in children[:2]:
        _attendance(rng, today, case, child.person_id, worker)
    if rng.random() < 0.3:
        cases.add_referral(
            case,
            ReferralInput(
                service=rng.choice(["health_visitor", "ppr", "family_department", "job_centre"]),
                referred_on=started + timedelta(days=14),
                status=rng.choice(["sent", "accepted", "completed"]),
            ),
            worker,
        )
    if rng.random() < 0.1:
        cases.update_case(
            case,
            CaseChanges(
                status="closed",
                closing_reason="goals_met",
                started_on=case.started_on,
                focus_areas=tuple(case.focus_list),
                children=tuple(case.child_ids),
                background=case.background,
            ),
            case.version,
            worker,
        )
    return case


def _attendance(rng: random.Random, today: date, case, child_id, worker) -> None:
    kind = rng.choice(["kindergarten", "school", "school", "youth_education"])
    level = rng.uniform(70, 98)
    for months_back in range(4, 0, -1):
        start = (today.replace(day=1) - timedelta(days=31 * months_back)).replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        level = max(40.0, min(100.0, level + rng.uniform(-8, 6)))
        cases.record_attendance(
            case,
            AttendanceInput(
                child_id=child_id,
                institution_kind=kind,
                period_start=start,
                period_end=end,
                attendance_percent=round(level, 1),
                concern=level < 80,
            ),
            worker,
        )


def _group(rng: random.Random, today: date, opened) -> None:
    open_cases = [c for c in opened if c.status == "open"]
    if not open_cases:
        return
    worker = db.session.get(User, open_cases[0].created_by_id)
    group = create_group_session(
        GroupSessionInput(
            title="Forældrecafé: lektier og sprog",
            held_on=today - timedelta(days=7),
            duration_minutes=90,
            topics=("language", "parental_responsibility"),
            description="Oplæg fra biblioteket og kaffe.",
        ),
        worker,
    )
    for case in open_cases:
        if case.created_by_id == worker.id and rng.random() < 0.6:
            register_parent(group, Registration(case_id=case.id), worker)
