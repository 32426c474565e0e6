"""Personal API tokens: random, shown once, stored as SHA-256, with expiry and revocation."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.orm import joinedload

from caseapp import audit
from caseapp.errors import Refused
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.models.users import ApiToken, User
from caseapp.security.two_factor import requires_two_factor

PREFIX = "cat_"
MAX_DAYS = 365
# Writing last_used_at on every call would make every read a write (and, with one token used by
# several clients at once, a row lock they queue on); the audit log has every use to the second.
_TOUCH_EVERY_SECONDS = 60


def _hash(token: str) -> str:
    # The token has 256 bits of entropy, so a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(token.encode()).hexdigest()


class TokenRefused(Refused):
    """The account may not hold a token now; `message` says why."""


def may_hold_token(user: User) -> bool:
    """A token is as strong as the account's login: an account whose roles require two-factor
    authentication holds working tokens only while it has enrolled it."""
    return user.active and (user.totp_enabled_at is not None or not requires_two_factor(user))


def issue_token(user: User, name: str, days: int = 90, actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`. Pages call it only past the two-factor gate; the CLI for any account
    that may hold one (`may_hold_token`)."""
    if not may_hold_token(user):
        raise TokenRefused(
            _l("This account's roles require two-factor authentication: set it up before an API token can be made.")
        )
    days = max(1, min(days, MAX_DAYS))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=_hash(secret),
        prefix=secret[:12],
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "token.create",
        object_type="api_token",
        object_id=token.id,
        actor=actor or user,
        detail={"user_id": user.id, "days": days},
    )
    return token, secret


def revoke_token(token: ApiToken, actor: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(
            "token.revoke", object_type="api_token", object_id=token.id, actor=actor, detail={"user_id": token.user_id}
        )


def revoke_all_tokens(user: User, actor: User | None, reason: str) -> int:
    """Revoke every live token of the account (password change, 2FA reset, deactivation)."""
    result = db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    if result.rowcount:
        audit.record(
            "token.revoke_all",
            object_type="user",
            object_id=user.id,
            actor=actor,
            detail={"revoked": result.rowcount, "reason": reason},
        )
    return result.rowcount


@cache
def _token_with_owner() -> Select:
    """The token by its hash, with its owner: built once, so every request reuses the statement and its
    compiled form instead of building both again (SQLAlchemy's per-statement cost dominates this read)."""
    return select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.token_hash == bindparam("token_hash"))


def user_for_token(secret: str) -> User | None:
    """The active owner of a usable token, or None; every use is audited.

    The use joins the request's transaction (one commit for the use, the work and its events) and
    is written even if the request fails (`outlasts_failure`).
    """
    if not secret.startswith(PREFIX):
        return None
    token = db.session.scalar(_token_with_owner(), {"token_hash": _hash(secret)})
    now = utcnow()
    if token is None or not token.is_usable(now) or not may_hold_token(token.user):
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > _TOUCH_EVERY_SECONDS:
        token.last_used_at = now
    audit.record_kept("token.use", object_type="api_token", object_id=token.id, actor=token.user)
    return token.user
