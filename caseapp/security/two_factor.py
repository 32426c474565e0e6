"""TOTP two-factor authentication (RFC 6238, via pyotp) and one-time recovery codes."""

from __future__ import annotations

import secrets

import pyotp
import segno
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import select

from caseapp.crypto.envelope import DataKey
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.models.users import RecoveryCode, User
from caseapp.security.passwords import hash_password, verify_password

ISSUER = "caseapp"
RECOVERY_CODES = 10


def requires_two_factor(user: User) -> bool:
    return bool(user.roles & current_app.config["TWO_FACTOR_ROLES"])


def _sealer() -> DataKey:
    """A key for staff TOTP secrets, derived from the keyring (staff are not data subjects)."""
    ring = current_app.extensions["caseapp.keyring"]
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"caseapp staff totp").derive(ring.audit_key)
    return DataKey(b"totp-key", key)


def new_secret() -> str:
    return pyotp.random_base32()


def seal_secret(user: User, secret: str) -> bytes:
    return _sealer().encrypt(secret, f"user|totp|{user.id}")


def open_secret(user: User) -> str | None:
    if user.totp_secret_sealed is None:
        return None
    return _sealer().decrypt(user.totp_secret_sealed, f"user|totp|{user.id}")


def provisioning_qr_svg(user: User, secret: str) -> str:
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=5)


def verify_code(secret: str | None, code: str) -> bool:
    code = (code or "").replace(" ", "")
    return bool(secret) and code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


def enable(user: User, secret: str) -> list[str]:
    """Turn 2FA on with this secret; returns fresh recovery codes (shown once)."""
    user.totp_secret_sealed = seal_secret(user, secret)
    user.totp_enabled_at = utcnow()
    return new_recovery_codes(user)


def reset(user: User) -> None:
    user.totp_secret_sealed = None
    user.totp_enabled_at = None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def new_recovery_codes(user: User) -> list[str]:
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_password(c)) for c in codes)
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    code = (code or "").strip().lower()
    for row in db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ):
        if verify_password(row.code_hash, code):
            row.used_at = utcnow()
            return True
    return False
