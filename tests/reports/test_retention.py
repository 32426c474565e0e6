"""Retention purges lower no count: the measure rows a purge removes are kept anonymously first (under
the person's key while the person exists, so distinct counts stay exact), and a later erasure of the
same person replaces that key and still moves no count."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from caseapp.domains.concerns.models import Concern
from caseapp.domains.counselling import cases as counselling
from caseapp.domains.counselling.inputs import CaseOpening
from caseapp.domains.counselling.models import CounsellingCase
from caseapp.domains.dataprotection import erasures, retention
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.plan.tagging import TagInput
from caseapp.register.models import Assignment
from caseapp.reports import document
from caseapp.reports.models import ErasedRow
from caseapp.reports.queries import Scope
from tests.reports import factories as f
from tests.reports.test_integrity import _doc, _seed

EVER = Scope(date(2019, 1, 1), date(2026, 12, 31))


def _seed_two_domains(app, make_user):
    """The concerns of test_integrity, and for the person with two concerns two counselling cases (one
    with a child), all tagged; one concern and one case of that person closed long enough ago to be due."""
    rows, plan = _seed(app, make_user)
    f.indicator(app, name_da="Forældre i forældrerådgivning", kind="persons", measures=["counselling.case"])
    f.indicator(app, name_da="Børn i forældrerådgivning", kind="persons", measures=["counselling.child"])
    f.indicator(
        app,
        name_da="Personer med bekymring eller rådgivning",
        kind="persons",
        measures=["concerns.concern", "counselling.case"],
    )
    person = rows[0].person
    child = f.person(app, make_user("mentor"), birth_year=2015, gender="male", area="Bøgeparken")
    worker = make_user("social_worker")
    today = date.today()
    with app.app_context():
        for assigned in (person, child):
            db.session.add(Assignment(user_id=worker.id, person_id=uuid.UUID(assigned), programme="counselling"))
        db.session.flush()
        opened = [
            counselling.open_case(
                CaseOpening(
                    person_id=uuid.UUID(person),
                    started_on=date(2026, 2, 10 + n),
                    focus_areas=("language",),
                    children=(uuid.UUID(child),) if n == 0 else (),
                    plan_tags=TagInput(plan["period"], plan["themes"][0], None, None),
                ),
                db.session.get(User, worker.id),
            )
            for n in range(2)
        ]
        db.session.flush()
        due_case = opened[0]
        due_case.status, due_case.closed_on = (
            "closed",
            today - timedelta(days=app.config["RETENTION"]["counselling_closed"]),
        )
        due_concern = db.session.get(Concern, uuid.UUID(rows[0].concern))
        due_concern.state = "closed"
        due_concern.state_changed_at = datetime.combine(
            today - timedelta(days=app.config["RETENTION"]["concerns_closed"] + 1), time.min
        )
        db.session.commit()
        return person, str(due_case.id), rows[0].concern, plan


def _docs(app, plan):
    themed = Scope(*f.PERIOD, None, (plan["themes"][0],))
    return [document.canonical(_doc(app, scope)) for scope in (Scope(*f.PERIOD), themed, EVER)]


def _purge(app, due_case, due_concern):
    with app.app_context():
        purged = {(d.domain, d.record.object_id) for d in retention.purge()}
        assert {due_case, due_concern} <= {object_id for _d, object_id in purged}
        assert db.session.get(CounsellingCase, uuid.UUID(due_case)) is None
        assert db.session.get(Concern, uuid.UUID(due_concern)) is None


def test_a_retention_purge_of_two_domains_changes_no_report_value(app, make_user):
    person, due_case, due_concern, plan = _seed_two_domains(app, make_user)
    before = _docs(app, plan)
    _purge(app, due_case, due_concern)
    with app.app_context():
        kept = list(db.session.scalars(db.select(ErasedRow)))
        assert {r.measure for r in kept} == {"concerns.concern", "counselling.case", "counselling.child"}
        # The parent still has a live concern and case: their copies count under the same key as those.
        assert {r.token for r in kept if r.measure != "counselling.child"} == {uuid.UUID(person).hex}
    assert _docs(app, plan) == before
    with app.app_context():  # a second run finds nothing and copies nothing twice
        assert retention.purge() == []
        assert db.session.scalar(db.select(db.func.count(ErasedRow.id))) == len(kept)


def test_erasing_a_person_after_a_purge_keeps_counts_exact(app, make_user):
    person, due_case, due_concern, plan = _seed_two_domains(app, make_user)
    before = _docs(app, plan)
    _purge(app, due_case, due_concern)
    with app.app_context():
        erasures.erase_person(uuid.UUID(person), "request", "Anmodning om sletning", None)
    with app.app_context():
        tokens = set(db.session.scalars(db.select(ErasedRow.token).where(ErasedRow.measure != "counselling.child")))
        assert len(tokens) == 1 and uuid.UUID(person).hex not in tokens, "one erasure token replaced the key"
    assert _docs(app, plan) == before
