"""Personal API tokens: shown once, stored as hashes, expiring, revocable."""

import hashlib
import re
from datetime import timedelta

from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.base import utcnow
from caseapp.models.users import ApiToken
from tests.conftest import bearer, log_in


def test_token_created_in_the_ui_is_shown_once_and_stored_as_a_hash(app, client, make_user):
    staff = make_user("social_worker")
    log_in(client, staff)
    page = client.submit("/account/tokens", {"name": "Min telefon", "days": "30"}).get_data(as_text=True)
    secret = re.search(r'id="new-token">(cat_[^<]+)<', page).group(1)
    assert secret not in client.get("/account/tokens").get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(db.select(ApiToken))
        assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in row.prefix + "x"
    assert client.get("/api/v1/people", headers=bearer(secret)).status_code == 200


def test_revoked_or_expired_token_is_refused(app, client, make_user, api_token):
    staff = make_user("social_worker")
    token = api_token(staff)
    assert client.get("/api/v1/people", headers=bearer(token)).status_code == 200
    log_in(client, staff)
    with app.app_context():
        token_id = db.session.scalar(db.select(ApiToken.id))
    client.submit(f"/account/tokens/{token_id}/revoke", token_from="/account/tokens")
    refused = client.get("/api/v1/people", headers=bearer(token))
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthenticated"

    expiring = api_token(staff)
    with app.app_context():
        row = db.session.scalar(db.select(ApiToken).where(ApiToken.revoked_at.is_(None)))
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get("/api/v1/people", headers=bearer(expiring)).status_code == 401


def test_token_of_a_deactivated_user_is_refused(app, client, make_user, api_token):
    from caseapp.models.users import User

    staff = make_user("social_worker")
    token = api_token(staff)
    with app.app_context():
        db.session.get(User, staff.id).active = False
        db.session.commit()
    assert client.get("/api/v1/people", headers=bearer(token)).status_code == 401


def test_api_ignores_the_session_cookie(client, make_user):
    log_in(client, make_user("social_worker"))
    assert client.get("/api/v1/people").status_code == 401


def test_cli_prints_only_the_token_and_its_use_is_audited(app, client, make_user):
    staff = make_user("social_worker")
    result = app.test_cli_runner().invoke(args=["users", "token", staff.email, "--days", "5"])
    assert result.exit_code == 0
    secret = result.stdout.strip()
    assert re.fullmatch(r"cat_[A-Za-z0-9_-]{40,}", secret)
    assert client.get("/api/v1/people", headers=bearer(secret)).status_code == 200
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "token.create" in actions and "token.use" in actions


def test_a_password_change_revokes_the_accounts_tokens(app, client, make_user, api_token):
    from tests.conftest import PASSWORD

    staff = make_user("social_worker")
    token = api_token(staff)
    assert client.get("/api/v1/people", headers=bearer(token)).status_code == 200
    log_in(client, staff)
    new = "a brand new passphrase"
    assert client.submit("/account/password", {"current": PASSWORD, "new": new, "confirm": new}).status_code == 302
    assert client.get("/api/v1/people", headers=bearer(token)).status_code == 401
    with app.app_context():
        assert db.session.scalar(db.select(ApiToken.revoked_at)) is not None
        assert "token.revoke_all" in db.session.scalars(db.select(AuditEvent.action)).all()


def test_a_2fa_reset_and_a_deactivation_revoke_the_accounts_tokens(app, client, make_user, api_token):
    leader, worker = make_user("leader"), make_user("social_worker")
    leader_token, worker_token = api_token(leader), api_token(worker)
    assert client.get("/api/v1/people", headers=bearer(leader_token)).status_code == 200
    log_in(client, make_user("admin"))
    client.submit(f"/admin/users/{leader.id}/reset-2fa", token_from=f"/admin/users/{leader.id}")
    client.submit(f"/admin/users/{worker.id}", {"roles": ["social_worker"]})  # "active" unticked
    for token in (leader_token, worker_token):
        assert client.get("/api/v1/people", headers=bearer(token)).status_code == 401
    with app.app_context():
        assert (
            db.session.scalar(db.select(db.func.count()).select_from(ApiToken).where(ApiToken.revoked_at.is_(None)))
            == 0
        )


def test_a_token_of_a_2fa_role_works_only_while_the_account_has_2fa(app, client, make_user, api_token):
    from caseapp.models.users import User

    staff = make_user("social_worker")
    token = api_token(staff)
    with app.app_context():
        db.session.get(User, staff.id).roles = {"social_worker", "ssp"}  # now a role that requires 2FA
        db.session.commit()
    assert client.get("/api/v1/people", headers=bearer(token)).status_code == 401
    with app.app_context():
        user = db.session.get(User, staff.id)
        user.totp_enabled_at = utcnow()
        db.session.commit()
    assert client.get("/api/v1/people", headers=bearer(token)).status_code == 200


def test_cli_gives_no_token_to_an_account_that_must_but_did_not_enrol_2fa(app, make_user):
    never = make_user("leader", two_factor=False)
    result = app.test_cli_runner().invoke(args=["users", "token", never.email])
    assert result.exit_code != 0 and "two-factor" in result.output and "cat_" not in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ApiToken)) == 0
    enrolled = make_user("leader")
    assert app.test_cli_runner().invoke(args=["users", "token", enrolled.email]).exit_code == 0


def test_a_session_that_has_not_passed_2fa_cannot_make_a_token(client, make_user):
    from tests.conftest import PASSWORD

    staff = make_user("social_worker", two_factor=True)  # enrolled although the role does not require it
    client.submit("/login", {"email": staff.email, "password": PASSWORD})
    response = client.submit("/account/tokens", {"name": "x", "days": "5"}, token_from="/login/2fa")
    assert response.status_code == 302 and response.location.endswith("/login/2fa")
