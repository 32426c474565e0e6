"""Synthetic parent-counselling cases for the demo families, made through the domain's own verbs:
sessions with agreed actions (some due this week, some overdue), goals, attendance over several
months, referrals and a parent group. Dates are relative to today so "My work" has something to show."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from caseapp.clock import local_today
from caseapp.domains.counselling import services
from caseapp.domains.counselling.models import CounsellingCase
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.plan import demo as plan_demo
from caseapp.register.models import Assignment, Household, HouseholdMember

SHARE_WITH_CASE = 0.4  # of the households with a parent and children
CASES_PER_COUNSELLOR = 25  # a counsellor's open families
MAX_CASES = 75  # in all: the demo shows the work (three full loads), not a case for every family
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
    "language": ("Uddannelse og livschancer", "Flere børn begynder i skole med alderssvarende sprog",
                 "Højere uddannelsesniveau"),
    "attendance": ("Uddannelse og livschancer", "Flere børn og unge møder stabilt i dagtilbud og skole",
                   "Højere uddannelsesniveau"),
}
GOALS = ("Barnet møder til tiden hver dag", "Familien læser sammen dagligt", "Forældrene deltager i forældremøder")


def seed(*, staff: dict, count: int, seed: int) -> list[str]:
    """Cases for families with children, up to a counsellor's load each (the first counsellors first),
    and no more than MAX_CASES in all: demo data follows the staff, not the size of the register."""
    if count <= 0 or db.session.scalar(select(CounsellingCase.id).limit(1)) is not None:
        return []
    rng = random.Random(seed + 4)
    today = local_today()
    tags = {focus: plan_demo.form_tag(*names) for focus, names in PLAN_TAGS.items()}
    workers = {u.id: u for u in staff.get("social_worker") or []}
    # Each household's first parent and their counsellor, households with children only: one query.
    parents = db.session.execute(
        select(HouseholdMember.household_id, HouseholdMember.person_id, Assignment.user_id)
        .join(Assignment, (Assignment.person_id == HouseholdMember.person_id)
              & (Assignment.programme == services.PROGRAMME))
        .join(Household, Household.id == HouseholdMember.household_id)
        .where(HouseholdMember.relation == "parent", HouseholdMember.household_id.in_(
            select(HouseholdMember.household_id).where(HouseholdMember.relation == "child")))
        .order_by(Household.created_at, Household.id, HouseholdMember.person_id)).all()
    chosen: dict[int, list] = {}
    taken = set()
    for household_id, _parent_id, user_id in parents:
        if household_id in taken or user_id not in workers or rng.random() > SHARE_WITH_CASE:
            continue
        taken.add(household_id)
        mine = chosen.setdefault(user_id, [])
        if len(mine) < CASES_PER_COUNSELLOR:
            mine.append(household_id)
    cases = []
    for user_id in workers:  # staff order: the first counsellors get a full load
        for household_id in chosen.get(user_id, []):
            if len(cases) >= MAX_CASES:
                break
            members = db.session.scalars(select(HouseholdMember).where(HouseholdMember.household_id == household_id)
                                         .order_by(HouseholdMember.person_id)).all()
            parent = next(m for m in members if m.relation == "parent")
            children = [m for m in members if m.relation == "child"]
            cases.append(_case(rng, today, workers[user_id], parent, children, tags))
    if cases:
        _group(rng, today, cases)
    db.session.commit()
    return [f"seeded {len(cases)} counselling cases"]


def _case(rng: random.Random, today: date, worker, parent: HouseholdMember, children: list[HouseholdMember],
          tags: dict[str, dict]):
    started = today - timedelta(days=rng.randint(30, 300))
    focus = sorted(rng.sample(["language", "democracy", "attendance", "parental_responsibility"], rng.randint(1, 3)))
    case = services.open_case({
        "person_id": parent.person_id, "household_id": parent.household_id, "started_on": started,
        "focus_areas": focus, "children": [c.person_id for c in children],
        "background": "Familien ønsker råd om børnenes skolegang og sprog.",
        **tags["attendance" if "attendance" in focus else "language"],
    }, worker)
    services.add_goal(case, {"description": rng.choice(GOALS), "agreed_on": started}, worker)
    sessions = rng.randint(1, 4)
    for number in range(sessions):
        held = started + timedelta(days=int((today - started).days * (number + 1) / (sessions + 1)))
        last = number == sessions - 1
        description, owner = rng.choice(ACTIONS)
        session = services.record_session(case, {
            "held_on": held, "duration_minutes": rng.choice([30, 45, 60, 90]),
            "kind": rng.choice(["home_visit", "office", "phone", "institution_visit"]),
            "attendees": [parent.person_id], "topics": focus[:2], "notes": rng.choice(NOTES),
            "next_follow_up": today + timedelta(days=rng.randint(-3, 10)) if last else None,
            "actions": [{"description": description, "owner": owner,
                         "due_on": today + timedelta(days=rng.randint(-7, 14)) if last else held + timedelta(7)}],
        }, worker)
        if not last:  # what was agreed earlier has mostly been done
            for action in session.actions:
                if rng.random() < 0.8:
                    services.update_action(action, {"status": "done"}, action.version, worker)
    for child in children[:2]:
        _attendance(rng, today, case, child.person_id, worker)
    if rng.random() < 0.3:
        services.add_referral(case, {"service": rng.choice(["health_visitor", "ppr", "family_department",
                                                            "job_centre"]),
                                     "referred_on": started + timedelta(days=14),
                                     "status": rng.choice(["sent", "accepted", "completed"])}, worker)
    if rng.random() < 0.1:
        services.update_case(case, {"status": "closed", "closing_reason": "goals_met"}, case.version, worker)
    return case


def _attendance(rng: random.Random, today: date, case, child_id, worker) -> None:
    kind = rng.choice(["kindergarten", "school", "school", "youth_education"])
    level = rng.uniform(70, 98)
    for months_back in range(4, 0, -1):
        start = (today.replace(day=1) - timedelta(days=31 * months_back)).replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        level = max(40.0, min(100.0, level + rng.uniform(-8, 6)))
        services.record_attendance(case, {
            "child_id": child_id, "institution_kind": kind, "period_start": start, "period_end": end,
            "attendance_percent": round(level, 1), "concern": level < 80,
        }, worker)


def _group(rng: random.Random, today: date, cases) -> None:
    open_cases = [c for c in cases if c.status == "open"]
    if not open_cases:
        return
    worker = db.session.get(User, open_cases[0].created_by_id)
    group = services.create_group_session({
        "title": "Forældrecafé: lektier og sprog", "held_on": today - timedelta(days=7), "duration_minutes": 90,
        "topics": ["language", "parental_responsibility"], "description": "Oplæg fra biblioteket og kaffe.",
    }, worker)
    for case in open_cases:
        if case.created_by_id == worker.id and rng.random() < 0.6:
            services.register_parent(group, case.id, worker)
