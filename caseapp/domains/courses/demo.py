"""Demo youth courses, deterministic for a seed: an ended course with completions and later outcomes,
a running one with today's session and filled-in registers, and a coming one with a waiting list."""

from __future__ import annotations

import random
from datetime import time, timedelta

from sqlalchemy import select

from caseapp.clock import local_today
from caseapp.domains.courses import services
from caseapp.domains.courses.models import Course
from caseapp.extensions import db
from caseapp.register.models import Person

COURSES = (
    # title, description, location, partner kind, partner, weekday offset from start
    (
        "Fremtidsværkstedet – uddannelsesvalg",
        "Seks ugers forløb om uddannelsesvalg, ansøgninger og fritidsjob.",
        "Beboerhuset, Bøgeparken 4",
        "municipal",
        "Ungdommens Uddannelsesvejledning",
    ),
    (
        "Kodeklubben for unge",
        "Programmering og projektarbejde hver uge; afsluttes med en udstilling.",
        "Medborgerhuset, lokale 2",
        "association",
        "Coding Pirates Bøgeparken",
    ),
    (
        "Klar til fritidsjob",
        "Cv, jobsamtaler og besøg hos lokale virksomheder.",
        "Boligsocialt kontor",
        "municipal",
        "Jobcentret",
    ),
)


def seed(*, staff: dict, count: int, seed: int) -> list[str]:
    if count <= 0 or db.session.scalar(select(Course.id).limit(1)) is not None:
        return []
    leaders = staff.get("course_leader") or []
    if not leaders:
        return ["courses: no course leader, none seeded"]
    rng = random.Random(seed + 14)
    today = local_today()
    # Ids only (nothing decrypted): the few enrolled are loaded when enrolled.
    young = db.session.scalars(
        select(Person.id)
        .where(Person.birth_year.between(today.year - 24, today.year - 14))
        .order_by(Person.created_at, Person.id)
    ).all()
    if len(young) < 4:
        return ["courses: too few young people in the register, none seeded"]
    # ended 4 months ago; running since 3 weeks, today is a session day; starting in 2 weeks
    plans = (
        (today - timedelta(days=42 + 122), today - timedelta(days=122)),
        (today - timedelta(days=21), today + timedelta(days=21)),
        (today + timedelta(days=14), today + timedelta(days=56)),
    )
    made_marks = 0
    for n, ((title, description, location, kind, partner), (start, end)) in enumerate(zip(COURSES, plans, strict=True)):
        leader = leaders[n % len(leaders)]
        capacity = 8 if n < 2 else 6
        course = services.create_course(
            services.CourseInput(
                title=title,
                description=description,
                starts_on=start,
                ends_on=end,
                capacity=capacity,
                age_min=14,
                age_max=24,
                location=location,
                partner_name=partner,
                partner_kind=kind,
                target_participants=capacity,
                target_completions=capacity * 3 // 4,
                min_attendance_pct=75,
            ),
            leader,
            services.Pattern(start.weekday(), time(16, 0), time(18, 0), "Holdgang"),
        )
        course.sessions[-1].required = True
        pool = young[:]
        rng.shuffle(pool)
        for person in (db.session.get(Person, person_id) for person_id in pool[: capacity + 2]):
            reason = (
                "Storebror går på holdet; aftalt med forældrene." if services.outside_band(course, person) else None
            )
            services.enrol(course, person, leader, age_reason=reason, today=min(start, today))
        for session in course.sessions:
            if session.held_on > today:
                continue
            for enrolment in list(course.enrolments):
                if enrolment.status not in ("enrolled", "completed"):
                    continue
                status = rng.choices(("present", "late", "excused", "absent"), (14, 2, 2, 2))[0]
                services.mark(
                    session,
                    enrolment,
                    status,
                    leader,
                    reason="Registreret efterfølgende" if session.held_on < today else None,
                    today=session.held_on,
                )
                made_marks += 1
        if n == 0:
            dropped = next(e for e in course.enrolments if e.status in ("enrolled", "completed"))
            services.drop_out(dropped, "Er startet på efterskole.", leader, today=start + timedelta(days=10))
            for e in course.enrolments:
                if e.status == "completed":
                    services.record_outcome(
                        e,
                        3,
                        rng.choice(("education", "education", "leisure_job", "work")),
                        "Fulgt op telefonisk.",
                        leader,
                        today=end + timedelta(days=95),
                    )
    db.session.commit()
    return [f"seeded {len(COURSES)} youth courses ({made_marks} attendance marks)"]
