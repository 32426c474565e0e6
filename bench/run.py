"""`make bench`: caseapp, the hand-written reference and a bare Flask endpoint under one gunicorn command line.

Prints one table: requests per second, p50 and p99 latency, the ratio to the bare endpoint and to the
reference (bench/reference.py: the audited, decrypting person read written by hand) measured in the
same run, each target's goal and whether it was met, answers other than 200, and on PostgreSQL the
share of the workers' time spent waiting for the audit chain's lock. Then the flatness of each ratio
between two register sizes with the same caseload, the CPR search's server time, the seeding rate,
the workers' memory and the audit chain's verification. Everything listens on 127.0.0.1 only.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway account in a throwaway database
DOMAIN = "bench.caseapp.dk"
SAMPLE = 1000  # person ids (and CPR numbers) the people targets rotate through
# The caseapp targets and their goals, as ratios to the reference (the issue's targets). The domains'
# main pages must cost at most twice the person page: a goal of half the person page's ratio.
GOALS = {"person API": 0.8, "person page": 0.6, "caseload API": 0.5, "landing page": 0.4}
DOMAIN_PAGES = (
    "counselling list",
    "counselling case",
    "concerns list",
    "concern page",
    "data protection",
    "data protection person",
    "courses list",
    "course page",
    "course register",
    "community list",
    "community activity",
    "community volunteers",
    "mentoring list",
    "mentoring relationship",
    "mentoring mentors",
    "mentoring relationships API",
    "mentoring relationship API",
)
P99_GOAL_MS = 40.0  # person API at P99_CONNECTIONS connections
P99_CONNECTIONS = 4
CPR_GOAL_MS = 5.0  # CPR search, median server time with one client
FLAT_GOAL = 0.20  # each ratio at the large register within 20 % of the small one's
SEED_GOAL = 2000  # people per second (people seeder)
RSS_GOAL_MB = 150


# --- tools ------------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("installing wrk (Debian package) ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.call(["apt-get", "update", "-qq"], stdout=subprocess.DEVNULL, env=env)
        subprocess.call(["apt-get", "install", "-y", "-qq", "wrk"], stdout=subprocess.DEVNULL, env=env)
        found = shutil.which("wrk")
    if not found:
        sys.exit("bench: wrk is missing; install it with `apt-get install wrk` (as root)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the caseapp database ---------------------------------------------------------------------------


@dataclass
class Login:
    email: str
    totp_secret: str | None = None


@dataclass
class Prepared:
    """What the load needs from the seeded databases."""

    token: str
    logins: dict[str, Login]
    person_ids: list[str] = field(default_factory=list)
    cprs: list[str] = field(default_factory=list)
    case_ids: list[str] = field(default_factory=list)
    concern_ids: list[str] = field(default_factory=list)
    course_pages: list[str] = field(default_factory=list)  # /courses/<id>
    register_pages: list[str] = field(default_factory=list)  # /courses/<id>/sessions/<sid>/register
    activity_ids: list[str] = field(default_factory=list)
    relationship_ids: list[str] = field(default_factory=list)
    routes: set[str] = field(default_factory=set)
    caseload: int = 0
    seeding: list[str] = field(default_factory=list)
    seed_rate: float | None = None
    ref_token: str = ""
    leader_token: str = ""  # the leader's API token: mentoring's routes (a social worker reads no mentoring)
    ref_ids: list[str] = field(default_factory=list)


def app_settings(db_url: str, keys_file: Path, secret_key: str) -> dict:
    return {
        "ENV": "production",
        "SQLALCHEMY_DATABASE_URI": db_url,
        "KEYS_FILE": str(keys_file),
        "SECRET_KEY": secret_key,
        "ALLOW_SQLITE_IN_PRODUCTION": True,
    }


def server_env(db_url: str, keys_file: Path, secret_key: str, workdir: Path) -> dict:
    return {
        **os.environ,
        "CASEAPP_ENV": "production",
        "CASEAPP_DATABASE_URL": db_url,
        "CASEAPP_KEYS_FILE": str(keys_file),
        "CASEAPP_SECRET_KEY": secret_key,
        "CASEAPP_ALLOW_SQLITE": "1",
        "CASEAPP_INSTANCE_DIR": str(workdir),
        "PYTHONFAULTHANDLER": "1",  # a worker that crashes prints its Python stack into the server's log
    }


def staff_plan(social_workers: int) -> dict[str, int]:
    # The demo seeder assigns every resident to a social worker, so people / social workers is the caseload.
    return {"social_worker": social_workers, "mentor": 6, "course_leader": 4, "ssp": 1, "leader": 1}


def prepare(db_url: str, keys_file: Path, secret_key: str, people: int, seed: int, social_workers: int) -> Prepared:
    """Migrate, create the bench staff, seed `people` residents (timed), issue an API token, and pick the
    records the load rotates through (the first social worker's caseload and cases, SSP's concerns)."""
    import logging

    from flask_migrate import upgrade
    from sqlalchemy import text

    from caseapp import create_app
    from caseapp.extensions import db
    from caseapp.security.accounts import find_user
    from caseapp.security.tokens import issue_token

    app = create_app(app_settings(db_url, keys_file, secret_key))
    with app.app_context():
        logging.disable(logging.INFO)  # production and alembic log at INFO: keep the bench output readable
        upgrade()
        if db.engine.dialect.name == "sqlite":
            mode = db.session.execute(text("PRAGMA journal_mode")).scalar()
            assert mode == "wal", f"SQLite journal mode is {mode}, not WAL"
        logins = create_staff(staff_plan(social_workers))
        seeding, rate = seed_all(people, seed)
        if db.engine.dialect.name == "postgresql":
            db.session.commit()
            db.session.connection().execute(text("ANALYZE"))
            db.session.commit()
        user = find_user(logins["social_worker"].email)
        _row, token = issue_token(user, "bench", 1)
        _row, leader_token = issue_token(find_user(logins["leader"].email), "bench", 1)
        db.session.commit()
        result = Prepared(
            token=token,
            leader_token=leader_token,
            logins=logins,
            seeding=seeding,
            seed_rate=rate,
            routes={rule.rule for rule in app.url_map.iter_rules()},
        )
        pick_records(result, user, find_user(logins["ssp"].email))
        db.session.remove()
        db.engine.dispose()
    return result


def create_staff(plan: dict[str, int]) -> dict[str, Login]:
    """The bench staff: one argon2 hash for all (hashing hundreds at production cost takes minutes);
    SSP and the leader with two-factor authentication, as their roles require."""
    from caseapp.extensions import db
    from caseapp.models.users import User
    from caseapp.security import two_factor
    from caseapp.security.accounts import create_user

    first = create_user(f"social_worker1@{DOMAIN}", "Bench social_worker 1", ["social_worker"], PASSWORD)
    logins = {"social_worker": Login(first.email)}
    for role, count in plan.items():
        for n in range(1, count + 1):
            if role == "social_worker" and n == 1:
                continue
            user = User(email=f"{role}{n}@{DOMAIN}", name=f"Bench {role} {n}", password_hash=first.password_hash)
            user.roles = [role]
            db.session.add(user)
            if n == 1 and role in ("ssp", "leader"):
                db.session.flush()
                secret = two_factor.new_secret()
                two_factor.enable(user, secret)
                logins[role] = Login(user.email, secret)
    db.session.commit()
    return logins


def seed_all(people: int, seed: int) -> tuple[list[str], float | None]:
    """What `caseapp demo seed --people N --seed S` does without demo accounts, one seeder at a time so
    the people seeder's rate is its own."""
    from caseapp.demo import accounts
    from caseapp.demo.bulk import seeding
    from caseapp.domain import domains

    staff = accounts.existing_staff()
    lines, rate, started = [], None, time.perf_counter()
    seeders = [(part.name, part.seeder) for part in domains() if part.seeder is not None]
    with seeding():
        for name, seeder in seeders:
            began = time.perf_counter()
            seeder(staff=staff, count=people, seed=seed)
            took = time.perf_counter() - began
            if name == "people":
                rate = people / took
                lines.append(f"seeded {people:,} people in {took:.1f} s: {rate:,.0f} people/s (people seeder)")
            else:
                lines.append(f"seeder {name}: {took:.1f} s")
    took = time.perf_counter() - started
    lines.append(f"all {len(seeders)} seeders (caseapp demo seed): {took:.1f} s")
    return lines, rate


def pick_records(prepared: Prepared, worker, ssp) -> None:
    from sqlalchemy import func, select

    from caseapp.domains.concerns import services as concerns
    from caseapp.domains.counselling import access as counselling
    from caseapp.extensions import db
    from caseapp.register import services

    query = services.caseload_query(worker)
    prepared.caseload = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.limit(SAMPLE)).all()
    prepared.person_ids = [str(p.id) for p in rows]
    prepared.cprs = [p.cpr for p in rows if getattr(p, "cpr", None)]
    prepared.case_ids = [str(c.id) for c in db.session.scalars(counselling.cases_visible_to(worker).limit(SAMPLE))]
    prepared.concern_ids = [str(c.id) for c in db.session.scalars(concerns.list_query(ssp).limit(SAMPLE))]
    from caseapp.domains.courses.models import CourseSession

    sessions = db.session.execute(select(CourseSession.course_id, CourseSession.id).limit(SAMPLE)).all()
    prepared.course_pages = sorted({f"/courses/{c}" for c, _s in sessions})
    prepared.register_pages = [f"/courses/{c}/sessions/{s}/register" for c, s in sessions]
    from caseapp.domains.community import access as community

    prepared.activity_ids = [
        str(a.id) for a in db.session.scalars(community.activities_visible_to(worker).limit(SAMPLE))
    ]
    from caseapp.domains.mentoring.models import Relationship

    prepared.relationship_ids = [str(i) for i in db.session.scalars(select(Relationship.id).limit(SAMPLE))]


def verify_audit(db_url: str, keys_file: Path, secret_key: str) -> str:
    """The chain must still verify after concurrent writers."""
    from caseapp import create_app
    from caseapp.audit import verify_chain
    from caseapp.extensions import db

    app = create_app(app_settings(db_url, keys_file, secret_key))
    with app.app_context():
        checked, broken = verify_chain()
        db.session.remove()
        db.engine.dispose()
    if broken is not None:
        return f"caseapp audit chain BROKEN at event {broken.seq}: {broken.reason}"
    return f"caseapp audit chain intact after the load: {checked:,} events verified"


# --- servers ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(app_spec: str, *, workers: int, env: dict, log: Path, chdir: Path):
    """Serve `app_spec` with `workers` sync workers on a free 127.0.0.1 port; yields (base URL, process)."""
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(chdir),
        "--log-level",
        "warning",
        "--timeout",
        "60",
        app_spec,
    ]
    with open(log, "ab") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(port, process, log)
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"bench: gunicorn exited with {process.returncode}; see {log}:\n{log.read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        time.sleep(0.2)
    sys.exit(f"bench: gunicorn did not start within 60 s; see {log}")


def worker_rss_mb(master: subprocess.Popen) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            text_ = status.read_text()
            if re.search(rf"^PPid:\s+{master.pid}$", text_, re.M):
                match = re.search(r"^VmRSS:\s+(\d+) kB", text_, re.M)
                if match:
                    sizes.append(int(match.group(1)) / 1024)
    return sorted(sizes)


def fetch(base: str, method: str, path: str, body: str | None = None, headers: dict | None = None):
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def session_cookie(headers: list[tuple[str, str]]) -> str | None:
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("caseapp_session="):
            return value.split(";", 1)[0]
    return None


def _post_form(base: str, path: str, cookie: str, fields: dict) -> tuple[int, str | None]:
    status, headers, page = fetch(base, "GET", path, headers={"Cookie": cookie})
    cookie = session_cookie(headers) or cookie
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert status == 200 and match, f"{path}: HTTP {status}"
    form = urllib.parse.urlencode({"csrf_token": match.group(1), **fields})
    status, headers, _ = fetch(
        base, "POST", path, form, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    )
    return status, session_cookie(headers) or cookie


def log_in(base: str, login: Login) -> str:
    """Log in through the forms like a browser, two-factor step included (the cookie is Secure in
    production, so it is carried by hand over plain HTTP on 127.0.0.1); returns the Cookie header value."""
    import pyotp

    status, headers, _page = fetch(base, "GET", "/login")
    cookie = session_cookie(headers)
    status, cookie = _post_form(base, "/login", cookie, {"email": login.email, "password": PASSWORD})
    assert status == 302, f"login of {login.email} failed: HTTP {status}"
    if login.totp_secret:
        status, cookie = _post_form(base, "/login/2fa", cookie, {"code": pyotp.TOTP(login.totp_secret).now()})
        assert status == 302, f"two-factor step of {login.email} failed: HTTP {status}"
    return cookie


# --- load -------------------------------------------------------------------------------------------


@dataclass
class Target:
    label: str
    requests: list[tuple[str, str, str]]  # method, path, body
    headers: dict
    expect: str  # a text every answer must contain (checked once before the load)
    connections: int | None = None  # None: the run's default
    key: str = ""  # the name its goal is known by
    role: str = "social_worker"  # whose session (or token) it runs as; bench/inproc.py logs in as it


def check(base: str, target: Target) -> None:
    """One request before the load: a wrong cookie or route must stop the run, not be measured."""
    method, path, body = target.requests[0]
    time.sleep(0.3)  # let the workers finish what the previous load left queued
    status, _headers, text_ = fetch(base, method, path, body or None, target.headers)
    if status != 200 or target.expect not in text_:
        sys.exit(
            f"bench: {target.label}: {method} {path} answered HTTP {status} without {target.expect!r}:\n{text_[:500]}"
        )


def run_wrk(wrk: str, base: str, target: Target, *, duration: int, connections: int, workdir: Path) -> dict:
    plan = workdir / "requests.tsv"
    plan.write_text("".join(f"{m}\t{p}\t{b}\n" for m, p, b in target.requests))
    command = [
        wrk,
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "10s",
        "--script",
        str(BENCH / "report.lua"),
    ]
    for name, value in target.headers.items():
        command += ["--header", f"{name}: {value}"]
    command += [base + target.requests[0][1], "--", str(plan)]
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRK_RESULT ")), None)
    if out.returncode != 0 or line is None:
        sys.exit(f"bench: wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    result = json.loads(line.split(" ", 1)[1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


class LockSampler:
    """On PostgreSQL, samples pg_stat_activity and pg_locks every few milliseconds during a load: how many
    backends wait for the audit chain's advisory lock, and how often someone holds it."""

    def __init__(self, url: str | None, workers: int):
        self.url, self.workers = url, workers
        self.samples: list[tuple[int, int]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self):
        if self.url:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self._stop.is_set():
                waiting, held = conn.execute(
                    "SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND wait_event = 'advisory'), "
                    "(SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
                ).fetchone()
                self.samples.append((waiting, held))
                time.sleep(0.005)

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def summary(self) -> dict | None:
        if not self.samples:
            return None
        waiting = statistics.fmean(w for w, _h in self.samples)
        return {
            "lock_wait_share": waiting / self.workers,
            "lock_held_share": sum(1 for _w, h in self.samples if h) / len(self.samples),
        }


def measure(
    wrk: str, base: str, target: Target, args, workdir: Path, *, lock_url: str | None = None, workers: int = 2
) -> dict:
    check(base, target)
    connections = target.connections or 2 * workers
    if args.warmup:
        run_wrk(wrk, base, target, duration=args.warmup, connections=connections, workdir=workdir)
    with LockSampler(lock_url, workers) as sampler:
        result = run_wrk(wrk, base, target, duration=args.duration, connections=connections, workdir=workdir)
    result.update(label=target.label, connections=connections, key=target.key, lock=sampler.summary())
    print(f"  measured {target.label}: {result['rps']:,.0f} req/s", flush=True)
    return result


def app_targets(prepared: Prepared, cookies: dict[str, str]) -> list[Target]:
    html = {"Cookie": cookies["social_worker"], "Accept-Language": "da"}
    ssp = {"Cookie": cookies["ssp"], "Accept-Language": "da"}
    leader = {"Cookie": cookies["leader"], "Accept-Language": "da"}
    api = {"Authorization": f"Bearer {prepared.token}", "Accept": "application/json"}
    body_api = {**api, "Content-Type": "application/json"}
    people = prepared.person_ids
    searches = [("POST", "/api/v1/people/search", json.dumps({"cpr": c})) for c in prepared.cprs]
    targets = [
        Target("landing page / (HTML, session)", [("GET", "/", "")], html, "Godt at se dig", key="landing page"),
        Target(
            "GET /api/v1/people?mine=1 (API, 25 a page)",
            [("GET", "/api/v1/people?mine=1", "")],
            api,
            '"items"',
            key="caseload API",
        ),
        Target(
            "person page /people/<id> (HTML)",
            [("GET", f"/people/{i}", "") for i in people],
            html,
            "<h1",
            key="person page",
        ),
        Target(
            "GET /api/v1/people/<id> (API)",
            [("GET", f"/api/v1/people/{i}", "") for i in people],
            api,
            '"id"',
            key="person API",
        ),
        # The p99 goal is set at 4 connections: with more workers the default (2 per worker) loads more.
        Target(
            "GET /api/v1/people/<id> (API)",
            [("GET", f"/api/v1/people/{i}", "") for i in people],
            api,
            '"id"',
            connections=P99_CONNECTIONS,
            key="person API p99",
        ),
        Target("CPR search POST /api/v1/people/search", searches, body_api, '"items"', key="CPR search"),
        Target("CPR search, one client at a time", searches, body_api, '"items"', connections=1, key="CPR search c=1"),
        Target("counselling list /counselling/", [("GET", "/counselling/", "")], html, "<h1", key="counselling list"),
    ]
    if prepared.case_ids:
        targets.append(
            Target(
                "counselling case /counselling/cases/<id>",
                [("GET", f"/counselling/cases/{i}", "") for i in prepared.case_ids],
                html,
                "<h1",
                key="counselling case",
            )
        )
    targets.append(
        Target(
            "concerns list /concerns/ (SSP)", [("GET", "/concerns/", "")], ssp, "<h1", key="concerns list", role="ssp"
        )
    )
    if prepared.concern_ids:
        targets.append(
            Target(
                "concern page /concerns/<id> (SSP)",
                [("GET", f"/concerns/{i}", "") for i in prepared.concern_ids],
                ssp,
                "<h1",
                key="concern page",
                role="ssp",
            )
        )
    targets.append(
        Target(
            "courses list /courses/ (leader)",
            [("GET", "/courses/", "")],
            leader,
            "<h1",
            key="courses list",
            role="leader",
        )
    )
    if prepared.course_pages:
        targets.append(
            Target(
                "course page /courses/<id> (leader)",
                [("GET", u, "") for u in prepared.course_pages],
                leader,
                "<h1",
                key="course page",
                role="leader",
            )
        )
        targets.append(
            Target(
                "course register (leader)",
                [("GET", u, "") for u in prepared.register_pages],
                leader,
                "<h1",
                key="course register",
                role="leader",
            )
        )
    targets.append(
        Target(
            "mentoring list /mentoring/ (leader)",
            [("GET", "/mentoring/", "")],
            leader,
            "<h1",
            key="mentoring list",
            role="leader",
        )
    )
    if prepared.relationship_ids:
        targets.append(
            Target(
                "mentoring relationship /mentoring/relationships/<id> (leader)",
                [("GET", f"/mentoring/relationships/{i}", "") for i in prepared.relationship_ids],
                leader,
                "<h1",
                key="mentoring relationship",
                role="leader",
            )
        )
    targets.append(
        Target(
            "mentoring mentors /mentoring/mentors (leader)",
            [("GET", "/mentoring/mentors", "")],
            leader,
            "<h1",
            key="mentoring mentors",
            role="leader",
        )
    )
    if prepared.leader_token:
        leader_api = {"Authorization": f"Bearer {prepared.leader_token}", "Accept": "application/json"}
        targets.append(
            Target(
                "GET /api/v1/mentoring/relationships (leader)",
                [("GET", "/api/v1/mentoring/relationships", "")],
                leader_api,
                '"items"',
                key="mentoring relationships API",
                role="leader",
            )
        )
        if prepared.relationship_ids:
            targets.append(
                Target(
                    "GET /api/v1/mentoring/relationships/<id> (leader)",
                    [("GET", f"/api/v1/mentoring/relationships/{i}", "") for i in prepared.relationship_ids],
                    leader_api,
                    '"id"',
                    key="mentoring relationship API",
                    role="leader",
                )
            )
    targets.append(
        Target(
            "data protection /data-protection/ (leader)",
            [("GET", "/data-protection/", "")],
            leader,
            "<h1",
            key="data protection",
            role="leader",
        )
    )
    targets.append(
        Target(
            "data protection person page (leader)",
            [("GET", f"/data-protection/people/{i}", "") for i in people[:200]],
            leader,
            "<h1",
            key="data protection person",
            role="leader",
        )
    )
    targets.append(
        Target("community list /community/", [("GET", "/community/", "")], html, "<h1", key="community list")
    )
    if prepared.activity_ids:
        targets.append(
            Target(
                "community activity /community/activities/<id>",
                [("GET", f"/community/activities/{i}", "") for i in prepared.activity_ids],
                html,
                "<h1",
                key="community activity",
            )
        )
    targets.append(
        Target(
            "community volunteers /community/volunteers (leader)",
            [("GET", "/community/volunteers", "")],
            leader,
            "<h1",
            key="community volunteers",
            role="leader",
        )
    )
    return targets


def server_times(log: Path, endpoint: str, since: int) -> list[float]:
    """The request log's own timings (ms) of `endpoint` written after byte `since` of the log."""
    with open(log, "rb") as fh:
        fh.seek(since)
        text_ = fh.read().decode("utf-8", "replace")
    return [float(m.group(1)) for m in re.finditer(rf" {re.escape(endpoint)} 200 ([0-9.]+)ms", text_)]


def failures(row: dict) -> int:
    return row["not_200"] + row["timeouts"] + row["connect_errors"] + row["read_errors"]


def explain_failures(row: dict, log: Path, since: int, label: str, workers: int) -> str:
    """What the answers other than 200 were: wrk's kinds, the statuses in caseapp's request log and the
    server's log of that target, kept outside the run's directory (which is removed at the end)."""
    with open(log, "rb") as fh:
        fh.seek(since)
        text_ = fh.read().decode("utf-8", "replace")
    statuses = collections.Counter(m.group(1) for m in re.finditer(r" [a-z_.]+ (\d{3}) [0-9.]+ms", text_))
    statuses.pop("200", None)
    slug = re.sub(r"\W+", "-", label)
    kept = Path(tempfile.gettempdir()) / f"caseapp-bench-{os.getpid()}-{slug}-{workers}w.log"
    with open(kept, "a", encoding="utf-8") as out:
        out.write(f"--- {row['label']}\n{text_}")
    kinds = ", ".join(
        f"{name} {row[key]}"
        for key, name in (
            ("not_200", "status"),
            ("timeouts", "timeouts"),
            ("read_errors", "read errors"),
            ("connect_errors", "connect errors"),
        )
        if row[key]
    )
    logged = ", ".join(f"{code} x{n}" for code, n in sorted(statuses.items())) or "none logged"
    return f"NOT 200 on {row['label']}: {kinds}; statuses in the request log: {logged}; server log kept in {kept}"


# --- one database -------------------------------------------------------------------------------------


@dataclass
class Run:
    label: str
    workers: int
    rows: list[dict]
    bare: dict
    reference: dict
    notes: list[str]
    people: int = 0
    database: str = ""
    seed_rate: float | None = None


@dataclass
class Register:
    """One seeded register: caseapp's database and the reference's, and what serving them takes."""

    label: str
    people: int
    db_url: str
    ref_url: str
    ref_keys: Path
    keys_file: Path
    secret_key: str
    prepared: Prepared
    env: dict
    ref_env: dict
    log: Path
    lock_url: str | None = None

    @property
    def ref_target(self) -> Target:
        return Target(
            "reference: hand-written audited person read",
            [("GET", f"/api/v1/people/{i}", "") for i in self.prepared.ref_ids],
            {"Authorization": f"Bearer {self.prepared.ref_token}"},
            '"id"',
            key="reference",
        )


def seed_register(label: str, db_url: str, ref_url: str, people: int, args, workdir: Path, lock_url=None) -> Register:
    """Seed caseapp's and the reference's databases with `people` residents (caseapp's seeding timed)."""
    from bench import reference
    from caseapp.crypto.keyring import Keyring

    slug = re.sub(r"\W+", "-", label)
    keys_file, ref_keys = workdir / f"keyring-{slug}.json", workdir / f"reference-keys-{slug}.json"
    secret_key = secrets.token_urlsafe(48)
    Keyring.generate(keys_file)
    social_workers = max(1, people // args.caseload)
    print(f"[{label}] migrating and seeding {people:,} people over {social_workers} social workers ...", flush=True)
    prepared = prepare(db_url, keys_file, secret_key, people, args.seed, social_workers)
    for line in prepared.seeding:
        print(f"  {line}", flush=True)
    prepared.ref_token, prepared.ref_ids = reference.seed(ref_url, str(ref_keys), people, social_workers, args.seed)
    return Register(
        label,
        people,
        db_url,
        ref_url,
        ref_keys,
        keys_file,
        secret_key,
        prepared,
        env=server_env(db_url, keys_file, secret_key, workdir),
        ref_env={**os.environ, "REFERENCE_DATABASE": ref_url, "REFERENCE_KEYS": str(ref_keys), "PYTHONPATH": str(ROOT)},
        log=workdir / f"gunicorn-{slug}.log",
        lock_url=lock_url,
    )


@contextlib.contextmanager
def serving(register: Register, workers: int):
    """The reference and caseapp, both serving `register`: yields (the reference's base URL, caseapp's base
    URL, caseapp's gunicorn master, caseapp's targets with the bench staff logged in)."""
    with (
        gunicorn("bench.reference:app", workers=workers, env=register.ref_env, log=register.log, chdir=ROOT) as (
            ref_base,
            _ref,
        ),
        gunicorn("wsgi:app", workers=workers, env=register.env, log=register.log, chdir=ROOT) as (base, master),
    ):
        cookies = {role: log_in(base, login) for role, login in register.prepared.logins.items()}
        yield ref_base, base, master, app_targets(register.prepared, cookies)


def measure_bare(wrk: str, args, workdir: Path, workers: int) -> dict:
    bare = Target("bare Flask JSON endpoint", [("GET", "/", "")], {}, '"ok"', key="bare")
    with gunicorn(
        "bare:app", workers=workers, env=dict(os.environ), log=workdir / "gunicorn-bare.log", chdir=BENCH
    ) as (
        base,
        _p,
    ):
        return measure(wrk, base, bare, args, workdir, workers=workers)


def wanted(target: Target, args, workers: int, only_person_api: bool = False) -> bool:
    if only_person_api and target.key not in ("person API", "person API p99"):
        return False
    if args.targets and target.key not in args.targets:
        return False
    # With 2 workers the person API row is already at the p99 goal's 4 connections.
    return not (target.key == "person API p99" and 2 * workers == P99_CONNECTIONS)


def load(register: Register, base: str, target: Target, args, wrk: str, workdir: Path, workers: int, notes: list):
    """One target's load on caseapp (`measure`), with what the report needs from the server's log: the CPR
    search's server time, and an explanation of any answer other than 200. None if its check failed."""
    since = register.log.stat().st_size
    try:
        row = measure(wrk, base, target, args, workdir, lock_url=register.lock_url, workers=workers)
    except SystemExit as failed:  # one broken target is reported, the rest still measured
        print(f"  {failed}"[:600], flush=True)
        notes.append(f"NOT MEASURED: {target.label} (its check request failed; see above)")
        return None
    if target.key == "CPR search c=1":
        row["server_times"] = server_times(register.log, "api.people.people_search", since)
    if failures(row):
        notes.append(explain_failures(row, register.log, since, register.label, workers))
    return row


def rss_note(master) -> str:
    rss = worker_rss_mb(master)
    return (
        f"RSS per worker after the run: {', '.join(f'{m:.0f} MB' for m in rss)} "
        f"(goal ≤ {RSS_GOAL_MB} MB: {'met' if rss and max(rss) <= RSS_GOAL_MB else 'NOT met'})"
    )


def finish(register: Register, run: Run) -> None:
    """After the last load of a register: its seeding figures, and both audit chains verified."""
    from bench import reference

    run.notes += register.prepared.seeding + [
        f"caseload of the measured social worker: {register.prepared.caseload:,}",
        verify_audit(register.db_url, register.keys_file, register.secret_key),
    ]
    checked, broken = reference.verify(register.ref_url, str(register.ref_keys))
    run.notes.append(
        f"reference audit chain {'intact' if broken is None else f'BROKEN at {broken}'}: {checked:,} events verified"
    )
    run.seed_rate = register.prepared.seed_rate


def bench_database(register: Register, worker_counts: list[int], args, wrk: str, workdir: Path, lock_only=()):
    """Load every target on one register with each number of workers, one target after another; with
    `lock_only`, also the person API alone at those worker counts (the audit lock's share)."""
    runs = []
    for workers in [*worker_counts, *lock_only]:
        print(f"[{register.label}] {workers} workers", flush=True)
        only_person_api = workers in lock_only and workers not in worker_counts
        bare = measure_bare(wrk, args, workdir, workers)
        rows, notes = [], []
        with serving(register, workers) as (ref_base, base, master, targets):
            lock_url = register.lock_url and register.ref_url
            ref = measure(wrk, ref_base, register.ref_target, args, workdir, lock_url=lock_url, workers=workers)
            for target in targets:
                if wanted(target, args, workers, only_person_api):
                    row = load(register, base, target, args, wrk, workdir, workers, notes)
                    rows += [row] if row else []
            notes.append(rss_note(master))
        runs.append(Run(register.label, workers, rows, bare, ref, notes, register.people, register.label.split(",")[0]))
        print("\n".join(report(runs[-1:], args, totals=False)), flush=True)  # kept even if a later run fails
    finish(register, runs[0])
    return runs


def combined(legs: list[dict]) -> dict:
    """One row of a target's legs: the requests and errors summed, p50 the legs' median, p99 their worst."""
    row = dict(legs[0])
    for key in ("requests", "duration_us", "not_200", "timeouts", "connect_errors", "read_errors", "write_errors"):
        row[key] = sum(leg[key] for leg in legs)
    row["rps"] = row["requests"] / (row["duration_us"] / 1e6)
    row["p50_us"] = statistics.median(leg["p50_us"] for leg in legs)
    row["p99_us"] = max(leg["p99_us"] for leg in legs)
    row["server_times"] = [t for leg in legs for t in leg.get("server_times", [])]
    return row


def bench_side_by_side(registers: list[Register], workers: int, args, wrk: str, workdir: Path) -> list[Run]:
    """Two register sizes served at once and each target loaded on them in turns, small, large, large,
    small (legs of half the duration), so that a change in the machine's load during the run falls on both
    alike: the flatness check compares sizes, not moments."""
    small, large = registers
    leg_args = argparse.Namespace(**{**vars(args), "duration": max(2, round(args.duration / 2))})
    bare = measure_bare(wrk, args, workdir, workers)
    print(f"[{small.label} and {large.label}, side by side] {workers} workers", flush=True)
    with serving(small, workers) as served_small, serving(large, workers) as served_large:
        served = {small.label: served_small, large.label: served_large}
        rows = {small.label: [], large.label: []}
        notes = {small.label: [], large.label: []}
        refs = {}
        order = [small, large, large, small]
        for register in order:
            ref_base = served[register.label][0]
            refs.setdefault(register.label, []).append(
                measure(wrk, ref_base, register.ref_target, args, workdir, workers=workers)  # every ratio's base
            )
        large_targets = {t.key: t for t in served_large[3]}
        for small_target in served_small[3]:
            target_of = {small.label: small_target, large.label: large_targets.get(small_target.key)}
            if target_of[large.label] is None or not wanted(small_target, args, workers):
                continue
            legs = {small.label: [], large.label: []}
            for register in order:
                base = served[register.label][1]
                row = load(
                    register, base, target_of[register.label], leg_args, wrk, workdir, workers, notes[register.label]
                )
                legs[register.label] += [row] if row else []
            for label, measured in legs.items():
                if len(measured) == 2:
                    rows[label].append(combined(measured))
        for label, (_ref_base, _base, master, _targets) in served.items():
            notes[label].append(rss_note(master))
    for label in notes:
        notes[label].insert(
            0,
            f"served side by side with the other register size; each target loaded in legs of "
            f"{leg_args.duration} s (the reference in legs of {args.duration} s), small, large, large, small: "
            f"the table shows their sums (p50: the legs' median, p99: the worst leg)",
        )
    runs = [
        Run(r.label, workers, rows[r.label], bare, combined(refs[r.label]), notes[r.label], r.people, "SQLite")
        for r in registers
    ]
    for register, run in zip(registers, runs, strict=True):
        finish(register, run)
    print("\n".join(report(runs, args, totals=False)), flush=True)
    return runs


# --- the report -----------------------------------------------------------------------------------------


def goal_for(key: str, rows: dict[str, dict], ref_rps: float) -> float | None:
    if key in GOALS:
        return GOALS[key]
    if key in DOMAIN_PAGES and "person page" in rows:
        return rows["person page"]["rps"] / ref_rps / 2
    return None


def report(runs: list[Run], args, *, totals: bool = True) -> list[str]:
    head = (
        f"{'target':46} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'×bare':>6} {'×ref':>6} {'goal':>7} "
        f"{'not200':>6} {'lock':>10}"
    )
    lines = []
    for run in runs:
        lines += [
            "",
            f"{run.label}: gunicorn {run.workers} sync workers, wrk 1 thread, {2 * run.workers} "
            f"connections (unless noted), {args.duration} s per target",
            head,
            "-" * len(head),
        ]
        by_key = {r["key"]: r for r in run.rows}
        for row in [run.bare, run.reference, *run.rows]:
            ref_ratio = row["rps"] / run.reference["rps"]
            goal = goal_for(row["key"], by_key, run.reference["rps"])
            verdict = "" if goal is None else f"{'≥' if ref_ratio >= goal else '<'}{goal:.2f}"
            extra = ""
            if row is p99_row(by_key):
                verdict += "" if row["p99_us"] / 1000 <= P99_GOAL_MS else " p99!"
            failed = failures(row)
            lock = row.get("lock")
            lock_text = f"{lock['lock_wait_share']:4.0%}/{lock['lock_held_share']:3.0%}" if lock else ""
            label_ = row["label"] + (f" (c={row['connections']})" if row["connections"] != 2 * run.workers else "")
            if server_ms(row) is not None:
                extra = f"  server median {server_ms(row):.1f} ms"
            lines.append(
                f"{label_[:46]:46} {row['rps']:7,.0f} {row['p50_us'] / 1000:7.1f} "
                f"{row['p99_us'] / 1000:7.1f} {row['rps'] / run.bare['rps']:6.3f} {ref_ratio:6.2f} "
                f"{verdict:>7} {failed:6d} {lock_text:>10}{extra}"
            )
        lines += [f"  {note}" for note in run.notes]
    return lines + flatness(runs) + summary(runs) if totals else lines


def server_ms(row: dict) -> float | None:
    """The median of the request log's own timings of the row's requests, where they were read."""
    times = row.get("server_times")
    return statistics.median(times) if times else None


def p99_row(by_key: dict[str, dict]) -> dict | None:
    """The person API's row the p99 goal is judged on: the one at P99_CONNECTIONS connections."""
    return by_key.get("person API p99", by_key.get("person API"))


def flatness(runs: list[Run]) -> list[str]:
    """Each ratio to the reference at the largest register against the smallest, same database and workers."""
    lines = []
    groups: dict[tuple[str, int], list[Run]] = {}
    for run in runs:
        groups.setdefault((run.database, run.workers), []).append(run)
    for (database, workers), group in groups.items():
        if len(group) < 2:
            continue
        small, large = min(group, key=lambda r: r.people), max(group, key=lambda r: r.people)
        lines += [
            "",
            f"flatness ({database}, {workers} workers): ratio to the reference at {large.people:,} "
            f"people against {small.people:,} (goal: within {FLAT_GOAL:.0%})",
        ]
        small_rows = {r["key"]: r for r in small.rows}
        for row in large.rows:
            before = small_rows.get(row["key"])
            if before is None:
                continue
            a, b = before["rps"] / small.reference["rps"], row["rps"] / large.reference["rps"]
            change = b / a - 1
            lines.append(
                f"  {row['key']:26} {a:6.2f} -> {b:6.2f}  {change:+6.1%}  "
                f"{'met' if abs(change) <= FLAT_GOAL else 'NOT met'}"
            )
    return lines


def summary(runs: list[Run]) -> list[str]:
    lines = ["", "other goals:"]
    for run in runs:
        by_key = {r["key"]: r for r in run.rows}
        cpr = server_ms(by_key.get("CPR search c=1", {}))
        if cpr is not None:
            lines.append(
                f"  {run.label}, {run.workers} workers: CPR search median server time {cpr:.1f} ms "
                f"(goal ≤ {CPR_GOAL_MS:.0f} ms: {'met' if cpr <= CPR_GOAL_MS else 'NOT met'})"
            )
        api = p99_row(by_key)
        if api is not None:
            lines.append(
                f"  {run.label}, {run.workers} workers: person API p99 {api['p99_us'] / 1000:.1f} ms at "
                f"{api['connections']} connections (goal ≤ {P99_GOAL_MS:.0f} ms: "
                f"{'met' if api['p99_us'] / 1000 <= P99_GOAL_MS else 'NOT met'})"
            )
        if run.seed_rate:
            lines.append(
                f"  {run.label}: people seeder {run.seed_rate:,.0f} people/s "
                f"(goal ≥ {SEED_GOAL:,}: {'met' if run.seed_rate >= SEED_GOAL else 'NOT met'})"
            )
    return lines


# --- main -------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000, help="residents to seed (default 100000)")
    parser.add_argument(
        "--compare-people",
        type=int,
        default=10_000,
        help="also seed and load this smaller register on SQLite, for the flatness check (default 10000; 0: skip)",
    )
    parser.add_argument(
        "--caseload",
        type=int,
        default=300,
        help="residents per social worker, the same at every register size (default 300)",
    )
    parser.add_argument("--seed", type=int, default=1, help="demo seed (default 1)")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per target (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of unmeasured load first (default 1)")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 2,
        help="gunicorn sync workers on SQLite (default: one per CPU)",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        nargs="?",
        const=os.environ.get("CASEAPP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="also run on PostgreSQL in databases made and dropped here (URL of the server's admin database)",
    )
    parser.add_argument("--postgres-workers", default="2,4", help="worker counts on PostgreSQL (default 2,4)")
    parser.add_argument(
        "--lock-workers",
        default="1",
        help="extra worker counts on PostgreSQL for the person API alone, to see the audit lock's share (default 1)",
    )
    parser.add_argument("--no-sqlite", action="store_true", help="with --postgres: skip the SQLite runs")
    parser.add_argument(
        "--targets",
        type=lambda text: {key.strip() for key in text.split(",") if key.strip()},
        default=set(),
        help='only these of caseapp\'s targets, by key (e.g. "person API,community activity"; default: all)',
    )
    args = parser.parse_args()

    wrk = ensure_wrk()
    load_before = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="caseapp-bench-"))
    os.environ["CASEAPP_INSTANCE_DIR"] = str(workdir)  # before caseapp is imported: nothing lands in instance/
    sys.path.insert(0, str(ROOT))
    started = time.monotonic()
    runs: list[Run] = []
    try:
        if not args.no_sqlite:
            registers = [
                seed_register(
                    f"SQLite, {people:,} people",
                    f"sqlite:///{workdir / f'bench-{people}.db'}",
                    f"sqlite:///{workdir / f'reference-{people}.db'}",
                    people,
                    args,
                    workdir,
                )
                for people in sorted({p for p in (args.compare_people, args.people) if p > 0})
            ]
            if len(registers) == 2:
                runs += bench_side_by_side(registers, args.workers, args, wrk, workdir)
            else:
                runs += bench_database(registers[0], [args.workers], args, wrk, workdir)
        if args.postgres:
            runs += bench_postgres(args, wrk, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    took = time.monotonic() - started
    print(
        f"caseapp bench on {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}, {took:.0f} s; "
        f"load average before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f} (other work on the machine "
        f"skews the figures; compare ratios within one run). lock: share of the workers' time waiting for the "
        f"audit chain's lock / share of the time it is held (PostgreSQL)"
    )
    print("\n".join(report(runs, args)))
    return 0


def bench_postgres(args, wrk: str, workdir: Path) -> list[Run]:
    import psycopg

    admin = args.postgres
    names = {kind: f"caseapp_bench_{kind}_{os.getpid()}" for kind in ("app", "ref")}
    parts = urllib.parse.urlsplit(admin)
    urls = {
        kind: urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
        for kind, name in names.items()
    }
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        for name in names.values():
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        workers = [int(w) for w in args.postgres_workers.split(",") if w]
        lock_only = [int(w) for w in args.lock_workers.split(",") if w and int(w) not in workers]
        register = seed_register(
            f"PostgreSQL, {args.people:,} people", urls["app"], urls["ref"], args.people, args, workdir, urls["app"]
        )
        return bench_database(register, workers, args, wrk, workdir, lock_only=lock_only)
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            for name in names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
