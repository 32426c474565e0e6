"""Retention: `caseapp retention purge` deletes for real exactly what is due, is idempotent, lists without
deleting on --dry-run, is audited, and keeps the audit chain verifiable after old events go."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, text

from caseapp.audit import verify_chain
from caseapp.domains.dataprotection import consents, privacy, retention
from caseapp.domains.dataprotection.models import BreakGlassGrant
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.base import utcnow
from caseapp.privacy.consent import Consent
from tests.conftest import tampering
from tests.dataprotection.conftest import add_consent, user
from tests.people.factories import make_person

DAY = timedelta(days=1)


def _raw_count(table: str, id_value) -> int:
    value = id_value if db.engine.dialect.name == "postgresql" else uuid.UUID(str(id_value)).hex
    return db.session.execute(text(f'SELECT count(*) FROM "{table}" WHERE id = :id'), {"id": value}).scalar()


def _setup(app, make_user):
    """A consent withdrawn just past its period and one withdrawn a day short of it; the same for
    counselling cases closed and emergency grants ended."""
    worker = make_user("social_worker")
    mentor = make_user("mentor")
    person_id = make_person(app, assign_to=[(worker, "counselling")])
    old = add_consent(app, person_id, worker, purpose="photos")
    young = add_consent(app, person_id, worker, purpose="share_school")
    active = add_consent(app, person_id, worker, purpose="mentoring")
    periods = app.config["RETENTION"]
    today = date.today()
    with app.app_context():
        from caseapp.domains.counselling import cases as counselling
        from caseapp.domains.counselling.inputs import CaseOpening

        cases = []
        for _ in range(2):
            case = counselling.open_case(
                CaseOpening(
                    person_id=uuid.UUID(person_id), started_on=today, focus_areas=("language",), only_household=True
                ),
                user(worker),
            )
            cases.append(case)
        db.session.flush()
        cases[0].status, cases[0].closed_on = "closed", today - timedelta(days=periods["counselling_closed"])
        cases[1].status, cases[1].closed_on = "closed", today - timedelta(days=periods["counselling_closed"]) + DAY
        ended = today - timedelta(days=periods["consent_ended"])
        db.session.get(Consent, uuid.UUID(old)).withdrawn_at = datetime.combine(ended, datetime.min.time())
        db.session.get(Consent, uuid.UUID(young)).withdrawn_at = datetime.combine(ended + DAY, datetime.min.time())
        grants = []
        for shift in (timedelta(0), DAY):
            grant = BreakGlassGrant(
                user_id=mentor.id,
                person_id=uuid.UUID(person_id),
                reason="Akut hjemløs familie",
                granted_at=datetime.combine(
                    today - timedelta(days=periods["break_glass"]) + shift, datetime.min.time()
                ),
            )
            grant.expires_at = grant.granted_at + timedelta(minutes=30)
            db.session.add(grant)
            grants.append(grant)
        db.session.commit()
        return {
            "due": {"consent": old, "counselling_case": str(cases[0].id), "break_glass_grant": str(grants[0].id)},
            "kept": {
                "consent": [young, active],
                "counselling_case": [str(cases[1].id)],
                "break_glass_grant": [str(grants[1].id)],
            },
        }


TABLES = {"consent": "consent", "counselling_case": "counselling_case", "break_glass_grant": "break_glass_grant"}


def test_purge_deletes_exactly_what_is_due_and_reports_it(app, make_user):
    made = _setup(app, make_user)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    with app.app_context():
        for kind, record_id in made["due"].items():
            assert record_id in dry.output
            assert _raw_count(TABLES[kind], record_id) == 1, "a dry run deletes nothing"
    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    reported = {line.split()[-1] for line in result.output.splitlines() if line.startswith("deleted:")}
    with app.app_context():
        for kind, record_id in made["due"].items():
            assert record_id in reported
            assert _raw_count(TABLES[kind], record_id) == 0, f"{kind} reported deleted but still there"
        for kind, ids in made["kept"].items():
            for record_id in ids:
                assert record_id not in reported
                assert _raw_count(TABLES[kind], record_id) == 1, f"{kind} deleted before it was due"
        # Every row it reported deleted is gone: nothing reported survives in any table.
        for line in result.output.splitlines():
            if line.startswith("deleted:") and " audit_event " not in line:
                _, _domain, _key, object_type, object_id = line.split()
                assert _raw_count(object_type, object_id) == 0, line
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("retention.%"))).all()
        assert actions.count("retention.delete") == 3
        assert "retention.purge" in actions and "retention.dry_run" in actions
    again = runner.invoke(args=["retention", "purge"])
    assert again.exit_code == 0 and "0 record(s) deleted" in again.output, "a second run finds nothing"


def test_purged_consents_still_count_in_the_statistics(app, make_user):
    _setup(app, make_user)
    with app.app_context():
        before = consents.consent_statistics()
        emergency = privacy.breakglass_statistics()
        retention.purge()
        assert consents.consent_statistics() == before
        assert privacy.breakglass_statistics() == emergency


def test_old_audit_events_are_purged_and_the_chain_still_verifies(app, make_user):
    with app.app_context():
        from caseapp import audit

        for n in range(5):
            audit.record("test.event", detail={"n": n})
        db.session.commit()
        old = utcnow() - timedelta(days=app.config["RETENTION"]["audit_events"] + 1)
        with tampering():  # ageing the events by hand: the table refuses updates otherwise
            db.session.execute(text("UPDATE audit_event SET at = :at WHERE seq <= 3"), {"at": old})
            db.session.commit()
        # Rewriting `at` broke those links; recompute nothing, just check purge removes them and anchors the rest.
        items = retention.due()
        assert [i.record.object_id for i in items if i.record.object_type == "audit_event"] == ["1-3"]
        retention.purge()
        assert db.session.scalar(select(func.min(AuditEvent.seq))) == 4
        checked, broken = verify_chain()
        assert broken is None and checked >= 3
        # Deleting more events by hand, without a purge, is detected.
        with tampering():
            db.session.execute(text("DELETE FROM audit_event WHERE seq = 4"))
            db.session.commit()
        _checked, broken = verify_chain()
        assert broken is not None


def test_periods_come_from_the_configuration(app, other_app, make_user):
    made = _setup(app, make_user)
    longer = other_app(RETENTION={**app.config["RETENTION"], "consent_ended": 100_000})
    with longer.app_context():
        due = [i.record.object_id for i in retention.due()]
        assert made["due"]["consent"] not in due and made["due"]["counselling_case"] in due
