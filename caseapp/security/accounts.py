"""Account verbs: authenticate with lockout, second-factor attempts, roles under separation of duties,
password change, deactivation and 2FA reset. Each is audited.

A refused login looks the same whatever the reason (wrong password, unknown address, locked,
deactivated), so the login form tells nobody which e-mail addresses are staff accounts; the owner
learns of a lock at their next successful login.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, or_, select

from caseapp import audit
from caseapp.errors import Refused
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.models.users import LoginLock, User, effective_roles
from caseapp.security import two_factor
from caseapp.security.passwords import hash_password, verify_password
from caseapp.security.permissions import conflicting_with_admin
from caseapp.security.roles import ROLE_LABELS, ROLES
from caseapp.security.sessions import end_all_sessions
from caseapp.security.tokens import revoke_all_tokens

log = logging.getLogger("caseapp.security")


class AccountRefused(Refused):
    """An account change the rules forbid; `message` says why (the page, the CLI and the API show it)."""

    def __init__(self, message, field: str = "roles"):
        super().__init__(message, fields={field: message})


@dataclass
class LoginResult:
    user: User | None
    # When the account was last locked, if its owner has not been told yet.
    locked_at: datetime | None = None


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))


def holds_any(*roles: str):
    """A WHERE clause: the user's stored roles include one of `roles` (roles_text is space-separated).
    It narrows a list of staff in SQL; the effective roles (`User.has_role`: a role stored beside admin
    grants nothing) still decide."""
    padded = literal(" ") + User.roles_text + literal(" ")
    return or_(*(padded.contains(f" {role} ") for role in roles))


def staff_choices(*roles: str) -> list[tuple[str, str]]:
    """(id, name) of the active users holding one of `roles`, by name: a form's list of staff to pick
    from, read as columns, not accounts (a list of owners may name hundreds)."""
    rows = db.session.execute(
        select(User.id, User.name, User.roles_text).where(User.active.is_(True), holds_any(*roles)).order_by(User.name)
    )
    return [(str(user_id), name) for user_id, name, text in rows if effective_roles(text or "") & set(roles)]


def active_staff_holding(*roles: str) -> list[User]:
    """The active users holding one of `roles`, by name: the staff a form offers to pick from."""
    users = db.session.scalars(select(User).where(User.active.is_(True), holds_any(*roles)).order_by(User.name))
    return [u for u in users if u.has_role(*roles)]


def _locks_in_force(user: User, address: str, now: datetime) -> bool:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(LoginLock)
            .where(
                LoginLock.user_id == user.id,
                LoginLock.locked_until > now,
                or_(LoginLock.address == address, LoginLock.address == LoginLock.EVERY_ADDRESS),
            )
        )
        > 0
    )


def _lock_row(user: User, address: str) -> LoginLock:
    row = db.session.scalar(select(LoginLock).where(LoginLock.user_id == user.id, LoginLock.address == address))
    if row is None:
        row = LoginLock(user_id=user.id, address=address, failures=0)
        db.session.add(row)
    return row


def _count_failure(user: User, address: str, cause: str) -> bool:
    """One more failed attempt; locks for LOGIN_LOCK at LOGIN_MAX_FAILURES. True if it locked now."""
    config = current_app.config
    row = _lock_row(user, address)
    row.failures += 1
    if row.failures < config["LOGIN_MAX_FAILURES"]:
        return False
    now = utcnow()
    row.failures, row.locked_at, row.locked_until = 0, now, now + config["LOGIN_LOCK"]
    scope = "account" if address == LoginLock.EVERY_ADDRESS else "address"
    minutes = int(config["LOGIN_LOCK"].total_seconds() // 60)
    audit.record(
        "account.lock",
        object_type="user",
        object_id=user.id,
        actor=user,
        detail={"cause": cause, "scope": scope, "minutes": minutes},
    )
    log.warning(
        "account %s locked for %d minutes (%s, %s)",
        user.id,
        minutes,
        cause,
        "every address" if scope == "account" else "the failing address only",
    )
    return True


def authenticate(email: str, password: str, address: str | None) -> LoginResult:
    """Check a password. Five failures from one address lock the account for that address
    (so nobody can lock out the whole staff from one place). The view keeps a refusal's writes
    (`web.keep_changes`), since a refused request's transaction is otherwise rolled back."""
    address = address or "unknown"
    user = find_user(email)
    now = utcnow()
    locked = user is not None and _locks_in_force(user, address, now)
    ok = verify_password(user.password_hash if user else None, password)  # same work in every case
    if user is None or locked or not ok or not user.active:
        if user is not None and not locked and not ok:
            _count_failure(user, address, "password")
        reason = "locked" if locked else "inactive" if user is not None and ok else "credentials"
        audit.record(
            "login.failed",
            object_type="user" if user else None,
            object_id=user.id if user else None,
            detail={"reason": reason},
        )
        return LoginResult(None)
    notices = db.session.scalars(
        select(LoginLock).where(LoginLock.user_id == user.id, LoginLock.locked_at.is_not(None))
    ).all()
    locked_at = max((row.locked_at for row in notices), default=None)
    for row in notices:
        row.locked_at = None  # told now
    own = db.session.scalar(select(LoginLock).where(LoginLock.user_id == user.id, LoginLock.address == address))
    if own is not None:
        db.session.delete(own)
    return LoginResult(user, locked_at=locked_at)


def second_factor_failed(user: User) -> bool:
    """A wrong TOTP or recovery code. Five lock the account at every address (whoever types them
    knew the password) and end its sessions. True if the account is now locked."""
    audit.record("login.2fa_failed", object_type="user", object_id=user.id, actor=user)
    locked = _count_failure(user, LoginLock.EVERY_ADDRESS, "second_factor")
    if locked:
        end_all_sessions(user, "2fa_lock")
    return locked


def second_factor_passed(user: User) -> None:
    row = db.session.scalar(
        select(LoginLock).where(LoginLock.user_id == user.id, LoginLock.address == LoginLock.EVERY_ADDRESS)
    )
    if row is not None:
        row.failures = 0


def _check_roles(roles) -> None:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise AccountRefused(_l("Unknown role: %(roles)s.", roles=", ".join(sorted(unknown))))
    conflict = conflicting_with_admin(roles)
    if conflict:
        raise AccountRefused(
            _l(
                "The administrator role cannot be held together with a role that reads residents' data "
                "(%(roles)s): administrators manage accounts and see no resident data.",
                roles=LazyString(lambda: ", ".join(str(ROLE_LABELS[r]) for r in ROLES if r in conflict)),
            )
        )


def create_user(email: str, name: str, roles, password: str, actor: User | None = None) -> User:
    _check_roles(roles)
    user = User(email=email.strip().lower(), name=name.strip(), password_hash=hash_password(password))
    user.roles = roles
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user.create", object_type="user", object_id=user.id, actor=actor, detail={"roles": sorted(user.roles)}
    )
    return user


def set_roles(user: User, roles, actor: User) -> None:
    """Change an account's roles: never one's own, never `admin` with a resident-reading role."""
    if actor.id == user.id:
        raise AccountRefused(_l("You cannot change your own roles; another administrator must do it."))
    _check_roles(roles)
    before = sorted(user.roles)
    user.roles = roles
    audit.record(
        "user.roles",
        object_type="user",
        object_id=user.id,
        actor=actor,
        detail={"before": before, "after": sorted(user.roles)},
    )


def change_password(user: User, new_password: str, actor: User | None = None) -> None:
    """A new password ends every session and revokes every API token made under the old one."""
    user.password_hash = hash_password(new_password)
    ended = end_all_sessions(user, "password_changed")
    revoked = revoke_all_tokens(user, actor or user, "password_changed")
    audit.record(
        "user.password_change",
        object_type="user",
        object_id=user.id,
        actor=actor or user,
        detail={"sessions_ended": ended, "tokens_revoked": revoked},
    )


def set_active(user: User, active: bool, actor: User) -> None:
    if actor.id == user.id and not active:
        raise AccountRefused(_l("You cannot deactivate your own account."), field="active")
    user.active = active
    ended = revoked = 0
    if not active:
        ended = end_all_sessions(user, "deactivated")
        revoked = revoke_all_tokens(user, actor, "deactivated")
    audit.record(
        "user.activate" if active else "user.deactivate",
        object_type="user",
        object_id=user.id,
        actor=actor,
        detail={"sessions_ended": ended, "tokens_revoked": revoked},
    )


def reset_two_factor(user: User, actor: User) -> None:
    """Forget the account's second factor: its sessions end and its tokens are revoked with it."""
    two_factor.reset(user)
    ended = end_all_sessions(user, "2fa_reset")
    revoked = revoke_all_tokens(user, actor, "2fa_reset")
    audit.record(
        "user.2fa_reset",
        object_type="user",
        object_id=user.id,
        actor=actor,
        detail={"sessions_ended": ended, "tokens_revoked": revoked},
    )
