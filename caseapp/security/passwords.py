"""argon2id password hashing and the password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_hashers: dict[tuple, tuple[PasswordHasher, str]] = {}


def _hasher() -> tuple[PasswordHasher, str]:
    """argon2id with the library's recommended parameters (tests lower the cost through config),
    and a dummy hash verified when the e-mail is unknown, so timing does not reveal accounts."""
    params = tuple(sorted(current_app.config.get("ARGON2_PARAMS", {}).items()))
    if params not in _hashers:
        hasher = PasswordHasher(**dict(params))
        _hashers[params] = (hasher, hasher.hash("caseapp-no-such-user"))
    return _hashers[params]


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher, dummy = _hasher()
    try:
        return hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """A reason the password is refused, or None."""
    from flask_babel import gettext as _

    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("The password must be at least %(n)d characters long.", n=minimum)
    if password.strip() == "" or len(set(password)) < 4:
        return _("The password is too simple.")
    return None
