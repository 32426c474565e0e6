"""The chain's end anchored outside the database, and the audit table append-only in the database."""

import json
import socket

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from caseapp import audit
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from tests.conftest import tampering


def _events(app, n=5):
    with app.app_context():
        for i in range(n):
            audit.record("test.event", object_type="thing", object_id=i, detail={"n": i})
        db.session.commit()


@pytest.fixture
def anchored(app, tmp_path):
    """An anchor file configured for the test; yields its path."""
    path = tmp_path / "anchors" / "caseapp.anchor"
    path.parent.mkdir()
    app.config["AUDIT_ANCHOR_FILE"] = str(path)
    yield path
    app.config["AUDIT_ANCHOR_FILE"] = None


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["audit", *args])


def test_anchor_writes_the_signed_head_and_verify_reaches_it(app, anchored):
    _events(app)
    result = _cli(app, "anchor")
    assert result.exit_code == 0 and "anchored event 5" in result.output
    line = json.loads(anchored.read_text().splitlines()[-1])
    assert line["seq"] == 5 and len(line["sig"]) == 64
    _events(app, 2)  # the log goes on after the anchor
    verified = _cli(app, "verify")
    assert verified.exit_code == 0 and "reaches the anchor" in verified.output and "event 5" in verified.output


def test_deleting_the_newest_events_fails_verify(app, anchored):
    _events(app)
    _cli(app, "anchor")  # anchors event 5; the anchoring itself is event 6
    with app.app_context(), tampering():
        db.session.execute(text("DELETE FROM audit_event WHERE seq >= 4"))
        db.session.commit()
    result = _cli(app, "verify")
    assert result.exit_code == 1 and "event 5" in result.output and "removed from the end" in result.output


def test_deleting_the_whole_table_fails_verify(app, anchored):
    _events(app)
    _cli(app, "anchor")
    with app.app_context(), tampering():
        db.session.execute(text("DELETE FROM audit_event"))
        db.session.commit()
    result = _cli(app, "verify")
    assert result.exit_code == 1 and "the log is empty" in result.output


def test_a_changed_anchored_event_or_a_forged_anchor_fails_verify(app, anchored):
    _events(app)
    _cli(app, "anchor")
    forged = json.loads(anchored.read_text().splitlines()[-1]) | {"seq": 3}
    with anchored.open("a") as fh:
        fh.write(json.dumps(forged) + "\n")
    result = _cli(app, "verify")
    assert result.exit_code == 1 and "wrong signature" in result.output


def test_a_missing_anchor_file_fails_verify(app, anchored):
    _events(app)
    _cli(app, "anchor")
    anchored.unlink()
    assert _cli(app, "verify").exit_code == 1


def test_anchor_without_a_configured_place_says_so(app):
    _events(app)
    result = _cli(app, "anchor")
    assert result.exit_code != 0 and "CASEAPP_AUDIT_ANCHOR_FILE" in result.output
    assert "no anchor file" in _cli(app, "verify").output


def test_anchor_goes_to_syslog(app):
    """A syslog receiver on loopback gets the signed line."""
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    app.config["AUDIT_ANCHOR_SYSLOG"] = f"127.0.0.1:{receiver.getsockname()[1]}"
    try:
        _events(app)
        assert _cli(app, "anchor").exit_code == 0
        message = receiver.recv(4096).decode()
    finally:
        app.config["AUDIT_ANCHOR_SYSLOG"] = None
        receiver.close()
    assert "caseapp-audit-anchor" in message and '"seq":5' in message


def test_a_retention_purge_writes_a_fresh_anchor(app, anchored):
    _events(app)
    result = app.test_cli_runner().invoke(args=["retention", "purge"])
    assert result.exit_code == 0 and "anchored event" in result.output
    assert _cli(app, "verify").exit_code == 0


def test_the_database_refuses_to_change_or_delete_audit_rows(app):
    _events(app)
    statements = [
        "UPDATE audit_event SET detail = '{}' WHERE seq = 2",
        "DELETE FROM audit_event WHERE seq = 5",
        "DELETE FROM audit_event",
    ]
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            statements.append("TRUNCATE audit_event CASCADE")
        for statement in statements:
            with pytest.raises(DBAPIError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == 5
