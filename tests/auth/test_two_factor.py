"""Two-factor authentication: enrolment, mandatory for admin/leader/ssp/police, recovery codes."""

import re

import pyotp
import pytest

from tests.conftest import PASSWORD, log_in


@pytest.mark.parametrize("role", ["admin", "leader", "ssp", "police"])
def test_roles_that_require_2fa_reach_nothing_before_enrolling(role, client, make_user):
    staff = make_user(role, two_factor=False)
    client.submit("/login", {"email": staff.email, "password": PASSWORD})
    for url in ("/", "/people/", "/admin/users", "/audit/", "/concerns/", "/account/tokens"):
        response = client.get(url)
        assert response.status_code == 302 and response.location.endswith("/account/2fa/setup"), url


def test_enrolment_by_qr_code_then_recovery_codes(client, make_user):
    staff = make_user("leader", two_factor=False)
    client.submit("/login", {"email": staff.email, "password": PASSWORD})
    page = client.get("/account/2fa/setup").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    wrong = client.submit("/account/2fa/setup", {"code": "000000"})
    assert "ikke gyldig" in wrong.get_data(as_text=True)
    done = client.submit("/account/2fa/setup", {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", done.get_data(as_text=True))
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    # Next login: the code is asked for; a recovery code works once.
    client.submit("/logout", token_from="/")
    client.submit("/login", {"email": staff.email, "password": PASSWORD})
    assert client.get("/").location.endswith("/login/2fa")
    assert client.submit("/login/2fa", {"code": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    client.submit("/logout", token_from="/")
    client.submit("/login", {"email": staff.email, "password": PASSWORD})
    assert client.submit("/login/2fa", {"code": codes[0]}).status_code == 401


def test_wrong_code_keeps_the_gate_shut(client, make_user):
    staff = make_user("ssp")
    client.submit("/login", {"email": staff.email, "password": PASSWORD})
    assert client.submit("/login/2fa", {"code": "123456"}).status_code == 401
    assert client.get("/concerns/").status_code == 302


def test_social_worker_without_2fa_goes_straight_in(client, make_user):
    log_in(client, make_user("social_worker"))
    assert client.get("/").status_code == 200


def test_admin_reset_of_2fa_ends_sessions_and_requires_enrolment(app, client, make_user):
    leader = make_user("leader")
    leader_client = app.test_client()
    log_in(leader_client, leader)
    log_in(client, make_user("admin"))
    reset = client.submit(f"/admin/users/{leader.id}/reset-2fa", token_from=f"/admin/users/{leader.id}")
    assert reset.status_code == 302
    assert leader_client.get("/").status_code == 302
    leader_client.submit("/login", {"email": leader.email, "password": PASSWORD})
    assert leader_client.get("/").location.endswith("/account/2fa/setup")


def _wrong_codes(client, count: int) -> list[int]:
    return [client.submit("/login/2fa", {"code": "000000"}).status_code for _ in range(count)]


def test_five_wrong_codes_lock_the_account_and_a_sixth_right_one_is_refused(app, client, make_user, caplog):
    from caseapp.extensions import db
    from caseapp.models.audit import AuditEvent

    staff = make_user("leader")
    client.submit("/login", {"email": staff.email, "password": PASSWORD})
    codes = _wrong_codes(client, 4)
    assert codes == [401] * 4
    fifth = client.submit("/login/2fa", {"code": "000000"})
    assert fifth.status_code == 302 and fifth.location.endswith("/login")  # the session is ended
    assert client.get("/").status_code == 302
    # Even with the password and the right code, from any address, for 15 minutes.
    other = app.test_client()
    assert (
        other.post(
            "/login",
            data={"email": staff.email, "password": PASSWORD, "csrf_token": other.csrf_token()},
            environ_base={"REMOTE_ADDR": "127.0.0.5"},
        ).status_code
        == 401
    )
    assert "second_factor" in caplog.text and "every address" in caplog.text
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions.count("login.2fa_failed") == 5 and "account.lock" in actions


def test_wrong_recovery_codes_count_too(client, make_user):
    staff = make_user("ssp")
    client.submit("/login", {"email": staff.email, "password": PASSWORD})
    assert [client.submit("/login/2fa", {"code": "abcdef-123456"}).status_code for _ in range(4)] == [401] * 4
    assert client.submit("/login/2fa", {"code": "abcdef-123456"}).status_code == 302
    assert client.submit("/login", {"email": staff.email, "password": PASSWORD}).status_code == 401


def test_a_right_code_resets_the_count(client, make_user):
    staff = make_user("leader")
    client.submit("/login", {"email": staff.email, "password": PASSWORD})
    assert _wrong_codes(client, 4) == [401] * 4
    assert client.submit("/login/2fa", {"code": staff.totp()}).status_code == 302
    client.submit("/logout", token_from="/")
    client.submit("/login", {"email": staff.email, "password": PASSWORD})
    assert _wrong_codes(client, 4) == [401] * 4  # counting from nought again: not locked
    assert client.submit("/login/2fa", {"code": staff.totp()}).status_code == 302
