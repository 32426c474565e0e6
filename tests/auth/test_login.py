"""Logging in: passwords, lockout, throttling, session rotation and server-side logout."""

from datetime import timedelta

import pytest

from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.base import utcnow
from caseapp.models.users import User, UserSession
from tests.conftest import PASSWORD, log_in


def test_right_password_logs_in_and_wrong_one_does_not(client, make_user, ctx):
    staff = make_user("social_worker")
    bad = client.submit("/login", {"email": staff.email, "password": "wrong password!!"})
    assert bad.status_code == 401
    assert "forkert" in bad.get_data(as_text=True)  # Danish by default
    assert client.get("/").status_code == 302
    good = client.submit("/login", {"email": staff.email, "password": PASSWORD})
    assert good.status_code == 302
    assert client.get("/").status_code == 200
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq))]
    assert "login.failed" in actions and "login" in actions


def test_unknown_email_fails_the_same_way(client):
    response = client.submit("/login", {"email": "nobody@test.dk", "password": "whatever password"})
    assert response.status_code == 401


def test_five_failures_lock_the_account_for_fifteen_minutes(client, make_user, app):
    staff = make_user("social_worker")
    for _ in range(5):
        assert client.submit("/login", {"email": staff.email, "password": "wrong password!!"}).status_code == 401
    locked = client.submit("/login", {"email": staff.email, "password": PASSWORD})
    assert locked.status_code == 401
    assert "låst" in locked.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, staff.id)
        assert user.locked_until > utcnow() + timedelta(minutes=14)
        user.locked_until = utcnow() - timedelta(seconds=1)  # the lock runs out
        db.session.commit()
    assert client.submit("/login", {"email": staff.email, "password": PASSWORD}).status_code == 302


def test_session_id_changes_at_login(client, make_user, app):
    staff = make_user("social_worker")
    client.get("/login")
    before = client.get_cookie("caseapp_session")
    log_in(client, staff)
    after = client.get_cookie("caseapp_session")
    assert before is None or before.value != after.value
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(UserSession)) == 1


def test_cookie_captured_before_logout_is_refused_after_it(client, make_user, app):
    staff = make_user("social_worker")
    log_in(client, staff)
    captured = client.get_cookie("caseapp_session").value
    client.submit("/logout", token_from="/")
    assert client.get("/").status_code == 302
    thief = app.test_client()
    thief.set_cookie("caseapp_session", captured)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.location


def test_password_change_and_deactivation_end_other_sessions(app, make_user, login_as, client):
    staff = make_user("social_worker")
    other = app.test_client_class(app)
    log_in(other, staff)
    log_in(client, staff)
    response = client.submit("/account/password", {"current": PASSWORD, "new": "a brand new passphrase",
                                                    "confirm": "a brand new passphrase"})
    assert response.status_code == 302
    assert other.get("/").status_code == 302  # the other device is logged out
    assert client.get("/").status_code == 302

    staff2 = make_user("mentor")
    log_in(other, staff2)
    admin = make_user("admin")
    admin_client = app.test_client_class(app)
    log_in(admin_client, admin)
    response = admin_client.submit(f"/admin/users/{staff2.id}", {"roles": ["mentor"]})  # active unticked
    assert response.status_code == 302
    assert other.get("/").status_code == 302


def test_idle_and_absolute_timeouts(app, client, make_user):
    staff = make_user("social_worker")
    log_in(client, staff)
    with app.app_context():
        row = db.session.scalar(db.select(UserSession))
        row.last_seen_at = utcnow() - timedelta(minutes=31)
        db.session.commit()
    assert client.get("/").status_code == 302
    log_in(client, staff)
    with app.app_context():
        row = db.session.scalar(db.select(UserSession).where(UserSession.ended_at.is_(None)))
        row.created_at = utcnow() - timedelta(hours=12, minutes=1)
        db.session.commit()
    assert client.get("/").status_code == 302


def test_form_without_csrf_token_is_refused(client, make_user):
    staff = make_user("social_worker")
    response = client.post("/login", data={"email": staff.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


@pytest.fixture
def throttled(app):
    """A low login limit for one test; the counters are reset before and after."""
    from caseapp.extensions import limiter

    limit = app.config["LOGIN_RATE_LIMIT"]
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    limiter.reset()
    yield
    limiter.reset()
    app.config["LOGIN_RATE_LIMIT"] = limit


def test_login_is_throttled_per_address(throttled, client):
    codes = [client.submit("/login", {"email": "x@test.dk", "password": "wrong password!!"}).status_code
             for _ in range(4)]
    assert codes[:3] == [401, 401, 401] and codes[3] == 429
