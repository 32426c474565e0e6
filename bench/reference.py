"""The reference: a hand-written audited person read, the work `GET /api/v1/people/<id>` cannot skip.

Its own tiny Flask app and database (SQLite or PostgreSQL), served by the same gunicorn command line
as caseapp. One request: the bearer token looked up by its hash (with its owner), the assignment
checked by index, the person row read with its wrapped data key, the key unwrapped, the person's nine
encrypted fields opened with AES-256-GCM (bound to table, column and row, as caseapp binds them), one
chained audit event inserted under the chain's lock (HMAC-SHA256 over the previous link and the
canonical event), one commit. No cache of anything decrypted, no audit skipped: the work any honest
implementation of the same read must do, without a framework's conveniences.

Settings come from REFERENCE_DATABASE (a sqlite:///path or postgresql:// URL) and REFERENCE_KEYS (a
JSON file with the KEK and the audit key, base64); `seed()` builds both.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import random
import secrets
import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, abort, jsonify, request

FIELDS = ("first_name", "last_name", "cpr", "birth_date", "phone", "email", "address", "preferred_language", "notes")
CHAINED = (
    "seq",
    "at",
    "actor_id",
    "actor_roles",
    "action",
    "object_type",
    "object_id",
    "subject_id",
    "purpose",
    "detail",
    "ip",
    "request_id",
)
CHAIN_LOCK = 0x7265_6665_7265_6E63
SCHEMA = """
CREATE TABLE staff (id INTEGER PRIMARY KEY, roles VARCHAR(200) NOT NULL, active BOOLEAN NOT NULL);
CREATE TABLE api_token (token_hash VARCHAR(64) PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES staff(id),
    expires_at TIMESTAMP NOT NULL, revoked_at TIMESTAMP);
CREATE TABLE person (id VARCHAR(36) PRIMARY KEY, version INTEGER NOT NULL, area VARCHAR(80), birth_year INTEGER,
    {fields});
CREATE TABLE subject_key (subject_id VARCHAR(36) PRIMARY KEY, wrapped {blob} NOT NULL);
CREATE TABLE assignment (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, person_id VARCHAR(36) NOT NULL,
    programme VARCHAR(20) NOT NULL, starts_on DATE NOT NULL, ends_on DATE);
CREATE INDEX ix_assignment_person_user ON assignment (person_id, user_id, programme);
CREATE TABLE audit_event (seq BIGINT PRIMARY KEY, at TIMESTAMP NOT NULL, actor_id INTEGER, actor_roles VARCHAR(200),
    action VARCHAR(60) NOT NULL, object_type VARCHAR(60), object_id VARCHAR(64), subject_id VARCHAR(36),
    purpose VARCHAR(200), detail TEXT NOT NULL, ip VARCHAR(64), request_id VARCHAR(36), chain VARCHAR(64) NOT NULL);
"""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --- the database ---------------------------------------------------------------------------------


class Database:
    """One DB-API connection per worker process, with the two dialects' placeholders and chain lock."""

    def __init__(self, url: str):
        self.postgres = url.startswith("postgresql")
        if self.postgres:
            import psycopg

            self.conn = psycopg.connect(url)
        else:
            self.conn = sqlite3.connect(
                url.removeprefix("sqlite:///"), isolation_level=None, detect_types=0, check_same_thread=False
            )
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000", "foreign_keys=ON"):
                self.conn.execute(f"PRAGMA {pragma}")

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    def one(self, statement: str, *params):
        return self.conn.execute(self.sql(statement), params).fetchone()

    def append_audit(self, values: dict, key: bytes) -> None:
        """Take the chain's lock, read its end, insert the next link, commit: one transaction."""
        if self.postgres:
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (CHAIN_LOCK,))
        else:
            self.conn.execute("BEGIN IMMEDIATE")
        last = self.one("SELECT seq, chain FROM audit_event ORDER BY seq DESC LIMIT 1")
        seq, previous = (last[0], last[1]) if last else (0, "0" * 64)
        values = {**values, "seq": seq + 1}
        canonical = json.dumps(
            {k: values[k] for k in CHAINED}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
        chain = hmac.new(key, previous.encode() + canonical, hashlib.sha256).hexdigest()
        columns = (*CHAINED, "chain")
        self.conn.execute(
            self.sql(f"INSERT INTO audit_event ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"),
            (*(values[k] for k in CHAINED), chain),
        )
        self.conn.execute("COMMIT") if not self.postgres else self.conn.commit()


# --- the app ----------------------------------------------------------------------------------------

app = Flask(__name__)
_state: dict = {}


def _setup() -> tuple[Database, AESGCM, bytes]:
    """Per worker process (after gunicorn forks): the connection, the KEK's cipher, the audit key."""
    if "db" not in _state:
        with open(os.environ["REFERENCE_KEYS"]) as fh:
            keys = json.load(fh)
        _state["db"] = Database(os.environ["REFERENCE_DATABASE"])
        _state["kek"] = AESGCM(base64.b64decode(keys["kek"]))
        _state["audit_key"] = base64.b64decode(keys["audit_key"])
    return _state["db"], _state["kek"], _state["audit_key"]


@app.get("/api/v1/people/<person_id>")
def person(person_id: str):
    db, kek, audit_key = _setup()
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret:
        abort(401)
    now = _now()
    owner = db.one(
        "SELECT t.user_id, t.expires_at, t.revoked_at, s.roles, s.active FROM api_token t "
        "JOIN staff s ON s.id = t.user_id WHERE t.token_hash = ?",
        hashlib.sha256(secret.strip().encode()).hexdigest(),
    )
    if owner is None or owner[2] is not None or not owner[4] or _as_datetime(owner[1]) <= now:
        abort(401)
    user_id, roles = owner[0], owner[3]
    today = now.date().isoformat()
    if (
        db.one(
            "SELECT 1 FROM assignment WHERE person_id = ? AND user_id = ? AND programme = 'counselling' "
            "AND starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)",
            person_id,
            user_id,
            today,
            today,
        )
        is None
    ):
        abort(404)
    row = db.one(
        f"SELECT p.version, p.area, p.birth_year, k.wrapped, {', '.join('p.' + f for f in FIELDS)} "
        "FROM person p JOIN subject_key k ON k.subject_id = p.id WHERE p.id = ?",
        person_id,
    )
    if row is None:
        abort(404)
    dek = AESGCM(_unwrap(kek, bytes(row[3]), person_id))
    data = {"id": person_id, "version": row[0], "area": row[1], "birth_year": row[2]}
    for name, stored in zip(FIELDS, row[4:], strict=True):
        data[name] = None if stored is None else _open(dek, bytes(stored), f"person|{name}|{person_id}")
    db.append_audit(
        {
            "at": now.isoformat(timespec="microseconds"),
            "actor_id": user_id,
            "actor_roles": roles,
            "action": "person.view",
            "object_type": "person",
            "object_id": person_id,
            "subject_id": person_id,
            "purpose": None,
            "detail": "{}",
            "ip": request.remote_addr,
            "request_id": str(uuid.uuid4()),
        },
        audit_key,
    )
    return jsonify(data)


@app.teardown_request
def _end_transaction(_exc):
    """A refused request (401, 404) leaves no transaction open on its connection."""
    database = _state.get("db")
    if database is not None and database.postgres:
        database.conn.rollback()


def _as_datetime(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _unwrap(kek: AESGCM, wrapped: bytes, subject: str) -> bytes:
    return kek.decrypt(wrapped[:12], wrapped[12:], f"dek|{subject}".encode())


def _open(dek: AESGCM, stored: bytes, aad: str) -> str:
    return dek.decrypt(stored[:12], stored[12:], aad.encode()).decode()


# --- seeding ------------------------------------------------------------------------------------------


def seed(url: str, keys_path: str, people: int, social_workers: int, seed_: int = 1) -> tuple[str, list[str]]:
    """A fresh reference database with `people` residents spread over `social_workers` (user 1 is the
    measured one); returns a bearer token of user 1 and up to 1,000 ids of their caseload."""
    kek, audit_key = secrets.token_bytes(32), secrets.token_bytes(32)
    with open(keys_path, "w") as fh:
        json.dump({"kek": base64.b64encode(kek).decode(), "audit_key": base64.b64encode(audit_key).decode()}, fh)
    db = Database(url)
    blob = "BYTEA" if db.postgres else "BLOB"
    for statement in SCHEMA.format(fields=", ".join(f"{f} {blob}" for f in FIELDS), blob=blob).split(";"):
        if statement.strip():
            db.conn.execute(statement)
    rng = random.Random(seed_)
    wrap, token = AESGCM(kek), "ref_" + secrets.token_urlsafe(32)
    staff = [(n, "social_worker", True) for n in range(1, social_workers + 1)]
    persons, keys, assignments, mine = [], [], [], []
    for n in range(people):
        person_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        raw = secrets.token_bytes(32)
        nonce = secrets.token_bytes(12)
        keys.append((person_id, nonce + wrap.encrypt(nonce, raw, f"dek|{person_id}".encode())))
        dek = AESGCM(raw)
        values = [
            f"Navn{n}",
            f"Efternavn{n}",
            f"{rng.randint(10000, 311299):06d}-{rng.randint(0, 9999):04d}",
            date(1990, 1, 1).isoformat(),
            f"+45 {rng.randint(20000000, 99999999)}",
            f"p{n}@example.dk",
            f"Bøgeparken {n % 120}, 2. tv",
            "dansk",
            "Foretrækker at blive ringet op om eftermiddagen.",
        ]
        sealed = []
        for name, value in zip(FIELDS, values, strict=True):
            nonce = secrets.token_bytes(12)
            sealed.append(nonce + dek.encrypt(nonce, value.encode(), f"person|{name}|{person_id}".encode()))
        persons.append((person_id, 1, "Bøgeparken", 1990, *sealed))
        worker = n % social_workers + 1
        assignments.append((n + 1, worker, person_id, "counselling", "2025-09-01", None))
        if worker == 1 and len(mine) < 1000:
            mine.append(person_id)
    db.conn.execute("BEGIN") if not db.postgres else None
    cursor = db.conn.cursor()
    cursor.executemany(db.sql("INSERT INTO staff VALUES (?, ?, ?)"), staff)
    cursor.executemany(
        db.sql("INSERT INTO api_token VALUES (?, ?, ?, ?)"),
        [(hashlib.sha256(token.encode()).hexdigest(), 1, (_now() + timedelta(days=1)).isoformat(sep=" "), None)],
    )
    cursor.executemany(db.sql(f"INSERT INTO person VALUES ({', '.join('?' for _ in range(4 + len(FIELDS)))})"), persons)
    cursor.executemany(db.sql("INSERT INTO subject_key VALUES (?, ?)"), keys)
    cursor.executemany(db.sql("INSERT INTO assignment VALUES (?, ?, ?, ?, ?, ?)"), assignments)
    db.conn.execute("COMMIT") if not db.postgres else db.conn.commit()
    if db.postgres:
        db.conn.execute("ANALYZE")
        db.conn.commit()
    db.conn.close()
    return token, mine


def verify(url: str, keys_path: str) -> tuple[int, int | None]:
    """Recompute the reference's chain: (events checked, first broken seq or None)."""
    with open(keys_path) as fh:
        key = base64.b64decode(json.load(fh)["audit_key"])
    db = Database(url)
    previous, expected, checked = "0" * 64, 1, 0
    for row in db.conn.execute(f"SELECT {', '.join(CHAINED)}, chain FROM audit_event ORDER BY seq"):
        values = {
            k: v.isoformat(timespec="microseconds") if isinstance(v, datetime) else v
            for k, v in zip(CHAINED, row[:-1], strict=True)
        }
        canonical = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        if (
            values["seq"] != expected
            or hmac.new(key, previous.encode() + canonical, hashlib.sha256).hexdigest() != row[-1]
        ):
            return checked, expected
        previous, expected, checked = row[-1], expected + 1, checked + 1
    db.conn.close()
    return checked, None
