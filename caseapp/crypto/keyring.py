"""The keyring file: key-encryption keys (KEKs), the blind-index key and the audit key.

The file lives outside the database so that whoever can read or write the
database cannot unwrap data keys, compute blind indexes or forge the audit chain.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class KeyringError(RuntimeError):
    """The keyring file is missing, unreadable or malformed."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError) as exc:
        raise KeyringError(f"keyring: {what} is not valid base64") from exc
    if len(raw) != 32:
        raise KeyringError(f"keyring: {what} must be 32 bytes")
    return raw


@dataclass
class Keyring:
    """KEKs by id (the first is active; older ones only unwrap), plus the index and audit keys."""

    keks: list[tuple[str, bytes]]
    index_key: bytes
    audit_key: bytes
    path: Path | None = None
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, repr=False)
    _stamp: tuple | None = field(default=None, repr=False)  # the file as last read or written

    @classmethod
    def generate(cls, path: Path | None = None) -> Keyring:
        ring = cls(
            keks=[(_new_kek_id(), secrets.token_bytes(32))],
            index_key=secrets.token_bytes(32),
            audit_key=secrets.token_bytes(32),
            path=path,
        )
        if path is not None:
            ring.save()
        return ring

    @classmethod
    def load(cls, path: str | Path) -> Keyring:
        path = Path(path)
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            raise KeyringError(f"keyring file not found: {path}") from None
        except (OSError, ValueError) as exc:
            raise KeyringError(f"keyring file {path} cannot be read as JSON: {exc}") from None
        try:
            keks = [(k["id"], _unb64(k["key"], f"kek {k['id']}")) for k in data["keks"]]
            ring = cls(
                keks=keks,
                index_key=_unb64(data["index_key"], "index_key"),
                audit_key=_unb64(data["audit_key"], "audit_key"),
                path=path,
            )
        except (KeyError, TypeError) as exc:
            raise KeyringError(f"keyring file {path} lacks {exc}") from None
        if not keks:
            raise KeyringError(f"keyring file {path} holds no key-encryption key")
        ring._stamp = _file_stamp(path)
        return ring

    def refresh(self) -> None:
        """Re-read the file if another process changed it (a rotation, or an erasure retiring a key).

        Without this, a long-running worker would keep wrapping new data keys under a retired key,
        or fail to unwrap keys another process re-wrapped. Costs one stat() per call.
        """
        if self.path is None or _file_stamp(self.path) == self._stamp:
            return
        fresh = Keyring.load(self.path)
        self.keks, self.index_key, self.audit_key = fresh.keks, fresh.index_key, fresh.audit_key
        self._ciphers.clear()
        self._stamp = fresh._stamp

    def save(self) -> None:
        """Write atomically with mode 0600: the file is as sensitive as the data it protects."""
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "keks": [{"id": kid, "key": _b64(key)} for kid, key in self.keks],
            "index_key": _b64(self.index_key),
            "audit_key": _b64(self.audit_key),
        }
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(payload, fh, indent=2)
        os.replace(tmp, self.path)
        os.chmod(self.path, 0o600)
        self._stamp = _file_stamp(self.path)

    @property
    def active_kek_id(self) -> str:
        return self.keks[0][0]

    def kek(self, kek_id: str) -> AESGCM:
        if kek_id not in self._ciphers:
            for kid, key in self.keks:
                if kid == kek_id:
                    self._ciphers[kid] = AESGCM(key)
                    break
            else:
                raise KeyringError(f"keyring has no key-encryption key {kek_id!r}")
        return self._ciphers[kek_id]

    def add_kek(self) -> str:
        """Make a new KEK active; the old ones stay for unwrapping until every DEK is re-wrapped."""
        kek_id = _new_kek_id()
        self.keks.insert(0, (kek_id, secrets.token_bytes(32)))
        return kek_id

    def retire_all_but_active(self) -> list[str]:
        """Forget every KEK except the active one (after no data key is wrapped by them any more).

        Once saved, a database backup whose data keys were wrapped by a retired KEK cannot be
        decrypted with this keyring: that is how an erasure reaches backups (crypto-shredding).
        """
        retired = [kid for kid, _key in self.keks[1:]]
        self.keks = self.keks[:1]
        for kid in retired:
            self._ciphers.pop(kid, None)
        return retired


def _file_stamp(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _new_kek_id() -> str:
    return datetime.now(UTC).strftime("k%Y%m%d%H%M%S") + secrets.token_hex(2)
