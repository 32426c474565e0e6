"""Synthetic SSP concerns about the demo's young people: filed by the staff who know them, triaged by
SSP, some with actions, shares with the police liaison under § 115, and mandatory notifications (one
overdue, one acute concern waiting).

Written in bulk (caseapp.demo.bulk): the young people and the staff assigned to them read in one query,
their data keys in one, and the rows the verbs (services.file_concern, transition, add_action,
share_concern, and the filer's notifications) would write built here, sealed through `sealed_values`,
inserted per table and audited as one event."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from caseapp.clock import local_today
from caseapp.demo.bulk import Rows, keys_of, record_seeding
from caseapp.domains.concerns import labels as L
from caseapp.domains.concerns.models import (
    PARTS,
    Concern,
    ConcernAction,
    ConcernNotification,
    ConcernShare,
    ConcernTransition,
)
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.models.users import User
from caseapp.platform.notifications.models import Notification
from caseapp.platform.notifications.services import rendered
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
    wanted = min(MAX_CONCERNS, max(1, count // 12))
    about = _filed_about(rng, staff, today, wanted)
    keys = keys_of(person_id for person_id, _area, _filer in about)
    rows = Rows(Concern, ConcernNotification, ConcernTransition, ConcernAction, ConcernShare, Notification)
    shared = 0
    for n, (person_id, area, filer) in enumerate(about):
        concern = _file(rows, rng, today, keys[person_id], person_id, area, filer, acute=n == 0, notify=n % 7 == 3)
        if n > 0:  # the acute one waits for SSP on the landing page
            shared += _progress(rows, rng, today, keys[person_id], concern, ssp)
    _make_one_overdue(rows, today)
    _count_unread(rows.tables[Notification])
    rows.write()
    record_seeding("concern", **{model.__tablename__: rows.count(model) for model in rows.tables})
    db.session.commit()
    return [f"seeded {len(about)} concerns ({shared} shared with the police liaison)"]


def _filed_about(rng: random.Random, staff: dict, today, wanted: int) -> list[tuple]:
    """(person, area, filer) for the first young people someone knows: their mentor, course leader or
    social worker. Ids, areas and assignments in one query: nothing needs decrypting to choose."""
    roles = {role: {u.id for u in staff.get(role) or []} for role in FILING_ROLES}
    people: dict[uuid.UUID, tuple] = {}
    for person_id, area, user_id in db.session.execute(
        select(Person.id, Person.area, Assignment.user_id)
        .join(Assignment, Assignment.person_id == Person.id)
        .where(Person.birth_year.between(today.year - 19, today.year - 12))
        .order_by(Person.created_at, Person.id, Assignment.user_id)
    ):
        people.setdefault(person_id, (area, []))[1].append(user_id)
    about = []
    for person_id, (area, users) in people.items():
        if len(about) >= wanted:
            break
        for role in FILING_ROLES:
            candidates = sorted({u for u in users if u in roles[role]})
            if candidates:
                about.append((person_id, area, rng.choice(candidates)))
                break
    return about


def _file(rows: Rows, rng: random.Random, today, key, person_id, area, filer: int, *, acute: bool, notify: bool):
    """The concern's row as file_concern writes it (the row dict, for the triage to move on)."""
    category = rng.choice(sorted(TEXTS))
    summary, description = TEXTS[category]
    now = utcnow()
    concern = rows.sealed(
        Concern,
        key,
        {
            "id": uuid.uuid4(),
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "person_id": person_id,
            "filed_by_id": filer,
            "observed_on": today - timedelta(days=rng.randint(1, 120)),
            "area": area or "elsewhere",
            "source": rng.choice(["own_observation", "resident", "school", "institution", "police"]),
            "category": category,
            "severity": "acute" if acute else rng.choice(["low", "medium", "medium", "high"]),
            "summary": summary,
            "description": description,
            "child_knows": rng.random() < 0.5,
            "parents_know": rng.random() < 0.6,
            "state": "new",
            "state_changed_at": now,
            "outcome": None,
        },
    )
    if notify:
        rows.add(
            ConcernNotification,
            {
                "id": uuid.uuid4(),
                "concern_id": concern["id"],
                "duty_holder_id": filer,
                "flagged_by_id": filer,
                "flagged_at": now,
                "due_on": today,
                "sent_at": None,
                "sent_recorded_by_id": None,
                "acknowledge_due_on": None,
                "acknowledged_at": None,
                "acknowledged_recorded_by_id": None,
            },
        )
    return concern


def _progress(rows: Rows, rng: random.Random, today, key, concern: dict, ssp: User) -> int:
    """Take the concern some way through triage as transition and add_action would (each step a
    transition row with its note, the concern's state and version moved on, the filer told); returns 1
    if it was then shared with the police."""
    steps = rng.choice([0, 1, 2, 3, 3, 4])
    path = ["in_triage", "in_ssp", "action_agreed", "closed"][:steps]
    for number, state in enumerate(path):
        if state == "action_agreed":
            now = utcnow()
            rows.sealed(
                ConcernAction,
                key,
                {
                    "id": uuid.uuid4(),
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "concern_id": concern["id"],
                    "person_id": concern["person_id"],
                    "text": rng.choice(ACTIONS),
                    "owner_id": ssp.id,
                    "due_on": today + timedelta(days=rng.randint(3, 30)),
                    "done_at": None,
                    "created_by_id": ssp.id,
                },
            )
        at, outcome = utcnow(), "resolved" if state == "closed" else None
        rows.sealed(
            ConcernTransition,
            key,
            {
                "id": uuid.uuid4(),
                "concern_id": concern["id"],
                "person_id": concern["person_id"],
                "from_state": concern["state"],
                "to_state": state,
                "outcome": outcome,
                "note": NOTES[min(len(NOTES) - 1, number)],
                "actor_id": ssp.id,
                "at": at,
            },
        )
        concern.update(state=state, state_changed_at=at, outcome=outcome, version=concern["version"] + 1)
        if concern["filed_by_id"] != ssp.id:
            danish, english = rendered(_l("A concern you filed is now “%(state)s”.", state=L.STATES[state]))
            rows.add(
                Notification,
                {
                    "user_id": concern["filed_by_id"],
                    "kind": "concern.status",
                    "text": danish,
                    "text_en": english,
                    "url": f"/concerns/{concern['id']}",
                    "created_at": at,
                    "read_at": None,
                },
            )
    if concern["state"] in ("in_ssp", "action_agreed") and rng.random() < 0.6:
        rows.sealed(
            ConcernShare,
            key,
            {
                "id": uuid.uuid4(),
                "concern_id": concern["id"],
                "person_id": concern["person_id"],
                "recipient": "police",
                "legal_basis": "ssp_115",
                "consent_purpose": None,
                "purpose": "Koordinering af den kriminalpræventive indsats i SSP-gruppen",
                "parts": " ".join(
                    p for p in PARTS if p in ("summary", "category_severity")
                ),  # the column of parts_text
                "shared_by_id": ssp.id,
                "shared_at": utcnow(),
                "expires_on": today + timedelta(days=60),
                "ended_at": None,
                "ended_by_id": None,
                "end_reason": None,
            },
        )
        return 1
    return 0


def _make_one_overdue(rows: Rows, today) -> None:
    """One notification not sent in time, so the overdue list has something to show."""
    pending = rows.tables[ConcernNotification]
    if pending:
        pending[0]["due_on"] = today - timedelta(days=3)


def _count_unread(notes: list[dict]) -> None:
    """Each filer's unread count raised by the notifications they were sent, as notify raises it."""
    sent: dict[int, int] = {}
    for note in notes:
        sent[note["user_id"]] = sent.get(note["user_id"], 0) + 1
    for user_id, number in sent.items():
        db.session.execute(
            update(User)
            .where(User.id == user_id)
            .values(unread_notifications=User.unread_notifications + number)
            .execution_options(synchronize_session=False)
        )
