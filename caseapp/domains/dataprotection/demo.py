"""Synthetic consents and emergency accesses for the demo residents: most families have consents on
record, a few were withdrawn lately (with the reason staff see), one expired, and two emergency accesses
await a leader's review. The consents are written in bulk (caseapp.demo.bulk: the rows record_consent
writes, sealed, one audit event); the few withdrawals go through the verb, which ends what rested on them."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from sqlalchemy import select

from caseapp.clock import local_today
from caseapp.demo.bulk import Rows, keys_of, record_seeding
from caseapp.domains.dataprotection import consents
from caseapp.domains.dataprotection.models import BreakGlassGrant
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.privacy.consent import Consent
from caseapp.register.models import Assignment, HouseholdMember, Person

WITHDRAWAL_REASONS = (
    "Forælderen ringede og ønsker ikke længere, at oplysningerne deles med skolen.",
    "Familien er flyttet ud af området og har trukket samtykket tilbage.",
    "Den unge er fyldt 18 og ønsker selv at bestemme over sine oplysninger.",
)
EMERGENCIES = (
    "Barnet kom alene til klubben sent om aftenen; den ansvarlige rådgiver var ikke på arbejde.",
    "Forælderen henvendte sig akut om udsættelse; sagsbehandleren var på ferie.",
)
WITNESSES = ("Birgitte Holm", "Ahmed Yilmaz", "Lone Kristensen")
MAX_PEOPLE = 600  # residents with consents on record: the demo shows them, not one for everyone
PURPOSES_BY_PROGRAMME = {"counselling": "counselling", "mentoring": "mentoring", "courses": "courses"}


def seed(*, staff: dict, count: int, seed: int) -> list[str]:
    if count <= 0 or db.session.scalar(select(Consent.id).limit(1)) is not None:
        return []
    rng = random.Random(seed + 6)
    leader = (staff.get("leader") or [None])[0]
    recorder = (staff.get("social_worker") or [leader])[0]
    if recorder is None:
        return []
    today = local_today()
    made = withdrawn = 0
    rows = db.session.execute(
        select(Person.id, Assignment.programme, HouseholdMember.relation)
        .join(Assignment, Assignment.person_id == Person.id)
        .join(HouseholdMember, HouseholdMember.person_id == Person.id, isouter=True)
        .order_by(Person.created_at, Person.id)
        .limit(MAX_PEOPLE * 5)
    ).all()
    chosen: dict = {}
    for person_id, programme, relation in rows:
        if len(chosen) >= MAX_PEOPLE:
            break
        if person_id in chosen or rng.random() > 0.6:
            continue
        chosen[person_id] = (programme, relation == "child")
    # The chosen residents in one query (a parent's consent names the child), their keys in another.
    people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(list(chosen))))}
    keys = keys_of(chosen)
    batch = Rows(Consent)
    to_withdraw = []
    for person_id, (programme, child) in chosen.items():
        purposes = [PURPOSES_BY_PROGRAMME.get(programme, "counselling")]
        if child:
            purposes += rng.sample(["photos", "share_school", "share_ssp"], k=rng.randint(1, 2))
        for purpose in purposes:
            oral = rng.random() < 0.3
            given_on = today - timedelta(days=rng.randint(20, 700))
            now = utcnow()
            consent = batch.sealed(  # as consents.record_consent writes it
                Consent,
                keys[person_id],
                {
                    "id": uuid.uuid4(),
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "person_id": person_id,
                    "purpose": purpose,
                    "given_by": "parent" if child else "person",
                    "giver_name": f"Forælder til {people[person_id].first_name}" if child else None,
                    "method": "oral_witness" if oral else "signed_form",
                    "witness": rng.choice(WITNESSES) if oral else None,
                    "given_on": given_on,
                    "expires_on": given_on + timedelta(days=730) if rng.random() < 0.3 else None,
                    "withdrawn_at": None,
                    "withdrawal_reason": None,
                    "withdrawn_by_id": None,
                    "recorded_by_id": recorder.id,
                },
            )
            made += 1
            if purpose.startswith("share_") and len(to_withdraw) < len(WITHDRAWAL_REASONS) and rng.random() < 0.2:
                to_withdraw.append(consent["id"])
    batch.write()
    record_seeding("consent", consent=made)
    # The few withdrawals through the verb: it ends what rested on the consent in every domain.
    for reason, consent_id in zip(WITHDRAWAL_REASONS, to_withdraw, strict=False):
        consents.withdraw_consent(db.session.get(Consent, consent_id), reason, None, recorder)
        withdrawn += 1
    grants = 0
    for helper_role, reason in zip(("mentor", "course_leader"), EMERGENCIES, strict=True):
        helper = (staff.get(helper_role) or [None])[0]
        person = db.session.scalar(
            select(Person)
            .where(
                Person.id.not_in(select(Assignment.person_id).where(Assignment.user_id == (helper.id if helper else 0)))
            )
            .order_by(Person.created_at, Person.id)
            .offset(rng.randint(0, 20))
            .limit(1)
        )
        if helper is None or person is None:
            continue
        start = utcnow() - timedelta(days=rng.randint(2, 9), hours=rng.randint(0, 8))
        db.session.add(
            BreakGlassGrant(
                user_id=helper.id,
                person_id=person.id,
                reason=reason,
                granted_at=start,
                expires_at=start + timedelta(minutes=60),
            )
        )
        grants += 1
    db.session.commit()
    return [f"seeded {made} consents ({withdrawn} withdrawn) and {grants} emergency accesses for review"]
