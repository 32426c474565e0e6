"""Staff accounts, their server-side sessions, API tokens and 2FA recovery codes."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask_login import UserMixin
from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.extensions import db
from caseapp.models.base import TimestampMixin, utcnow
from caseapp.privacy import ProcessingRecord
from caseapp.security.permissions import conflicting_with_admin
from caseapp.security.roles import ROLES


class User(TimestampMixin, UserMixin, db.Model):
    """A staff member who logs in. Residents are `Person`s and never users."""

    __tablename__ = "user"
    __processing__ = ProcessingRecord(
        purpose="Staff accounts: logging in, two-factor authentication and access control",
        data_categories=("name", "work e-mail", "roles", "password hash", "two-factor secret (encrypted)"),
        subject_categories=("staff",),
        recipients=("administrators",),
        legal_basis="GDPR art. 6(1)(b) and (f): the employment relationship and the security of the register",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    roles_text: Mapped[str] = mapped_column("roles", String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    # TOTP secret, sealed under the keyring's active KEK (staff are not data subjects with DEKs).
    totp_secret_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_enabled_at: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(String(5))
    # Unread notifications (caseapp/platform/notifications), kept here so the header costs no query.
    unread_notifications: Mapped[int] = mapped_column(default=0, server_default="0")

    sessions: Mapped[list[UserSession]] = relationship(back_populates="user", cascade="all, delete-orphan")
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")
    login_locks: Mapped[list[LoginLock]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def roles(self) -> frozenset[str]:
        return effective_roles(self.roles_text or "")

    @roles.setter
    def roles(self, value) -> None:
        unknown = set(value) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")
        if conflicting_with_admin(value):
            raise ValueError(f"admin cannot be held with {', '.join(sorted(conflicting_with_admin(value)))}")
        self.roles_text = " ".join(r for r in ROLES if r in set(value))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def locked_until(self, now: datetime) -> datetime | None:
        """The end of the latest lock still running (from any address), for the administrator's page."""
        running = [lock.locked_until for lock in self.login_locks if lock.locked_until and lock.locked_until > now]
        return max(running, default=None)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        # Flask-Login keeps this in the cookie: the server-side session's token, not the user id,
        # so ending the session on the server makes an old cookie worthless.
        return self._session_token

    _session_token: str = ""


class UserSession(db.Model):
    """One login. The cookie carries only its random token; ending it here ends it everywhere."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    two_factor_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(40))

    user: Mapped[User] = relationship(back_populates="sessions")


class ApiToken(db.Model):
    """A personal API token, stored as its SHA-256 only; the token itself is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class LoginLock(db.Model):
    """Failed attempts on one account from one address, and the lock they led to.

    Wrong passwords count per account *and* address, so someone guessing from one address locks
    the account only there and cannot lock a whole staff out. Wrong second-factor codes come from
    someone who knew the password: they count for the account at every address (EVERY_ADDRESS).
    `locked_at` stays set until the owner has been told of the lock at their next successful login.
    """

    __tablename__ = "login_lock"
    __table_args__ = (UniqueConstraint("user_id", "address"),)

    EVERY_ADDRESS = "*"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    locked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="login_locks")


class RecoveryCode(db.Model):
    """A one-time 2FA recovery code, stored as an argon2 hash."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(Text)
    used_at: Mapped[datetime | None]


__all__ = ["ApiToken", "LoginLock", "RecoveryCode", "User", "UserSession"]


@lru_cache(maxsize=256)
def effective_roles(roles_text: str) -> frozenset[str]:
    """The effective roles of a stored `roles_text` (read on every permission check: parsed once per text)."""
    stored = frozenset(r for r in roles_text.split() if r)
    # A row written around the account verbs (or before separation of duties was enforced)
    # may pair `admin` with a role that reads residents: that role then grants nothing.
    return stored - conflicting_with_admin(stored)
