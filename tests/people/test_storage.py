"""Nothing personal in plaintext anywhere in the database, and nothing personal in logs or the audit."""

import logging
from pathlib import Path

from sqlalchemy import inspect, text

from caseapp.demo import seed
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.register.models import Person
from tests.conftest import bearer


def _seeded_values(app, make_user) -> list[str]:
    """Every personal value of 30 seeded residents, as shown to staff."""
    make_user("social_worker")  # staff named "Test Person": no demo staff name can look like a resident's
    with app.app_context():
        _forget_earlier_tests()
        seed(people=30, seed=7, accounts=False)
        values = []
        for person in db.session.scalars(db.select(Person)):
            for field in ("first_name", "last_name", "cpr", "phone", "email", "address", "notes", "birth_date"):
                value = getattr(person, field)
                if value and len(value) >= 4:
                    values.append(value)
            if person.cpr:
                values.append(person.cpr.replace("-", ""))
        db.session.remove()
    assert len(values) > 100
    return values


def _forget_earlier_tests() -> None:
    """On SQLite the suite shares one database file, emptied by DELETE between tests: the pages freed keep
    what earlier tests wrote in plaintext on purpose (a demo employer's contact "Lone Jensen"), which the
    raw-bytes check would take for a resident's name. VACUUM rebuilds the file from its live rows and the
    checkpoint empties the WAL, so the check reads only what this test's seeding wrote."""
    if db.engine.dialect.name == "sqlite":
        db.session.remove()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM"))
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def _raw_database_text(app) -> str:
    """Every cell of every table as text, read with SQL (PostgreSQL), or the raw file bytes (SQLite)."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            db.session.execute(text("PRAGMA wal_checkpoint(FULL)"))
            path = Path(db.engine.url.database)
            raw = path.read_bytes() + (Path(f"{path}-wal").read_bytes() if Path(f"{path}-wal").exists() else b"")
            return raw.decode("utf-8", errors="replace")
        chunks = []
        for table in inspect(db.engine).get_table_names():
            for row in db.session.execute(text(f'SELECT * FROM "{table}"')):
                for cell in row:
                    raw = bytes(cell).decode("utf-8", "replace") if isinstance(cell, bytes | memoryview) else cell
                    chunks.append(str(raw))
        return "\n".join(chunks)


def test_no_personal_value_is_stored_in_plaintext(app, make_user):
    values = _seeded_values(app, make_user)
    raw = _raw_database_text(app)
    leaked = [v for v in values if v in raw]
    assert leaked == []


def test_search_terms_never_reach_the_audit_or_the_log(app, client, make_user, api_token, caplog):
    from tests.people.factories import make_person

    worker = make_user("social_worker")
    make_person(app, first_name="Zainab", last_name="Qureshi", cpr="1212851234", assign_to=[(worker, "counselling")])
    token = api_token(worker)
    with caplog.at_level(logging.DEBUG):
        by_cpr = client.post("/api/v1/people/search", json={"cpr": "121285-1234"}, headers=bearer(token))
        by_name = client.post("/api/v1/people/search", json={"name": "qureshi"}, headers=bearer(token))
    assert by_cpr.get_json()["total"] == 1 and by_name.get_json()["total"] == 1
    with app.app_context():
        details = " ".join(e.detail + (e.purpose or "") for e in db.session.scalars(db.select(AuditEvent)))
    for term in ("1212851234", "121285", "Qureshi", "qureshi", "Zainab"):
        assert term not in details
        assert term not in caplog.text


def test_cpr_search_is_posted_never_in_a_url(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in {"people.search", "api.people_search"}:
            assert "POST" in rule.methods
            assert "cpr" not in rule.arguments
