"""Server-side login sessions: the cookie carries a random token; the row decides if it still counts."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from flask import current_app
from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.orm import joinedload

from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.models.users import User, UserSession

# Writing last_seen on every request would make every read a write; a minute's slack is harmless.
_TOUCH_EVERY_SECONDS = 60


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """A fresh session (a new id at every login); returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token)))
    user._session_token = token
    return token


@cache
def _session_with_user() -> Select:
    """The session by its token's hash, with its user: built once for every request (see tokens.py)."""
    return (
        select(UserSession)
        .options(joinedload(UserSession.user))
        .where(UserSession.token_hash == bindparam("token_hash"))
    )


def load_session(token: str) -> UserSession | None:
    """The live session for a cookie token, ending it if it has idled or aged out."""
    row = db.session.scalar(_session_with_user(), {"token_hash": _hash(token)})
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    config = current_app.config
    # These writes join the request's transaction (caseapp.http.end_transaction commits it).
    if now - row.last_seen_at > config["IDLE_TIMEOUT"]:
        end_session(row, "idle")
        return None
    if now - row.created_at > config["ABSOLUTE_TIMEOUT"]:
        end_session(row, "expired")
        return None
    if (now - row.last_seen_at).total_seconds() > _TOUCH_EVERY_SECONDS:
        row.last_seen_at = now
    row.user._session_token = token
    return row


def end_session(row: UserSession, reason: str) -> None:
    row.ended_at = utcnow()
    row.end_reason = reason


def end_all_sessions(user: User, reason: str) -> int:
    """End every open session of the user (password change, deactivation, 2FA reset)."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )
    return result.rowcount
