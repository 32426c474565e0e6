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


WRONG = "The e-mail or password is wrong."


def _refusal(response) -> tuple[int, str]:
    """The status and the form's message of a refused login (English, to compare them exactly)."""
    import re

    match = re.search(
        r'<div class="flash flash-error[^"]*" role="alert"[^>]*>(.*?)</div>', response.get_data(as_text=True), re.S
    )
    return response.status_code, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def _login(client, email, password, address="127.0.0.1"):
    return client.submit("/login", {"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def test_every_refusal_looks_the_same(app, client, make_user):
    """Wrong password, unknown address, locked and deactivated accounts: one status, one message."""
    from caseapp.models.users import User

    client.submit("/language", {"lang": "en", "next": "/login"}, token_from="/login")
    staff, gone = make_user("social_worker"), make_user("mentor")
    with app.app_context():
        db.session.get(User, gone.id).active = False
        db.session.commit()
    wrong = _refusal(_login(client, staff.email, "wrong password!!"))
    unknown = _refusal(_login(client, "nobody@test.dk", "wrong password!!"))
    deactivated = _refusal(_login(client, gone.email, PASSWORD))
    for _ in range(4):
        _login(client, staff.email, "wrong password!!")
    locked = _refusal(_login(client, staff.email, PASSWORD))
    assert wrong == unknown == deactivated == locked == (401, WRONG)


def test_five_failures_lock_the_account_at_that_address_only(client, make_user, app, caplog):
    staff = make_user("social_worker")
    for _ in range(5):
        assert _login(client, staff.email, "wrong password!!", "127.0.0.9").status_code == 401
    assert _login(client, staff.email, PASSWORD, "127.0.0.9").status_code == 401  # locked there
    assert "locked for 15 minutes" in caplog.text and "the failing address only" in caplog.text
    with app.app_context():
        user = db.session.get(User, staff.id)
        assert user.locked_until(utcnow()) > utcnow() + timedelta(minutes=14)
        lock = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "account.lock"))
        assert '"scope": "address"' in lock.detail and '"minutes": 15' in lock.detail
    # The owner, elsewhere, still gets in, and learns of the lock.
    elsewhere = app.test_client()
    response = elsewhere.post(
        "/login",
        data={"email": staff.email, "password": PASSWORD, "csrf_token": elsewhere.csrf_token()},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
        follow_redirects=True,
    )
    assert response.status_code == 200 and "låst" in response.get_data(as_text=True)
    # Told once: the next login says nothing more.
    elsewhere.submit("/logout", token_from="/")
    again = elsewhere.post(
        "/login",
        data={"email": staff.email, "password": PASSWORD, "csrf_token": elsewhere.csrf_token()},
        follow_redirects=True,
    )
    assert "låst" not in again.get_data(as_text=True)


def test_the_lock_runs_out_after_fifteen_minutes(client, make_user, app):
    from caseapp.models.users import LoginLock

    staff = make_user("social_worker")
    for _ in range(5):
        _login(client, staff.email, "wrong password!!")
    assert _login(client, staff.email, PASSWORD).status_code == 401
    with app.app_context():
        db.session.scalar(db.select(LoginLock)).locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _login(client, staff.email, PASSWORD).status_code == 302


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
    response = client.submit(
        "/account/password", {"current": PASSWORD, "new": "a brand new passphrase", "confirm": "a brand new passphrase"}
    )
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
    codes = [
        client.submit("/login", {"email": "x@test.dk", "password": "wrong password!!"}).status_code for _ in range(4)
    ]
    assert codes[:3] == [401, 401, 401] and codes[3] == 429
