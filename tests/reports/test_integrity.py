"""Counts that must not move: erasing a person changes no count (reports keep the person's rows
anonymously first), and a frozen report stays exactly as submitted when a record it counted is
corrected later, the correction listed as a difference."""

from __future__ import annotations

import json
import uuid

from caseapp.domains.concerns.models import Concern
from caseapp.domains.dataprotection import erasures
from caseapp.extensions import db
from caseapp.register.models import Person
from caseapp.reports import document, services
from caseapp.reports.models import ErasedRow, FrozenReport
from caseapp.reports.queries import Scope
from tests.reports import factories as f
from tests.reports.test_values import SPECS


def _doc(app, scope, *, unsuppressed=True):
    with app.test_request_context():
        return document.build(
            [document.Definition.of(i) for i in services.indicators()], scope, unsuppressed=unsuppressed
        )


def _seed(app, make_user):
    filer = make_user("mentor")
    plan = f.plan(app)
    rows = f.seed_concerns(app, filer, SPECS, plan)
    f.indicator(app, name_da="Bekymringshenvendelser", kind="records")
    f.indicator(app, name_da="Unge med bekymringer", kind="persons")
    f.indicator(
        app,
        name_da="Andel alvorlige",
        kind="share",
        outcomes=["high", "acute"],
        denominator_measures=["concerns.concern"],
    )
    return rows, plan


def test_erasing_a_person_changes_no_count(app, make_user):
    rows, plan = _seed(app, make_user)
    scope = Scope(*f.PERIOD)
    themed = Scope(*f.PERIOD, None, (plan["themes"][0],))
    before = (_doc(app, scope), _doc(app, themed))
    erased = rows[0].person  # two concerns, tagged to a theme, one of them a returning person's first day
    with app.app_context():
        erasures.erase_person(uuid.UUID(erased), "request", "Anmodning om sletning", None)
    with app.app_context():
        assert db.session.get(Person, uuid.UUID(erased)) is None
        assert (
            db.session.scalar(db.select(db.func.count(Concern.id)).where(Concern.person_id == uuid.UUID(erased))) == 0
        )
        kept = list(db.session.scalars(db.select(ErasedRow)))
        assert len(kept) == 2 and all(r.token and len(r.token) == 32 for r in kept)
        assert not any(erased.replace("-", "") in json.dumps([r.token, r.record_id]) for r in kept)
    after = (_doc(app, scope), _doc(app, themed))
    assert document.canonical(after[0]) == document.canonical(before[0])
    assert document.canonical(after[1]) == document.canonical(before[1])


def test_a_frozen_report_does_not_change_when_a_record_it_counted_is_corrected(app, make_user):
    rows, _plan = _seed(app, make_user)
    scope = Scope(*f.PERIOD)
    with app.test_request_context():
        frozen = services.freeze("Halvårsrapport", scope, None)
        db.session.commit()
        frozen_id, content, digest = frozen.id, frozen.content, frozen.sha256
    with app.app_context():  # a correction: one concern's severity and day
        concern = db.session.get(Concern, uuid.UUID(rows[1].concern))
        concern.severity = "low"
        concern.observed_on = f.PERIOD[0].replace(month=5)
        db.session.commit()
    with app.test_request_context():
        report = db.session.get(FrozenReport, frozen_id)
        assert report.content == content and report.sha256 == digest == document.sha256(content)
        changes = document.differences(json.loads(report.content), services.recompute(report))
    assert changes, "the correction is listed"
    assert {c["breakdown"] for c in changes} & {"outcome", "month"}
    assert all(c["submitted"] != c["now"] for c in changes)
