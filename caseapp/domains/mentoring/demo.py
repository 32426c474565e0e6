"""Synthetic mentoring for the demo residents, made through the domain's own verbs: the four programmes
tagged in the demo plan, staff and volunteer mentors, employers, work rules, relationships in every state
with meetings, goals (some updated with progress notes), leisure jobs (some ended), outcomes with
follow-ups (some due), and open guidance tallies. A mentee is opened to a staff mentor only by an accepted
relationship (the verbs make the assignment), never by the register's seeder.
Deterministic with --seed; dates relative to today."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from caseapp.clock import local_today
from caseapp.domains.mentoring import services
from caseapp.domains.mentoring.inputs import (
    AnswerInput,
    EmployerInput,
    GoalChanges,
    GoalInput,
    MeetingInput,
    MentorInput,
    OutcomeInput,
    PlacementEnd,
    PlacementInput,
    ProgrammeInput,
    ProposalInput,
    StateInput,
    TallyInput,
    WorkRuleInput,
)
from caseapp.domains.mentoring.models import MentoringProgramme, Relationship
from caseapp.errors import DomainError
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.plan import demo as plan_demo
from caseapp.plan.tagging import tag_input_from
from caseapp.register.models import Person

PROGRAMMES = (
    (
        "job_mentoring",
        "Jobmentor for voksne",
        18,
        64,
        True,
        ("Beskæftigelse", "Flere voksne kommer i job gennem mentorforløb"),
    ),
    (
        "education_mentoring",
        "Uddannelsesmentor",
        16,
        29,
        True,
        ("Beskæftigelse", "Flere voksne kommer i job gennem mentorforløb"),
    ),
    (
        "leisure_job",
        "Fritidsjobrådgivning",
        13,
        17,
        False,
        ("Beskæftigelse", "Flere unge får erfaring fra arbejdsmarkedet"),
    ),
    ("pocket_money", "Lommepengejob", 13, 15, False, ("Beskæftigelse", "Flere unge får erfaring fra arbejdsmarkedet")),
)
RULES = (
    (
        13,
        14,
        "13-14-årige må kun udføre lettere arbejde, højst 2 timer på skoledage og 12 timer i skoleugen; "
        "ikke arbejde mellem kl. 20 og 6.",
    ),
    (
        15,
        17,
        "15-17-årige må arbejde højst 8 timer om dagen og 40 timer om ugen (i skoleperioder højst 2 timer "
        "på skoledage); ikke om natten mellem kl. 22 og 6.",
    ),
)
EMPLOYERS = (
    ("Netto Bøgeparken", "Lone Jensen", "Dagligvarer", "12345678"),
    ("Bageriet Hjørnet", "Ali Demir", "Bageri", None),
    ("Boligselskabets ejendomskontor", "Peter Holm", "Ejendomsservice", "87654321"),
    ("Pizzeria Roma", "Marco Rossi", "Restaurant", None),
    ("Idrætsforeningen BIF", "Sanne Møller", "Forening", None),
)
NOTES = (
    "Vi gennemgik CV'et og tilføjede erfaringen fra praktikken.",
    "Øvede jobsamtale; Aya var mere sikker denne gang.",
    "Ringede sammen til en arbejdsgiver om en ledig stilling.",
    "Snak om mødestabilitet og transport til arbejdet.",
    "Søgte tre stillinger sammen på Jobnet.",
)
PROGRESS = (
    "CV'et er opdateret med praktikken.",
    "To ansøgninger sendt denne uge.",
    "Jobsamtale aftalt hos arbejdsgiveren.",
)
PURPOSES = (
    "At komme i ordinært job inden for detail",
    "At starte på en erhvervsuddannelse",
    "At få det første fritidsjob",
    "At få erfaring med et lommepengejob",
)


def seed(*, staff: dict, count: int, seed: int) -> list[str]:
    if count <= 0 or db.session.scalar(select(MentoringProgramme.id).limit(1)) is not None:
        return []
    leaders, mentors_staff = staff.get("leader") or [], staff.get("mentor") or []
    if not leaders:
        return []
    leader = leaders[0]
    rng = random.Random(seed + 13)
    today = local_today()
    programmes = []
    for kind, name, age_min, age_max, accept, tag in PROGRAMMES:
        programmes.append(
            services.save_programme(
                ProgrammeInput(
                    kind=kind,
                    name=name,
                    age_min=age_min,
                    age_max=age_max,
                    needs_acceptance=accept,
                    plan_tags=tag_input_from(plan_demo.form_tag(*tag)),
                ),
                leader,
            )
        )
    for a, b, text in RULES:
        services.save_work_rule(WorkRuleInput(a, b, text), leader)
    employers = [
        services.save_employer(EmployerInput(c, p, "+45 70 10 20 30", b, cvr), leader) for c, p, b, cvr in EMPLOYERS
    ]
    mentors = [
        services.save_mentor(
            MentorInput(
                capacity=rng.choice((4, 6, 8)),
                languages=("da", *rng.sample(("ar", "so", "tr", "en"), 2)),
                focus_areas=tuple(rng.sample(("job", "education", "leisure_job", "cv"), 2)),
                user_id=u.id,
            ),
            leader,
        )
        for u in mentors_staff
    ]
    # Ids and birth years only (one query, nothing decrypted): a resident is loaded when proposed.
    people = db.session.execute(select(Person.id, Person.birth_year).order_by(Person.created_at, Person.id)).all()
    adults = [p.id for p in people if p.birth_year and today.year - p.birth_year >= 18]
    youth = [p.id for p in people if p.birth_year and 14 <= today.year - p.birth_year <= 16]
    for volunteer in adults[-2:]:
        mentors.append(
            services.save_mentor(
                MentorInput(capacity=3, languages=("da", "ar"), focus_areas=("job",), person_id=volunteer), leader
            )
        )
    adults = adults[:-2]
    made = 0
    wanted = max(4, count // 10)
    candidates = [(False, p) for p in adults[:wanted]] + [(True, p) for p in youth[:wanted]]
    for i, (is_young, person_id) in enumerate(candidates):
        programme = programmes[2] if is_young else programmes[i % 2]
        person = db.session.get(Person, person_id)
        choice = services.suggestions(person, programme)
        if not choice:
            break  # every mentor is at capacity (suggestions leave out only full or paused mentors)
        mentor = choice[0].mentor
        try:
            rel = services.propose(
                ProposalInput(
                    person_id=person.id,
                    programme_id=programme.id,
                    mentor_id=mentor.id,
                    purpose=PURPOSES[2 if is_young else i % 2],
                    mentor_tasks="Ugentlige møder, hjælp til ansøgninger",
                    contact_every_days=rng.choice((7, 14)),
                ),
                leader,
            )
            if rel.state == "proposed":
                if rng.random() < 0.2:
                    made += 1
                    continue  # left waiting for the mentor's answer
                services.answer(
                    rel,
                    AnswerInput(accept=rng.random() > 0.1, reason="Har ikke tid lige nu"),
                    db.session.get(User, mentor.user_id) or leader,
                )
            if rel.state != "active":
                made += 1
                continue
            _history(rel, rng, today, employers, leader, is_young)
            made += 1
        except DomainError:
            continue
    for n in range(6):
        services.add_tally(
            TallyInput(
                programmes[2].id,
                rng.choice(("Bøgeparkens Skole", "Ungdomsklubben", "Biblioteket")),
                today - timedelta(days=7 * n + rng.randint(0, 5)),
                rng.randint(6, 28),
            ),
            leader,
        )
    db.session.commit()
    return [f"seeded {len(programmes)} mentoring programmes, {len(mentors)} mentors, {made} relationships"]


def _history(rel: Relationship, rng: random.Random, today, employers, leader, is_young: bool) -> None:
    """Backdate the start and give the relationship meetings, goals, perhaps a job and an outcome."""
    actor = db.session.get(User, rel.mentor.user_id) if rel.mentor and rel.mentor.user_id else leader
    start = today - timedelta(days=rng.randint(30, 300))
    rel.started_on = start
    for change in rel.changes:
        change.on = start
    goal = services.add_goal(
        rel,
        GoalInput(
            kind="leisure_job" if is_young else rng.choice(("cv", "applications", "interview")),
            description="Aftalt ved første møde",
            target_on=today + timedelta(days=rng.randint(-10, 40)),
            status="in_progress",
        ),
        actor,
    )
    day = start
    for _ in range(rng.randint(1, 8)):
        day = day + timedelta(days=rng.randint(5, 30))
        if day > today:
            break
        services.record_meeting(
            rel,
            MeetingInput(
                held_on=day,
                duration_minutes=rng.choice((30, 45, 60)),
                mode=rng.choice(("in_person", "phone", "video", "with_employer")),
                notes=rng.choice(NOTES),
                goal_ids=(goal.id,),
                next_meeting_on=day + timedelta(days=rng.randint(7, 14)),
            ),
            actor,
        )
    if rng.random() < 0.5:
        services.update_goal(
            goal,
            GoalChanges(rng.choice(("in_progress", "achieved")), goal.target_on, rng.choice(PROGRESS)),
            actor,
            goal.version,
        )
    if is_young and rng.random() < 0.6:
        placement = services.add_placement(
            rel,
            PlacementInput(
                rng.choice(employers).id,
                start + timedelta(days=20),
                rng.choice((4, 6, 8)),
                "Mor: +45 22 33 44 55",
                True,
                start + timedelta(days=15),
            ),
            actor,
        )
        if rng.random() < 0.4 and placement.starts_on < today:
            services.end_placement(
                placement,
                PlacementEnd(today, "season_ended", False, rng.random() < 0.5),
                actor,
                placement.version,
            )
    if rng.random() < 0.5:
        kind = "leisure_job" if is_young else rng.choice(("job_part_time", "job_full_time", "education", "flex_job"))
        services.record_outcome(
            rel,
            OutcomeInput(
                kind, start + timedelta(days=rng.randint(20, 120)), rng.choice(("self_report", "employer", "contract"))
            ),
            actor,
        )
    if rng.random() < 0.15:
        services.change_state(rel, StateInput("ended", "goal_reached"), actor)
    elif rng.random() < 0.1:
        services.change_state(rel, StateInput("paused"), actor)
