"""Faults survived (issue: hardening): the database restarted under load, Redis gone, a full disk or a
broken keyring at start-up.

The restart test runs its own throwaway PostgreSQL server (initdb in a temporary folder, its own
port), never the machine's shared one: stopping that would break every other test run on it.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from caseapp import create_app
from caseapp.extensions import db
from config import ConfigError
from tests.conftest import PASSWORD, Client, bearer


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.fail(f"no PostgreSQL server binaries ({name}) under /usr/lib/postgresql: install postgresql")
    return found[-1]


def _as_postgres(args: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; the machine's postgres account runs them then.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayPostgres:
    def __init__(self, folder: Path):
        self.data = folder / "data"
        self.port = _free_port()
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        self.pg_ctl = _postgres_bin("pg_ctl")
        subprocess.run(
            _as_postgres(
                [_postgres_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
            ),
            check=True,
            capture_output=True,
            cwd=folder,
        )
        self.options = f"-p {self.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([self.pg_ctl, "-D", str(self.data), "-w", "-l", str(self.data / "log"), *args]),
            check=True,
            capture_output=True,
            cwd=self.data.parent,
        )

    def start(self) -> None:
        self._ctl("-o", self.options, "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")


@pytest.fixture(scope="module")
def restartable(tmp_path_factory):
    from flask_migrate import upgrade

    # Not under pytest's own folder: the postgres account cannot enter root's private temporary folders.
    folder = Path(tempfile.mkdtemp(prefix="caseapp-faults-pg-"))
    server = ThrowawayPostgres(folder)
    tmp = tmp_path_factory.mktemp("faults")
    application = create_app(
        {
            "ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": server.url,
            "KEYS_FILE": str(tmp / "keyring.json"),
            "TEST_ERROR_PAGES": True,
        }
    )
    application.test_client_class = Client
    with application.app_context():
        upgrade()
    yield application, server
    with application.app_context():
        db.engine.dispose()
    try:
        server.stop()
    except subprocess.CalledProcessError:
        pass
    shutil.rmtree(folder, ignore_errors=True)


def _token_for(app, *roles: str) -> str:
    from caseapp.security.accounts import create_user
    from caseapp.security.tokens import issue_token

    with app.app_context():
        user = create_user(f"{'-'.join(roles)}{time.monotonic_ns()}@test.dk", "Fault Test", list(roles), PASSWORD)
        db.session.flush()
        _token, secret = issue_token(user, "faults", 30)
        db.session.commit()
    return secret


def test_database_restart_during_load_answers_503_then_recovers_with_nothing_half_written(restartable):
    app, server = restartable
    token = _token_for(app, "social_worker")
    client = app.test_client()
    outcomes: dict[str, int] = {}
    stop_load = threading.Event()

    def load():
        n = 0
        while not stop_load.is_set():
            n += 1
            name = f"Belastning{n}"
            response = client.post(
                "/api/v1/people", json={"first_name": name, "last_name": "Test"}, headers=bearer(token)
            )
            outcomes[name] = response.status_code
            if response.status_code == 503:
                assert response.is_json and response.get_json()["error"]["code"] == "unavailable"
                assert response.headers["Retry-After"]

    worker = threading.Thread(target=load)
    worker.start()
    try:
        time.sleep(1.0)
        server.stop()
        # During the outage: a clear 503, as JSON for the API and as a page for people, never a 500.
        down_api = client.get("/api/v1/people", headers=bearer(token))
        assert down_api.status_code == 503 and down_api.get_json()["error"]["code"] == "unavailable"
        down_page = app.test_client().get("/login")
        assert down_page.status_code in (200, 503)  # the login form itself needs no database
        time.sleep(0.5)
        server.start()
        time.sleep(1.0)
    finally:
        stop_load.set()
        worker.join(timeout=60)

    statuses = set(outcomes.values())
    assert statuses <= {201, 503}, f"answers other than created or unavailable: {statuses}"
    assert 503 in statuses and 201 in statuses, "the load must have run on both sides of the outage"
    # After the restart every request succeeds again (the pool replaced its dead connections).
    after = client.post("/api/v1/people", json={"first_name": "Efter", "last_name": "Genstart"}, headers=bearer(token))
    assert after.status_code == 201

    with app.app_context():
        from sqlalchemy import select

        from caseapp.audit.chain import verify_chain
        from caseapp.register.models import Person

        stored = {p.first_name for p in db.session.scalars(select(Person))}
        created = {name for name, status in outcomes.items() if status == 201}
        refused = {name for name, status in outcomes.items() if status == 503}
        assert created <= stored, "a request answered 201 but its person is missing"
        assert not (refused & stored), "a request answered 503 but wrote its person"
        checked, broken = verify_chain()
        assert broken is None and checked > len(created)


def test_database_gone_shows_a_page_not_a_500(restartable):
    app, server = restartable
    token = _token_for(app, "social_worker")
    server.stop()
    try:
        response = app.test_client().get("/people/", follow_redirects=False)
        # Logged out: the login redirect needs no database; the API asks it for the token and cannot.
        assert response.status_code in (302, 503)
        api = app.test_client().get("/api/v1/people", headers=bearer(token))
        assert api.status_code == 503
        page = app.test_client().post("/login", data={"email": "a@b.dk", "password": "x" * 12})
        assert page.status_code in (400, 503)  # no CSRF token, or the database; never a 500
    finally:
        server.start()


def test_redis_down_falls_back_to_a_local_login_limit_and_says_so(tmp_path, caplog):
    dead = f"redis://127.0.0.1:{_free_port()}/0"
    app = create_app(
        {
            "ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.db'}",
            "KEYS_FILE": str(tmp_path / "keyring.json"),
            "RATELIMIT_STORAGE_URI": dead,
            "LOGIN_RATE_LIMIT": "3 per minute",
            "WTF_CSRF_ENABLED": False,
        }
    )
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    client = app.test_client()
    limiter_log = logging.getLogger("flask-limiter")  # its own handler, not propagated to the root
    limiter_log.addHandler(caplog.handler)
    try:
        statuses = [
            client.post("/login", data={"email": "x@test.dk", "password": "wrong-password!"}).status_code
            for _ in range(5)
        ]
    finally:
        limiter_log.removeHandler(caplog.handler)
    assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429], statuses
    assert any("falling back to in-memory storage" in r.getMessage() for r in caplog.records)


def test_a_full_disk_stops_the_start_with_a_message_naming_it(tmp_path):
    with pytest.raises(ConfigError, match=r"the disk is full: \d+ MB free at .*CASEAPP_MIN_FREE_DISK_MB"):
        create_app(
            {
                "ENV": "testing",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'full.db'}",
                "KEYS_FILE": str(tmp_path / "keyring.json"),
                "MIN_FREE_DISK_MB": 10**12,
            }
        )


@pytest.mark.parametrize("damage", ["unreadable", "not json", "no keys"])
def test_a_broken_keyring_stops_the_start_with_a_message_naming_it(tmp_path, damage):
    keys = tmp_path / "keyring.json"
    if damage == "unreadable":
        keys.mkdir()  # a folder where the file should be (root reads any file, whatever its mode)
    elif damage == "not json":
        keys.write_text("{not json")
    else:
        keys.write_text(json.dumps({"keks": [], "index_key": "", "audit_key": ""}))
    settings = {"ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'k.db'}", "KEYS_FILE": str(keys)}
    if damage == "unreadable":
        with pytest.raises(ConfigError, match="CASEAPP_KEYS_FILE"):
            create_app({**settings, "GENERATE_KEYRING": False})
    else:
        with pytest.raises(ConfigError, match=r"CASEAPP_KEYS_FILE \(.*keyring.json\): keyring"):
            create_app(settings)


def test_a_race_lost_to_a_unique_constraint_answers_409_not_500(tmp_path):
    """Two requests creating the same unique record at once: the second hits the constraint, in the view
    (at a flush) or at the request's commit; either way a 409 and nothing half-written."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from caseapp.models.users import User
    from caseapp.security.accounts import create_user

    app = create_app(
        {
            "ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'u.db'}",
            "KEYS_FILE": str(tmp_path / "keyring.json"),
            "TEST_ERROR_PAGES": True,
        }
    )

    def twin(flush: bool):
        first = create_user("same@test.dk", "Første", ["analyst"], PASSWORD)
        db.session.flush()
        db.session.add(User(email=first.email, name="Anden", roles=first.roles, password_hash=first.password_hash))
        if flush:
            db.session.flush()
        return {"ok": True}

    app.add_url_rule("/api/v1/_twin_flush", "twin_flush", lambda: twin(True))
    app.add_url_rule("/api/v1/_twin_commit", "twin_commit", lambda: twin(False))
    with app.app_context():
        upgrade()
    client = app.test_client()
    for url in ("/api/v1/_twin_flush", "/api/v1/_twin_commit"):
        answer = client.get(url)
        assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "conflict", url
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
