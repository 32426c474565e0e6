"""Anchors: the chain's head (sequence number and chain value), signed, kept outside the database.

The hash chain shows that no event was changed or removed *between* others, but whoever can delete
rows can also cut off the newest ones, or the whole table, and the rest still verifies. An anchor
written elsewhere (`caseapp audit anchor`, from cron and after every retention purge) records
how far the chain had got; `caseapp audit verify` then fails when an event at or before the
newest anchor is missing, or differs from what was anchored.

An anchor is one JSON line, appended to AUDIT_ANCHOR_FILE (a file on another volume or host, which
the database's users cannot write) and/or sent to syslog (AUDIT_ANCHOR_SYSLOG), signed with an HMAC
under a key derived from the keyring's audit key, so it cannot be forged without the keyring.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import logging.handlers
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import select

from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.base import utcnow


class AnchorError(RuntimeError):
    """No place to write an anchor is configured, or the anchor file cannot be trusted."""


@dataclass(frozen=True)
class Anchor:
    seq: int
    chain: str
    at: str  # ISO 8601, UTC

    def payload(self) -> bytes:
        return f"caseapp-audit-anchor|{self.seq}|{self.chain}|{self.at}".encode()

    def line(self, key: bytes) -> str:
        signature = hmac.new(key, self.payload(), hashlib.sha256).hexdigest()
        return json.dumps(
            {"seq": self.seq, "chain": self.chain, "at": self.at, "sig": signature},
            sort_keys=True,
            separators=(",", ":"),
        )


def _anchor_key() -> bytes:
    """A key of its own for anchors, derived from the audit key (so the keyring needs no new entry)."""
    audit_key = current_app.extensions["caseapp.keyring"].audit_key
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"caseapp audit anchor").derive(audit_key)


def head() -> Anchor | None:
    """The chain's newest event as an (unsigned) anchor, or None for an empty log."""
    row = db.session.execute(select(AuditEvent.seq, AuditEvent.chain).order_by(AuditEvent.seq.desc()).limit(1)).first()
    if row is None:
        return None
    return Anchor(row.seq, row.chain, utcnow().isoformat(timespec="seconds") + "Z")


def write_anchor() -> tuple[Anchor, list[str]]:
    """Write the current head to every configured place and audit that; returns it and where it went.

    The caller commits the audit event (the anchor itself is already out of the database's reach)."""
    config = current_app.config
    file, syslog_address = config.get("AUDIT_ANCHOR_FILE"), config.get("AUDIT_ANCHOR_SYSLOG")
    if not file and not syslog_address:
        raise AnchorError(
            "no anchor place configured: set CASEAPP_AUDIT_ANCHOR_FILE and/or CASEAPP_AUDIT_ANCHOR_SYSLOG"
        )
    anchor = head()
    if anchor is None:
        raise AnchorError("the audit log is empty: nothing to anchor")
    line = anchor.line(_anchor_key())
    places = []
    if file:
        _append(Path(file), line)
        places.append(str(file))
    if syslog_address:
        _send_to_syslog(syslog_address, line)
        places.append(f"syslog {syslog_address}")
    from caseapp.audit.chain import record

    record("audit.anchor", detail={"seq": anchor.seq, "places": len(places)})
    return anchor, places


def _append(path: Path, line: str) -> None:
    """Append and fsync: an anchor that only reached the page cache is lost with a crash."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _send_to_syslog(address: str, line: str) -> None:
    """`address` is a Unix socket path (/dev/log) or host:port (UDP)."""
    if ":" in address and not address.startswith("/"):
        host, _, port = address.rpartition(":")
        target: str | tuple[str, int] = (host, int(port))
    else:
        target = address
    handler = logging.handlers.SysLogHandler(address=target, facility=logging.handlers.SysLogHandler.LOG_AUTH)
    try:
        handler.emit(
            logging.makeLogRecord(
                {
                    "msg": f"caseapp-audit-anchor {line}",
                    "levelno": logging.INFO,
                    "levelname": "INFO",
                    "name": "caseapp.audit.anchor",
                }
            )
        )
    finally:
        handler.close()


def newest_anchor(path: str | Path) -> Anchor | None:
    """The last anchor in the file, its signature checked; None if the file holds none yet."""
    path = Path(path)
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        raise AnchorError(f"anchor file {path} does not exist: was it moved, or never written?") from None
    except OSError as exc:
        raise AnchorError(f"anchor file {path} cannot be read: {exc.strerror}") from None
    key = _anchor_key()
    for number in range(len(lines), 0, -1):
        text = lines[number - 1].strip()
        if not text:
            continue
        try:
            data = json.loads(text)
            anchor = Anchor(int(data["seq"]), str(data["chain"]), str(data["at"]))
            signature = str(data["sig"])
        except (ValueError, KeyError, TypeError):
            raise AnchorError(f"anchor file {path} line {number} is not an anchor") from None
        if not hmac.compare_digest(hmac.new(key, anchor.payload(), hashlib.sha256).hexdigest(), signature):
            raise AnchorError(f"anchor file {path} line {number} has a wrong signature (forged, or another keyring)")
        return anchor
    return None


def check_against(anchor: Anchor):
    """A ChainBreak if the anchored event is missing or differs; None if the log still reaches it.

    Run after the chain itself verified, so the events up to the anchored one are known intact.
    """
    from caseapp.audit.chain import PURGE_ACTION, ChainBreak

    row = db.session.execute(select(AuditEvent.chain).where(AuditEvent.seq == anchor.seq)).first()
    if row is not None:
        if hmac.compare_digest(row.chain, anchor.chain):
            return None
        return ChainBreak(anchor.seq, f"event {anchor.seq} differs from the one anchored at {anchor.at}")
    newest = db.session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    if newest is not None and newest > anchor.seq:
        # Below the first event left: only a (chained, so unforgeable) retention purge may have removed it.
        for detail in db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == PURGE_ACTION)):
            if json.loads(detail).get("through_seq", 0) >= anchor.seq:
                return None
    ends = f"the log ends at event {newest}" if newest is not None else "the log is empty"
    return ChainBreak(
        anchor.seq,
        f"event {anchor.seq}, anchored at {anchor.at}, is missing ({ends}): "
        "events were removed from the end of the log",
    )
