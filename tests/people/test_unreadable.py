"""A record that fails to decrypt fails alone: lists show it as unreadable, details refuse it, and
the failure is logged and audited as a security event."""

import logging

from sqlalchemy import text

from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from tests.conftest import bearer, log_in
from tests.people.factories import make_person


def _copy_first_name(app, source_id: str, target_id: str) -> None:
    """Give one person's row another person's first_name ciphertext (as a tampering DBA might)."""
    with app.app_context():
        stolen = db.session.execute(
            text("SELECT first_name FROM person WHERE id = :i"), {"i": _db_id(source_id)}
        ).scalar()
        db.session.execute(
            text("UPDATE person SET first_name = :v WHERE id = :i"), {"v": stolen, "i": _db_id(target_id)}
        )
        db.session.commit()


def _db_id(person_id: str):
    import uuid

    return uuid.UUID(person_id) if db.engine.dialect.name == "postgresql" else uuid.UUID(person_id).hex


def test_one_tampered_row_does_not_break_the_caseload_list(app, client, make_user, api_token, caplog):
    worker = make_user("social_worker")
    ok = make_person(app, first_name="Amira", assign_to=[(worker, "counselling")])
    broken = make_person(app, first_name="Bashir", last_name="Nielsen", assign_to=[(worker, "counselling")])
    _copy_first_name(app, ok, broken)
    log_in(client, worker)
    with caplog.at_level(logging.ERROR):
        page = client.get("/people/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Amira" in html and "Nielsen" in html  # everything else shows
    assert html.count("Amira") == 1, "the copied ciphertext must never show the other person's name"
    assert "Ulæselig (integritetsfejl, reference " in html
    assert "does not decrypt" in caplog.text and "Amira" not in caplog.text

    token = api_token(worker)
    listed = client.get("/api/v1/people", headers=bearer(token))
    assert listed.status_code == 200
    names = sorted(item["first_name"] for item in listed.get_json()["items"])
    assert names[0] == "Amira" and "(integritetsfejl, reference " in names[1]

    detail = client.get(f"/people/{broken}")
    assert detail.status_code == 409 and "kan ikke læses" in detail.get_data(as_text=True)
    assert "Amira" not in detail.get_data(as_text=True) and "Nielsen" not in detail.get_data(as_text=True)
    api_detail = client.get(f"/api/v1/people/{broken}", headers=bearer(token))
    assert api_detail.status_code == 409 and api_detail.get_json()["error"]["code"] == "unreadable"
    assert client.get(f"/people/{ok}").status_code == 200

    with app.app_context():
        events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "security.decrypt_failed")).all()
    assert events and all(e.subject_id == broken and '"column": "first_name"' in e.detail for e in events)
    # Recorded for the refused detail views too, although their own transaction was rolled back.
    assert len(events) >= 4
