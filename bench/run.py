"""`make bench`: caseapp under gunicorn next to a bare Flask endpoint served the same way, measured by wrk.

Prints requests per second, p50 and p99 latency and the ratio to the bare endpoint for
an authenticated HTML page, an authenticated API call and, once the people routes exist, the person
page, the person API and the CPR search, on a database this script seeds itself (`caseapp demo seed`
through `caseapp.demo`, 100,000 people by default; the seeding rate is printed too).
Everything listens on 127.0.0.1 only. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway account in a throwaway database
DOMAIN = "bench.caseapp.dk"
# Staff among whom the demo seeder spreads assignments (it assigns every resident to a social worker,
# so with 100,000 people and 8 social workers each has a caseload of about 12,500: a stress case).
STAFF = {"social_worker": 8, "mentor": 6, "course_leader": 4, "leader": 1}
SAMPLE = 1000  # person ids (and CPR numbers) the people targets rotate through


# --- tools ------------------------------------------------------------------------------------

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


# --- the database ---------------------------------------------------------------------------------

@dataclass
class Prepared:
    """What the load needs from the seeded database."""

    staff_email: str
    token: str
    person_ids: list[str] = field(default_factory=list)
    cprs: list[str] = field(default_factory=list)
    routes: set[str] = field(default_factory=set)
    caseload: int = 0
    seeding: list[str] = field(default_factory=list)


def app_settings(db_url: str, keys_file: Path, secret_key: str) -> dict:
    return {"ENV": "production", "SQLALCHEMY_DATABASE_URI": db_url, "KEYS_FILE": str(keys_file),
            "SECRET_KEY": secret_key, "ALLOW_SQLITE_IN_PRODUCTION": True}


def server_env(db_url: str, keys_file: Path, secret_key: str, workdir: Path) -> dict:
    return {**os.environ, "CASEAPP_ENV": "production", "CASEAPP_DATABASE_URL": db_url,
            "CASEAPP_KEYS_FILE": str(keys_file), "CASEAPP_SECRET_KEY": secret_key, "CASEAPP_ALLOW_SQLITE": "1",
            "CASEAPP_INSTANCE_DIR": str(workdir)}


def prepare(db_url: str, keys_file: Path, secret_key: str, people: int, seed: int, staff: dict,
            reuse: bool) -> Prepared:
    """Migrate, create the bench staff, seed `people` residents (timed), issue an API token, and pick the
    person ids and CPR numbers the load rotates through (the first social worker's caseload)."""
    import logging

    from flask_migrate import upgrade
    from sqlalchemy import text

    from caseapp import create_app
    from caseapp.extensions import db
    from caseapp.security.accounts import create_user, find_user
    from caseapp.security.tokens import issue_token

    app = create_app(app_settings(db_url, keys_file, secret_key))
    result = None
    with app.app_context():
        logging.disable(logging.INFO)  # production and alembic log at INFO: keep the bench output readable
        upgrade()
        if db.engine.dialect.name == "sqlite":
            mode = db.session.execute(text("PRAGMA journal_mode")).scalar()
            assert mode == "wal", f"SQLite journal mode is {mode}, not WAL"
        first = f"social_worker1@{DOMAIN}"
        if find_user(first) is None:
            for role, count in staff.items():
                for n in range(1, count + 1):
                    create_user(f"{role}{n}@{DOMAIN}", f"Bench {role} {n}", [role], PASSWORD)
            db.session.commit()
            reuse = False
        seeding = [] if reuse else seed_people(people, seed)
        user = find_user(first)
        _row, token = issue_token(user, "bench", 1)
        db.session.commit()
        result = Prepared(staff_email=first, token=token, seeding=seeding,
                          routes={rule.rule for rule in app.url_map.iter_rules()})
        pick_people(result, user)
        db.session.remove()
        db.engine.dispose()
    return result


def seed_people(people: int, seed: int) -> list[str]:
    """What `caseapp demo seed --people N --seed S` does without demo accounts, one seeder at a time so the
    people seeder's rate is its own."""
    from caseapp.demo import accounts
    from caseapp.domain import domains

    if people <= 0:
        return []
    staff = accounts.existing_staff()
    lines, started = [], time.perf_counter()
    seeders = [(part.name, part.seeder) for part in domains() if part.seeder is not None]
    for name, seeder in seeders:
        began = time.perf_counter()
        seeder(staff=staff, count=people, seed=seed)
        took = time.perf_counter() - began
        if name == "people":
            lines.append(f"seeded {people:,} people in {took:.1f} s: {people / took:,.0f} people/s (people seeder)")
        else:
            lines.append(f"seeder {name}: {took:.1f} s")
    if len(seeders) > 1:
        took = time.perf_counter() - started
        lines.append(f"all {len(seeders)} seeders: {took:.1f} s, {people / took:,.0f} people/s")
    return lines


def pick_people(prepared: Prepared, user) -> None:
    from sqlalchemy import func, select

    from caseapp.extensions import db
    from caseapp.register import services

    query = services.caseload_query(user)
    prepared.caseload = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.limit(SAMPLE)).all()
    prepared.person_ids = [str(p.id) for p in rows]
    prepared.cprs = [p.cpr for p in rows if getattr(p, "cpr", None)]


def verify_audit(db_url: str, keys_file: Path, secret_key: str) -> str:
    """The chain must still verify after concurrent writers."""
    from caseapp import create_app
    from caseapp.audit import verify_chain
    from caseapp.extensions import db

    app = create_app(app_settings(db_url, keys_file, secret_key))
    with app.app_context():
        checked, broken = verify_chain()
        db.engine.dispose()
    if broken is not None:
        return f"audit chain BROKEN at event {broken.seq}: {broken.reason}"
    return f"audit chain intact after the load: {checked:,} events verified"


# --- servers --------------------------------------------------------------------------------------

@contextlib.contextmanager
def gunicorn(app_spec: str, *, workers: int, env: dict, log: Path, chdir: Path):
    """Serve `app_spec` with `workers` sync workers on a free 127.0.0.1 port; yields the base URL."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "--workers", str(workers), "--worker-class", "sync",
               "--bind", f"127.0.0.1:{port}", "--chdir", str(chdir), "--log-level", "warning",
               "--timeout", "60", app_spec]
    with open(log, "ab") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(port, process, log)
        yield f"http://127.0.0.1:{port}"
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


def log_in(base: str, email: str) -> str:
    """Log in through the form like a browser (the cookie is Secure in production, so it is carried by
    hand over plain HTTP on 127.0.0.1); returns the Cookie header value."""
    status, headers, page = fetch(base, "GET", "/login")
    cookie = session_cookie(headers)
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert status == 200 and cookie and match, f"login page: HTTP {status}"
    form = urllib.parse.urlencode({"csrf_token": match.group(1), "email": email, "password": PASSWORD})
    status, headers, _ = fetch(base, "POST", "/login", form, {
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    cookie = session_cookie(headers)
    assert status == 302 and cookie, f"login failed: HTTP {status}"
    return cookie


# --- load -----------------------------------------------------------------------------------------

@dataclass
class Target:
    label: str
    requests: list[tuple[str, str, str]]  # method, path, body
    headers: dict
    expect: str  # a text every answer must contain (checked once before the load)
    connections: int | None = None  # None: the run's default


def check(base: str, target: Target) -> None:
    """One request before the load: a wrong cookie or route must stop the run, not be measured."""
    method, path, body = target.requests[0]
    time.sleep(0.5)  # let the workers finish what the previous load left queued
    status, _headers, text_ = fetch(base, method, path, body or None, target.headers)
    if status != 200 or target.expect not in text_:
        sys.exit(f"bench: {target.label}: {method} {path} answered HTTP {status} without {target.expect!r}:\n"
                 f"{text_[:500]}")


def run_wrk(wrk: str, base: str, target: Target, *, duration: int, connections: int, workdir: Path) -> dict:
    plan = workdir / "requests.tsv"
    plan.write_text("".join(f"{m}\t{p}\t{b}\n" for m, p, b in target.requests))
    command = [wrk, "--threads", "1", "--connections", str(connections), "--duration", f"{duration}s",
               "--timeout", "10s", "--script", str(BENCH / "report.lua")]
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


def measure(wrk: str, base: str, target: Target, args, workdir: Path) -> dict:
    check(base, target)
    connections = target.connections or args.connections
    if args.warmup:
        run_wrk(wrk, base, target, duration=args.warmup, connections=connections, workdir=workdir)
    result = run_wrk(wrk, base, target, duration=args.duration, connections=connections, workdir=workdir)
    result["label"], result["connections"] = target.label, connections
    print(f"  measured {target.label}: {result['rps']:,.0f} req/s", flush=True)
    return result


def app_targets(prepared: Prepared, cookie: str) -> list[Target]:
    html = {"Cookie": cookie, "Accept-Language": "da"}
    api = {"Authorization": f"Bearer {prepared.token}", "Accept": "application/json"}
    targets = [Target("landing page / (HTML, session)", [("GET", "/", "")], html, "Godt at se dig")]
    has_people = "/api/v1/people" in prepared.routes and prepared.person_ids
    if has_people:
        targets.append(Target("GET /api/v1/people?mine=1 (API)", [("GET", "/api/v1/people?mine=1", "")], api,
                              '"items"'))
    else:
        targets.append(Target("GET /api/v1/openapi.json (API, token)", [("GET", "/api/v1/openapi.json", "")],
                              api, '"openapi"'))
    if has_people and "/people/<uuid:person_id>" in prepared.routes:
        targets.append(Target("person page /people/<id> (HTML)",
                              [("GET", f"/people/{i}", "") for i in prepared.person_ids], html, "<h1"))
    if has_people and "/api/v1/people/<person_id>" in prepared.routes:
        targets.append(Target("GET /api/v1/people/<id> (API)",
                              [("GET", f"/api/v1/people/{i}", "") for i in prepared.person_ids], api, '"id"'))
    if "/api/v1/people/search" in prepared.routes and prepared.cprs:
        body_api = {**api, "Content-Type": "application/json"}
        searches = [("POST", "/api/v1/people/search", json.dumps({"cpr": c})) for c in prepared.cprs]
        targets.append(Target("CPR search POST /api/v1/people/search", searches, body_api, '"items"'))
        targets.append(Target("CPR search, one client at a time", searches, body_api, '"items"', connections=1))
    return targets


# --- one database ---------------------------------------------------------------------------------

def bench_database(label: str, db_url: str, args, wrk: str, workdir: Path) -> list[str]:
    keys_file = workdir / "keyring.json"
    secret_path = workdir / "secret_key"
    marker = workdir / f"seeded-{label}.json"
    wanted = {"people": args.people, "seed": args.seed, "social_workers": args.social_workers}
    before = json.loads(marker.read_text()) if args.workdir is not None and marker.is_file() else {}
    reuse = {k: before.get(k) for k in wanted} == wanted
    if not reuse and db_url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):  # a database seeded with other settings: start again
            Path(db_url[len("sqlite:///"):] + suffix).unlink(missing_ok=True)
    if not keys_file.exists():
        from caseapp.crypto.keyring import Keyring

        Keyring.generate(keys_file)
    if not secret_path.exists():
        secret_path.write_text(secrets.token_urlsafe(48))
    secret_key = secret_path.read_text()

    print(f"[{label}] migrating and seeding {args.people:,} people "
          f"({'reusing the seeded database' if reuse else 'this takes a while for 100,000'}) ...", flush=True)
    staff = {**STAFF, "social_worker": args.social_workers}
    prepared = prepare(db_url, keys_file, secret_key, args.people, args.seed, staff, reuse)
    if prepared.seeding:
        marker.write_text(json.dumps({**wanted, "seeding": prepared.seeding}))
    else:
        prepared.seeding = [f"{line} (when this database was seeded)" for line in before.get("seeding", [])]
    for line in prepared.seeding:
        print(f"  {line}", flush=True)

    log = workdir / "gunicorn.log"
    env = server_env(db_url, keys_file, secret_key, workdir)
    results = []
    with gunicorn("bare:app", workers=args.workers, env=dict(os.environ), log=log, chdir=BENCH) as base:
        bare = measure(wrk, base, Target("bare Flask JSON endpoint", [("GET", "/", "")], {}, '"ok"'), args, workdir)
    with gunicorn("wsgi:app", workers=args.workers, env=env, log=log, chdir=ROOT) as base:
        cookie = log_in(base, prepared.staff_email)
        for target in app_targets(prepared, cookie):
            results.append(measure(wrk, base, target, args, workdir))
    audit_line = verify_audit(db_url, keys_file, secret_key)
    return report(label, bare, results, prepared, audit_line, args)


def report(label: str, bare: dict, results: list[dict], prepared: Prepared, audit_line: str, args) -> list[str]:
    lines = [f"{label}: gunicorn {args.workers} sync workers, wrk 1 thread, {args.connections} connections "
             f"(unless noted), {args.duration} s per target, {args.people:,} people seeded, "
             f"caseload of the measured social worker: {prepared.caseload:,}"]
    lines += prepared.seeding
    head = f"{'target':44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8} {'not 200':>8}"
    lines += [head, "-" * len(head)]
    for row in [bare, *results]:
        ratio = row["rps"] / bare["rps"]
        failed = row["not_200"] + row["timeouts"] + row["connect_errors"] + row["read_errors"]
        label_ = row["label"] + (f" (c={row['connections']})" if row["connections"] != args.connections else "")
        lines.append(f"{label_:44} {row['rps']:8,.0f} {row['p50_us'] / 1000:8.1f} {row['p99_us'] / 1000:8.1f} "
                     f"{ratio:7.1%} {failed:8d}")
    lines.append(audit_line)
    return lines


# --- main -----------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000, help="residents to seed (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="demo seed (default 1)")
    parser.add_argument("--social-workers", type=int, default=STAFF["social_worker"],
                        help="social workers the residents are spread over (default 8); the measured one's "
                             "caseload is about people/N")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per target (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load first (default 2)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                        help="gunicorn sync workers (default: one per CPU)")
    parser.add_argument("--connections", type=int, default=None, help="wrk connections (default 2 per worker)")
    parser.add_argument("--postgres", metavar="URL", nargs="?", const=os.environ.get(
        "CASEAPP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="also run on PostgreSQL in a database made and dropped here (URL of the server's admin database)")
    parser.add_argument("--no-sqlite", action="store_true", help="with --postgres: skip the SQLite run")
    parser.add_argument("--workdir", type=Path, help="keep the seeded database here and reuse it next time")
    args = parser.parse_args()
    args.connections = args.connections or 2 * args.workers

    wrk = ensure_wrk()
    load_before = os.getloadavg()[0]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="caseapp-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["CASEAPP_INSTANCE_DIR"] = str(workdir)  # before caseapp is imported: nothing lands in instance/
    sys.path.insert(0, str(ROOT))
    output: list[str] = []
    try:
        if not args.no_sqlite:
            output += bench_database("SQLite", f"sqlite:///{workdir / 'bench.db'}", args, wrk, workdir)
        if args.postgres:
            output += [""] + bench_postgres(args, wrk, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(f"caseapp bench on {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}; load average before: "
          f"{load_before:.2f}, after: {os.getloadavg()[0]:.2f} (other work on the machine skews the figures)")
    print("\n".join(output))
    return 0


def bench_postgres(args, wrk: str, workdir: Path) -> list[str]:
    import psycopg

    admin = args.postgres
    name = f"caseapp_bench_{os.getpid()}"
    parts = urllib.parse.urlsplit(admin)
    url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        return bench_database("PostgreSQL", url, args, wrk, workdir)
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
