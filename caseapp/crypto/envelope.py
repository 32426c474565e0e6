"""Envelope encryption: a data key (DEK) per data subject, wrapped by a KEK; AES-256-GCM per field.

Stored formats (bytes):
  wrapped DEK:  b"\\x01" | len(kek_id) | kek_id | nonce(12) | AESGCM(kek, dek, aad="dek|<subject>")
  field value:  b"\\x01" | dek_id(8) | nonce(12) | AESGCM(dek, plaintext, aad="<table>|<column>|<row>")
The associated data binds a value to its place: copied to another row, column or subject it fails.
"""

from __future__ import annotations

import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from caseapp.crypto.keyring import Keyring

FORMAT_VERSION = 1
NONCE_SIZE = 12
DEK_ID_SIZE = 8


class DecryptionError(ValueError):
    """A stored value does not decrypt under the expected key and place; no data is returned."""


class DataKey:
    """An unwrapped DEK with its id; the AESGCM object is built once and reused for every field."""

    __slots__ = ("dek_id", "_cipher")

    def __init__(self, dek_id: bytes, key: bytes):
        self.dek_id = dek_id
        self._cipher = AESGCM(key)

    @classmethod
    def new(cls) -> tuple[DataKey, bytes]:
        raw = secrets.token_bytes(DEK_ID_SIZE) + AESGCM.generate_key(bit_length=256)
        return cls(raw[:DEK_ID_SIZE], raw[DEK_ID_SIZE:]), raw

    def encrypt(self, plaintext: str, aad: str) -> bytes:
        nonce = secrets.token_bytes(NONCE_SIZE)
        body = self._cipher.encrypt(nonce, plaintext.encode("utf-8"), aad.encode("utf-8"))
        return bytes([FORMAT_VERSION]) + self.dek_id + nonce + body

    def decrypt(self, stored: bytes, aad: str) -> str:
        stored = bytes(stored)
        if len(stored) < 1 + DEK_ID_SIZE + NONCE_SIZE + 16 or stored[0] != FORMAT_VERSION:
            raise DecryptionError("encrypted value has an unknown format")
        dek_id = stored[1 : 1 + DEK_ID_SIZE]
        if dek_id != self.dek_id:
            raise DecryptionError("encrypted value belongs to another data key")
        nonce = stored[1 + DEK_ID_SIZE : 1 + DEK_ID_SIZE + NONCE_SIZE]
        try:
            plain = self._cipher.decrypt(nonce, stored[1 + DEK_ID_SIZE + NONCE_SIZE :], aad.encode("utf-8"))
        except InvalidTag:
            raise DecryptionError(f"encrypted value fails authentication at {aad.rsplit('|', 1)[0]}") from None
        return plain.decode("utf-8")


def wrap_dek(keyring: Keyring, raw_dek: bytes, subject: str) -> tuple[str, bytes]:
    """Wrap raw DEK material under the active KEK; returns (kek_id, wrapped)."""
    kek_id = keyring.active_kek_id
    nonce = secrets.token_bytes(NONCE_SIZE)
    body = keyring.kek(kek_id).encrypt(nonce, raw_dek, f"dek|{subject}".encode())
    kid = kek_id.encode()
    return kek_id, bytes([FORMAT_VERSION, len(kid)]) + kid + nonce + body


def _unwrap_raw(keyring: Keyring, wrapped: bytes, subject: str) -> bytes:
    wrapped = bytes(wrapped)
    if len(wrapped) < 2 or wrapped[0] != FORMAT_VERSION:
        raise DecryptionError("wrapped data key has an unknown format")
    kid_len = wrapped[1]
    kek_id = wrapped[2 : 2 + kid_len].decode()
    nonce = wrapped[2 + kid_len : 2 + kid_len + NONCE_SIZE]
    try:
        return keyring.kek(kek_id).decrypt(nonce, wrapped[2 + kid_len + NONCE_SIZE :], f"dek|{subject}".encode())
    except InvalidTag:
        raise DecryptionError("data key does not unwrap: wrong key-encryption key or another subject's key") from None


def unwrap_dek(keyring: Keyring, wrapped: bytes, subject: str) -> DataKey:
    raw = _unwrap_raw(keyring, wrapped, subject)
    return DataKey(raw[:DEK_ID_SIZE], raw[DEK_ID_SIZE:])


def rewrap_dek(keyring: Keyring, wrapped: bytes, subject: str) -> tuple[str, bytes]:
    """Re-wrap under the active KEK without changing the DEK, so field data stays as it is."""
    return wrap_dek(keyring, _unwrap_raw(keyring, wrapped, subject), subject)
