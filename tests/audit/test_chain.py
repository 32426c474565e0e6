"""The audit hash chain: any change, removal or reordering is found by `caseapp audit verify`."""

from sqlalchemy import text

from caseapp import audit
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from tests.conftest import log_in, tampering


def _events(app, n=5):
    with app.app_context():
        for i in range(n):
            audit.record("test.event", object_type="thing", object_id=i, detail={"n": i})
        db.session.commit()


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def test_intact_chain_verifies(app):
    _events(app)
    result = _verify(app)
    assert result.exit_code == 0 and "5 events verified" in result.output


def test_changed_row_is_found(app):
    _events(app)
    with app.app_context(), tampering():
        db.session.execute(text("UPDATE audit_event SET detail = '{\"n\": 99}' WHERE seq = 3"))
        db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1 and "event 3" in result.output


def test_deleted_row_is_found(app):
    _events(app)
    with app.app_context(), tampering():
        db.session.execute(text("DELETE FROM audit_event WHERE seq = 2"))
        db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1 and "event 2 is missing" in result.output


def test_reordered_rows_are_found(app):
    _events(app)
    with app.app_context(), tampering():
        db.session.execute(text("UPDATE audit_event SET seq = 100 WHERE seq = 2"))
        db.session.execute(text("UPDATE audit_event SET seq = 2 WHERE seq = 4"))
        db.session.execute(text("UPDATE audit_event SET seq = 4 WHERE seq = 100"))
        db.session.commit()
    assert _verify(app).exit_code == 1


def test_recomputed_chain_without_the_key_is_found(app):
    """Someone with write access to the table but not the keyring cannot re-seal an edit."""
    import hashlib

    _events(app)
    with app.app_context(), tampering():
        rows = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq)).all()
        rows[1].detail = '{"n": 42}'
        previous = rows[0].chain
        for row in rows[1:]:
            row.chain = hashlib.sha256((previous + row.detail).encode()).hexdigest()
            previous = row.chain
        db.session.flush()
        db.session.commit()
    assert _verify(app).exit_code == 1


def test_logins_and_failures_are_audited(app, client, make_user):
    staff = make_user("social_worker")
    client.submit("/login", {"email": staff.email, "password": "wrong password!!"})
    log_in(client, staff)
    client.submit("/logout", token_from="/")
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-3:] == ["login.failed", "login", "logout"] or [a for a in actions if a.startswith("log")] == [
        "login.failed",
        "login",
        "logout",
    ]
    assert _verify(app).exit_code == 0


def test_viewer_filters_for_admin_and_leader(app, client, login_as, make_user):
    _events(app, 3)
    login_as("leader")
    page = client.get("/audit/?action=test.event").get_data(as_text=True)
    assert page.count('<li class="card">') == 3 and "test.event</" not in page  # readable, never the bare code
    listed = client.get("/audit/?action=test.").get_data(as_text=True).split('<ol class="audit-events">')[1]
    assert "Logget ind" not in listed and listed.count('<li class="card">') == 3
    assert (
        client.get("/audit/?date_from=2000-01-01&date_to=2000-01-02").get_data(as_text=True).count('<li class="card">')
        == 0
    )
    # An invalid filter is refused in Danish and lists nothing (never the unfiltered log under a message).
    refused = client.get("/audit/?actor=999999&date_from=31-02-2026")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and '<li class="card">' not in body and "Ret venligst" in body


def test_leader_filters_the_audit_log_by_a_staff_members_name(app, client, login_as, make_user):
    other = make_user("social_worker", name="Birthe Sørensen")
    login_as("leader")
    page = client.get("/audit/").get_data(as_text=True)
    assert f'<option value="{other.id}">Birthe Sørensen</option>' in page
    assert client.get(f"/audit/?actor={other.id}").status_code == 200


def test_viewer_is_closed_to_frontline_roles(client, login_as):
    login_as("social_worker")
    assert client.get("/audit/").status_code == 403
