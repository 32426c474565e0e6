"""Run the whole suite on SQLite and on PostgreSQL (a database made and dropped here).

Where no PostgreSQL answers, that leg says so in one line and the SQLite leg still runs;
with CI set, a missing PostgreSQL fails the run. Browser tests run in the SQLite leg,
after making sure Debian's Chromium is installed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def run_pytest(label: str, env_extra: dict, args: list[str]) -> int:
    env = {**os.environ, **env_extra}
    print(f"==> {label}", flush=True)
    code = subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)
    return 1 if code == 5 else code  # 5: no tests collected, which is a failure here


def ensure_chromium() -> bool:
    if Path(CHROMIUM).exists():
        return True
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("==> installing Debian's chromium for the browser tests", flush=True)
        quiet = {"stdout": subprocess.DEVNULL}
        subprocess.call(["apt-get", "update", "-qq"], **quiet)
        subprocess.call(
            ["apt-get", "install", "-y", "-qq", "chromium"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            **quiet,
        )
    return Path(CHROMIUM).exists()


def postgres_admin_url() -> str:
    return os.environ.get("CASEAPP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def connect(url: str):
    import psycopg

    return psycopg.connect(url, connect_timeout=3, autocommit=True)


def postgres_answers(url: str) -> bool:
    try:
        connect(url).close()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        pass
    # A stopped local cluster is started the way this machine documents it.
    clusters = Path("/etc/postgresql")
    if clusters.is_dir() and shutil.which("pg_ctlcluster"):
        for version in sorted(p.name for p in clusters.iterdir()):
            subprocess.call(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        try:
            connect(url).close()
            return True
        except Exception:  # noqa: BLE001
            return False
    return False


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def postgres_leg(args: list[str]) -> int:
    admin_url = postgres_admin_url()
    if not postgres_answers(admin_url):
        if os.environ.get("CI"):
            print(f"==> PostgreSQL leg FAILED: no PostgreSQL answers at {admin_url} (required in CI)")
            return 1
        print(f"==> PostgreSQL leg skipped: no PostgreSQL answers at {admin_url}")
        return 0
    name = f"caseapp_test_{os.getpid()}_{secrets.token_hex(3)}"
    with connect(admin_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        return run_pytest(
            f"PostgreSQL ({name})",
            {"CASEAPP_TEST_DATABASE_URL": with_database(admin_url, name)},
            ["-m", "not browser and not sqlite_file", *args],
        )
    finally:
        with connect(admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_leg(args: list[str]) -> int:
    if not ensure_chromium():
        print("==> Chromium could not be installed: the browser tests will fail")
    env = {"CASEAPP_TEST_DATABASE_URL": ""}
    return run_pytest("SQLite", env, ["-m", "not deployment", *args])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    known, rest = parser.parse_known_args()
    codes = []
    if known.only in (None, "sqlite"):
        codes.append(sqlite_leg(rest))
    if known.only in (None, "postgres"):
        codes.append(postgres_leg(rest))
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
