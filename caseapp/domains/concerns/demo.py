"""Synthetic SSP concerns about the demo's young people, made through the domain's own verbs:
filed by the staff who know them, triaged by SSP, some with actions, shares with the police
liaison under § 115, and mandatory notifications (one overdue, one acute concern waiting)."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from caseapp.clock import local_today
from caseapp.domains.concerns import services
from caseapp.domains.concerns.models import Concern, ConcernNotification
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.register.models import Assignment, Person

MAX_CONCERNS = 400
FILING_ROLES = ("mentor", "course_leader", "social_worker")
TEXTS = {
    "school_absence": (
        "Har ikke været i skole de sidste to uger",
        "Klasselæreren fortæller, at han ikke er mødt siden efterårsferien. Han ses i centret om "
        "formiddagen sammen med ældre drenge.",
    ),
    "crime": (
        "Mistanke om butikstyveri i centret",
        "En butiksansat fortalte, at hun flere gange er set tage varer uden at betale. Hun virkede presset "
        "af en ældre veninde.",
    ),
    "violence": (
        "Involveret i slagsmål ved busstoppestedet",
        "Beboere så ham slå en anden ung flere gange. Han havde synlige skrammer dagen efter.",
    ),
    "substance_use": (
        "Lugtede af hash ved fritidsjobbet",
        "Mentor bemærkede lugt af hash og røde øjne to gange i denne måned. Han sov under samtalen.",
    ),
    "radicalisation": (
        "Deler ekstreme budskaber på sociale medier",
        "Kammerater har vist opslag med voldsforherligende indhold. Han har trukket sig fra klubben.",
    ),
    "gang": (
        "Ses med kendte bandemedlemmer om aftenen",
        "Er flere aftener set i en bil med ældre unge, som nærpolitiet kender. Har fået nyt tøj og ny telefon.",
    ),
    "wellbeing": (
        "Virker sulten og træt i klubben",
        "Kommer uden madpakke og spiser meget i klubben. Fortæller, at der er uro derhjemme om natten.",
    ),
    "neighbourhood_conflict": (
        "Konflikt med naboer om larm og trusler",
        "Naboerne klager over larm i opgangen og siger, at de er blevet truet.",
    ),
}
NOTES = (
    "Drøftet på visiteringsmødet; vi samler mere viden.",
    "Løftes til SSP-gruppen på næste møde.",
    "Aftalt indsats med familien og skolen.",
    "Sagen afsluttes; indsatsen har virket.",
)
ACTIONS = (
    "Forebyggelsesbetjent tager en snak med den unge",
    "Mentor følger op med familien",
    "Skolen indkalder til møde med forældrene",
    "Henvisning til klubbens aftenaktiviteter",
)


def seed(*, staff: dict, count: int, seed: int) -> list[str]:
    if count <= 0 or db.session.scalar(select(Concern.id).limit(1)) is not None:
        return []
    ssp = (staff.get("ssp") or [None])[0]
    if ssp is None:
        return ["concerns: no SSP staff, none seeded"]
    rng = random.Random(seed + 5)
    today = local_today()
    # Ids and areas only: nothing needs decrypting to choose whom the concerns are about.
    young = db.session.execute(
        select(Person.id, Person.area)
        .where(Person.birth_year.between(today.year - 19, today.year - 12))
        .order_by(Person.created_at, Person.id)
    ).all()
    wanted = min(MAX_CONCERNS, max(1, count // 12))
    made = shared = 0
    for person in young:
        if made >= wanted:
            break
        filer = _filer(person, rng)
        if filer is None:
            continue
        concern = _file(rng, today, person, filer, acute=made == 0, notify=made % 7 == 3)
        made += 1
        shared += _progress(rng, today, concern, ssp, stop_at_new=made == 1)
    _make_one_overdue()
    db.session.commit()
    return [f"seeded {made} concerns ({shared} shared with the police liaison)"]


def _filer(person, rng: random.Random) -> User | None:
    """Someone who knows the young person: their mentor, course leader or social worker."""
    users = db.session.scalars(
        select(User)
        .join(Assignment, Assignment.user_id == User.id)
        .where(Assignment.person_id == person.id)
        .order_by(User.id)
    ).all()
    for role in FILING_ROLES:
        candidates = [u for u in users if u.has_role(role)]
        if candidates:
            return rng.choice(candidates)
    return None


def _file(rng: random.Random, today, person, filer: User, *, acute: bool, notify: bool) -> Concern:
    category = rng.choice(sorted(TEXTS))
    summary, description = TEXTS[category]
    data = {
        "person_id": person.id,
        "observed_on": today - timedelta(days=rng.randint(1, 120)),
        "area": person.area or "elsewhere",
        "source": rng.choice(["own_observation", "resident", "school", "institution", "police"]),
        "category": category,
        "severity": "acute" if acute else rng.choice(["low", "medium", "medium", "high"]),
        "summary": summary,
        "description": description,
        "child_knows": rng.random() < 0.5,
        "parents_know": rng.random() < 0.6,
        "notify": notify,
    }
    return services.file_concern(data, filer)


def _progress(rng: random.Random, today, concern: Concern, ssp: User, *, stop_at_new: bool) -> int:
    """Take the concern some way through triage; returns 1 if it was shared with the police."""
    if stop_at_new:
        return 0  # the acute one waits for SSP on the landing page
    steps = rng.choice([0, 1, 2, 3, 3, 4])
    path = ["in_triage", "in_ssp", "action_agreed", "closed"][:steps]
    for state in path:
        if state == "action_agreed":
            services.add_action(concern, rng.choice(ACTIONS), ssp.id, today + timedelta(days=rng.randint(3, 30)), ssp)
        services.transition(
            concern,
            state,
            NOTES[min(len(NOTES) - 1, path.index(state))],
            ssp,
            concern.version,
            outcome="resolved" if state == "closed" else None,
        )
    if concern.state in ("in_ssp", "action_agreed") and rng.random() < 0.6:
        services.share_concern(
            concern,
            recipient="police",
            legal_basis="ssp_115",
            purpose="Koordinering af den kriminalpræventive indsats i SSP-gruppen",
            parts=["summary", "category_severity"],
            expires_on=today + timedelta(days=60),
            actor=ssp,
        )
        return 1
    return 0


def _make_one_overdue() -> None:
    """One notification not sent in time, so the overdue list has something to show."""
    notification = db.session.scalar(select(ConcernNotification).order_by(ConcernNotification.flagged_at).limit(1))
    if notification is not None:
        notification.due_on = local_today() - timedelta(days=3)
