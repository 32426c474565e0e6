"""What lands in the database: notes and amendments only as ciphertext, amendments that never touch the
original, audit events that name no values, and the domain's part in subject access, erasure and retention."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import text

from caseapp.domains.counselling.models import AttendanceRecord, CounsellingCase, CounsellingSession
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from tests.conftest import bearer

NOTE = "Mor græder og fortæller om vold i hjemmet"
CORRECTION = "Rettelse: far fortalte det, ikke mor"


def _raw(table: str, column: str, where: str, value: str):
    return db.session.execute(text(f"SELECT {column} FROM {table} WHERE {where} = :v"), {"v": value}).scalar()


def _uuid_param(value: str):
    # SQLAlchemy's Uuid type stores 32 hex characters on SQLite and a native uuid on PostgreSQL.
    return value if db.engine.dialect.name == "postgresql" else uuid.UUID(value).hex


def test_notes_and_amendments_are_not_stored_in_plaintext(app, client, make_user, make_family, make_case,
                                                          api_token):
    worker = make_user("social_worker")
    family = make_family(worker)
    case_id = make_case(worker, family, notes=NOTE)
    headers = bearer(api_token(worker))
    sessions = client.get(f"/api/v1/counselling/cases/{case_id}/sessions", headers=headers).get_json()
    session_id = sessions["items"][0]["id"]
    response = client.post(f"/api/v1/counselling/cases/{case_id}/sessions/{session_id}/amendments",
                           headers=headers, json={"text": CORRECTION, "reason": "Forkert forælder nævnt"})
    assert response.status_code == 201
    client.post(f"/api/v1/counselling/cases/{case_id}/attendance", headers=headers, json={
        "child_id": family["child"], "institution_kind": "school", "institution_name": "Humlehøj Skole",
        "period_start": "2026-09-01", "period_end": "2026-09-30", "attendance_percent": 81})
    with app.app_context():
        stored_note = bytes(_raw("counselling_session", "notes", "id", _uuid_param(session_id)))
        assert NOTE.encode() not in stored_note and stored_note[0] == 1  # the format version byte
        amendment = db.session.execute(text("SELECT text, reason FROM counselling_amendment")).one()
        assert CORRECTION.encode() not in bytes(amendment.text)
        assert b"Forkert" not in bytes(amendment.reason)
        everything = b"".join(
            bytes(v) for table, columns in {
                "counselling_session": ("notes", "other_attendees"), "counselling_amendment": ("text", "reason"),
                "counselling_action": ("description",), "counselling_case": ("background",),
                "counselling_attendance": ("institution_name", "attendance_percent"),
            }.items() for column in columns
            for v in db.session.execute(text(f"SELECT {column} FROM {table}")).scalars() if v is not None)
        for secret in (NOTE, CORRECTION, "Ring til børnehaven", "Ønsker hjælp til lektier", "Humlehøj"):
            assert secret.encode() not in everything, secret
        # The audit log names fields and kinds, never the values.
        details = " ".join(e.detail for e in db.session.scalars(db.select(AuditEvent)))
        assert "græder" not in details and "Rettelse" not in details


def test_amendment_does_not_rewrite_the_original(app, client, make_user, make_family, make_case, api_token):
    worker = make_user("social_worker")
    case_id = make_case(worker, make_family(worker), notes=NOTE)
    with app.app_context():
        session = db.session.scalar(db.select(CounsellingSession))
        session_id = str(session.id)
        before = bytes(_raw("counselling_session", "notes", "id", _uuid_param(session_id)))
    headers = bearer(api_token(worker))
    url = f"/api/v1/counselling/cases/{case_id}/sessions/{session_id}/amendments"
    assert client.post(url, headers=headers, json={"text": CORRECTION}).status_code == 201
    assert client.post(url, headers=headers, json={"text": "Anden rettelse"}).status_code == 201
    with app.app_context():
        after = bytes(_raw("counselling_session", "notes", "id", _uuid_param(session_id)))
        assert after == before  # the original ciphertext is untouched
        assert db.session.get(CounsellingSession, uuid.UUID(session_id)).notes == NOTE
    body = client.get(url, headers=headers).get_json()
    assert body["original"] == NOTE
    assert [a["text"] for a in body["items"]] == [CORRECTION, "Anden rettelse"]
    assert all(a["created_by"]["id"] == worker.id and a["created_at"] for a in body["items"])
    # No route rewrites a session: there is no PATCH or PUT on it.
    session_url = f"/api/v1/counselling/cases/{case_id}/sessions/{session_id}"
    assert client.patch(session_url, headers=headers, json={"notes": "x"}).status_code in (404, 405)


def test_ciphertext_moved_to_another_session_does_not_decrypt(app, make_user, make_family, make_case):
    """Notes are bound to their row: copying one session's note onto another fails instead of misleading."""
    import pytest

    from caseapp.crypto import DecryptionError

    worker = make_user("social_worker")
    family = make_family(worker)
    case_id = make_case(worker, family, notes=NOTE)
    make_case(worker, family, notes="Et andet notat")  # a second case for the same parent
    with app.app_context():
        first, second = db.session.execute(text("SELECT id, notes FROM counselling_session")).all()
        db.session.execute(text("UPDATE counselling_session SET notes = :n WHERE id = :i"),
                           {"n": first.notes, "i": second.id})
        db.session.commit()
        db.session.remove()
        with pytest.raises(DecryptionError):
            db.session.scalars(db.select(CounsellingSession)).all()
    assert case_id


def test_subject_access_export_and_erasure(app, make_user, make_family, make_case, client, api_token):
    source = next(p.privacy for p in app.extensions["caseapp.domains"] if p.name == "counselling")
    worker = make_user("social_worker")
    family = make_family(worker)
    case_id = make_case(worker, family, notes=NOTE)
    client.post(f"/api/v1/counselling/cases/{case_id}/attendance", headers=bearer(api_token(worker)), json={
        "child_id": family["child"], "institution_kind": "school", "period_start": "2026-09-01",
        "period_end": "2026-09-30", "days_absent": 6})
    with app.app_context():
        parent_export = source.export(uuid.UUID(family["parent"]))
        assert parent_export[0]["kind"] == "counselling_case"
        assert parent_export[0]["sessions"][0]["notes"] == NOTE
        assert "created_by" not in parent_export[0]["sessions"][0]  # no staff names
        child_export = source.export(uuid.UUID(family["child"]))
        kinds = {r["kind"] for r in child_export}
        assert {"counselling_case", "counselling_attendance"} <= kinds
        assert next(r for r in child_export if r["kind"] == "counselling_attendance")["days_absent"] == 6

        counts = source.erase(uuid.UUID(family["child"]))
        db.session.commit()
        assert counts["attendance"] == 1 and counts["case_children"] == 1
        assert db.session.scalar(db.select(db.func.count()).select_from(AttendanceRecord)) == 0
        counts = source.erase(uuid.UUID(family["parent"]))
        db.session.commit()
        assert counts["cases"] == 1
        for table in ("counselling_case", "counselling_session", "counselling_action", "counselling_amendment"):
            assert db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table


def test_closed_cases_expire_after_the_retention_period(app, make_user, make_family, make_case):
    from caseapp.privacy import retention_days

    source = next(p.privacy for p in app.extensions["caseapp.domains"] if p.name == "counselling")
    worker = make_user("social_worker")
    open_case = make_case(worker, make_family(worker))
    closed_case = make_case(worker, make_family(worker, first="Fatima", child_first="Ali"))
    with app.app_context():
        assert CounsellingCase.__processing__.retention == "counselling_closed"
        days = retention_days("counselling_closed")
        case = db.session.get(CounsellingCase, uuid.UUID(closed_case))
        case.status, case.closing_reason, case.closed_on = "closed", "goals_met", date.today() - timedelta(days=days)
        db.session.commit()
        assert source.expired(date.today() - timedelta(days=1)) == []  # not yet due
        expired = source.expired(date.today())
        assert [r.object_id for r in expired] == [closed_case]
        source.purge(expired[0])
        db.session.commit()
        assert db.session.get(CounsellingCase, uuid.UUID(closed_case)) is None
        assert db.session.get(CounsellingCase, uuid.UUID(open_case)) is not None


def test_every_counselling_table_with_personal_data_declares_its_processing():
    from caseapp.domains.counselling import models as counselling

    for name in counselling.__all__:
        model = getattr(counselling, name)
        columns = {c.name for c in model.__table__.columns}
        if columns & {"person_id", "subject_id", "child_id"}:
            assert model.__processing__.purpose, name
