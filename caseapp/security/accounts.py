"""Account verbs: authenticate with lockout, change password, deactivate. Each is audited."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from caseapp import audit
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.models.users import User
from caseapp.security.passwords import hash_password, verify_password
from caseapp.security.roles import ROLES
from caseapp.security.sessions import end_all_sessions


@dataclass
class LoginResult:
    user: User | None
    locked: bool = False


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))


def authenticate(email: str, password: str) -> LoginResult:
    """Check a password; lock the account for 15 minutes after 5 failures. Commits the outcome."""
    user = find_user(email)
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        verify_password(None, password)  # same work either way
        audit.record("login.locked", object_type="user", object_id=user.id, actor=user)
        db.session.commit()
        return LoginResult(None, locked=True)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
                user.locked_until = now + current_app.config["LOGIN_LOCK"]
                user.failed_logins = 0
                audit.record("account.lock", object_type="user", object_id=user.id, actor=user)
        audit.record("login.failed", object_type="user" if user else None, object_id=user.id if user else None,
                     detail={"reason": "inactive" if user is not None and ok else "credentials"})
        db.session.commit()
        return LoginResult(None, locked=user is not None and user.locked_until is not None and user.locked_until > now)
    user.failed_logins = 0
    user.locked_until = None
    return LoginResult(user)


def create_user(email: str, name: str, roles, password: str, actor: User | None = None) -> User:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")
    user = User(email=email.strip().lower(), name=name.strip(), password_hash=hash_password(password))
    user.roles = roles
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", object_type="user", object_id=user.id, actor=actor,
                 detail={"roles": sorted(user.roles)})
    return user


def change_password(user: User, new_password: str, actor: User | None = None) -> None:
    user.password_hash = hash_password(new_password)
    ended = end_all_sessions(user, "password_changed")
    audit.record("user.password_change", object_type="user", object_id=user.id, actor=actor or user,
                 detail={"sessions_ended": ended})


def set_active(user: User, active: bool, actor: User) -> None:
    user.active = active
    ended = end_all_sessions(user, "deactivated") if not active else 0
    audit.record("user.activate" if active else "user.deactivate", object_type="user", object_id=user.id,
                 actor=actor, detail={"sessions_ended": ended})


def set_roles(user: User, roles, actor: User) -> None:
    before = sorted(user.roles)
    user.roles = roles
    audit.record("user.roles", object_type="user", object_id=user.id, actor=actor,
                 detail={"before": before, "after": sorted(user.roles)})
