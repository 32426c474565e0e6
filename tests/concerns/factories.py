"""Concerns for tests, made through the same services the pages and the API use."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from caseapp.domains.concerns import services
from caseapp.domains.concerns.models import Concern, local_today
from caseapp.extensions import db
from caseapp.models.users import User
from tests.people.factories import make_person

SUMMARY = "Set med kniv ved legepladsen"
DESCRIPTION = "Drengen viste en kniv frem for yngre børn ved legepladsen og sagde han skulle bruge den"
NOTE = "Drøftet i SSP-gruppen; skolen kontaktes"
ACTION = "Forebyggelsesbetjent tager en samtale med familien"


def _user(staff) -> User:
    return db.session.get(User, staff.id)


def subject(app, *staff_programmes, **fields) -> str:
    """A young person (str id), assigned to each (StaffRef, programme)."""
    data = {"first_name": "Yusuf", "last_name": "Jensen", "cpr": "0101095234", "area": "Bøgeparken"} | fields
    return make_person(app, assign_to=list(staff_programmes), **data)


def file(app, filer, person_id: str, **fields) -> str:
    """A filed concern (str id)."""
    data = {
        "person_id": person_id,
        "observed_on": local_today() - timedelta(days=1),
        "area": "Bøgeparken",
        "source": "own_observation",
        "category": "crime",
        "severity": "high",
        "summary": SUMMARY,
        "description": DESCRIPTION,
    } | fields
    with app.app_context():
        concern = services.file_concern(data, _user(filer))
        db.session.commit()
        return str(concern.id)


def move(app, ssp, concern_id: str, *states: str, outcome: str | None = None) -> None:
    """Take the concern through the given states, with a note at each step."""
    with app.app_context():
        concern = db.session.get(Concern, uuid.UUID(concern_id))
        for state in states:
            if state == "action_agreed" and not concern.actions:
                services.add_action(concern, ACTION, ssp.id, local_today() + timedelta(days=7), _user(ssp))
            services.transition(
                concern, state, NOTE, _user(ssp), concern.version, outcome=outcome if state == "closed" else None
            )
        db.session.commit()


def share(
    app,
    ssp,
    concern_id: str,
    *,
    recipient: str = "police",
    legal_basis: str = "ssp_115",
    parts=("summary",),
    expires_on: date | None = None,
    purpose: str = "Koordinering i SSP",
) -> str:
    with app.app_context():
        concern = db.session.get(Concern, uuid.UUID(concern_id))
        made = services.share_concern(
            concern,
            recipient=recipient,
            legal_basis=legal_basis,
            purpose=purpose,
            parts=parts,
            expires_on=expires_on or local_today() + timedelta(days=30),
            actor=_user(ssp),
        )
        db.session.commit()
        return str(made.id)


def give_consent(app, person_id: str, purpose: str = "share_ssp", withdrawn: bool = False) -> None:
    from caseapp.models.base import utcnow
    from caseapp.privacy.consent import Consent

    with app.app_context():
        db.session.add(
            Consent(
                person_id=uuid.UUID(person_id),
                purpose=purpose,
                given_by="parent",
                method="signed_form",
                given_on=local_today() - timedelta(days=10),
                withdrawn_at=utcnow() if withdrawn else None,
            )
        )
        db.session.commit()
