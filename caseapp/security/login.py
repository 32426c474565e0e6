"""Flask-Login wiring: cookie sessions checked against the server, bearer tokens on the API."""

from __future__ import annotations

from flask import g, request

from caseapp.security.sessions import load_session
from caseapp.security.tokens import user_for_token


def init_login_manager(login_manager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # no flash: the login page says it itself
    login_manager.session_protection = None  # the server-side session row is the protection

    @login_manager.user_loader
    def load_user(token: str):
        if request.path.startswith("/api/"):
            return None  # the API takes bearer tokens only: no cookie rides along into it
        row = load_session(token)
        if row is None or not row.user.active:
            return None
        g.user_session = row
        return row.user

    @login_manager.request_loader
    def load_user_from_request(req):
        if not req.path.startswith("/api/"):
            return None
        header = req.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret:
            return None
        user = user_for_token(secret.strip())
        if user is not None:
            g.token_auth = True
        return user
