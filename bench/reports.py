"""`bench/reports.py`: the yearly funder report for one theme with every breakdown, over a seeded register
(default 100,000 people) and a year of activity in every domain (`caseapp demo seed`'s seeders), on SQLite
and PostgreSQL; its time next to a plain count(*) over the same measures' rows in the same run.

Targets (issue 16): the report under 1 s, and under 5 × the plain count. See bench/README.md.

    .venv/bin/python bench/reports.py                         # 100,000 people, SQLite and PostgreSQL
    .venv/bin/python bench/reports.py --people 20000 --no-postgres
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
import urllib.parse
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import app_settings, create_staff, seed_all, staff_plan  # noqa: E402

REPEAT = 5
GOAL_SECONDS = 1.0
GOAL_RATIO = 5.0


def measure(db_url: str, keys_file: Path, people: int, seed: int) -> dict:
    import logging

    from flask_migrate import upgrade
    from sqlalchemy import func, select, text

    from caseapp import create_app
    from caseapp.crypto.keyring import Keyring
    from caseapp.extensions import db
    from caseapp.plan.models import PlanTag, PlanTheme
    from caseapp.reports import document, services
    from caseapp.reports.queries import Scope, declared

    Keyring.generate(keys_file)
    app = create_app(app_settings(db_url, keys_file, secrets.token_hex(32)))
    result: dict = {}
    with app.app_context():
        logging.disable(logging.INFO)
        upgrade()
        create_staff(staff_plan(max(1, people // 300)))
        began = time.perf_counter()
        result["seed_lines"], _rate = seed_all(people, seed)
        result["seeding_s"] = time.perf_counter() - began
        if not services.indicators():
            services.adopt_ready_made(None)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # As autovacuum leaves a table after a bulk insert (PostgreSQL 13+ vacuums insert-only tables):
            # statistics, and the visibility map an index-only scan needs.
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        # The theme with the most tagged records; the year the seeded activity falls in.
        theme_id = db.session.scalar(
            select(PlanTag.theme_id)
            .where(PlanTag.theme_id.is_not(None))
            .group_by(PlanTag.theme_id)
            .order_by(func.count().desc())
            .limit(1)
        ) or db.session.scalar(select(PlanTheme.id).limit(1))
        today = date.today()
        scope = Scope(date(today.year - 1, today.month, 1), today, None, (theme_id,) if theme_id else ())
        measures = declared()
        result["rows"] = sum(
            db.session.scalar(select(func.count()).select_from(m.rows().subquery())) for m in measures.values()
        )
        result["people"] = people
        definitions = [document.Definition.of(i) for i in services.indicators()]
        with app.test_request_context():
            report_times, count_times = [], []
            for _ in range(REPEAT):
                began = time.perf_counter()
                for m in measures.values():
                    db.session.scalar(select(func.count()).select_from(m.rows().subquery()))
                count_times.append(time.perf_counter() - began)
                began = time.perf_counter()
                built = document.build(definitions, scope, title="bench")
                report_times.append(time.perf_counter() - began)
        result["report_s"] = statistics.median(report_times)
        result["count_s"] = statistics.median(count_times)
        result["indicators"] = len(built["indicators"])
        db.session.remove()
        db.engine.dispose()
    return result


def line(label: str, r: dict) -> str:
    ratio = r["report_s"] / r["count_s"] if r["count_s"] else float("inf")
    ok = "met" if r["report_s"] < GOAL_SECONDS and ratio < GOAL_RATIO else "NOT met"
    return (
        f"{label:<12} {r['people']:>8,} people {r['rows']:>9,} rows  seeding {r['seeding_s']:7.1f} s  "
        f"report {r['report_s'] * 1000:8.1f} ms  count(*) {r['count_s'] * 1000:7.1f} ms  "
        f"×count {ratio:5.2f}  goal (<1 s, <5×) {ok}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("CASEAPP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="an admin URL: a database is created for the run and dropped after it",
    )
    args = parser.parse_args()
    lines = []
    with tempfile.TemporaryDirectory(prefix="caseapp-bench-reports-") as tmp:
        workdir = Path(tmp)
        if not args.no_sqlite:
            r = measure(f"sqlite:///{workdir / 'reports.db'}", workdir / "keys-sqlite.json", args.people, args.seed)
            print("\n".join(f"  {seeded}" for seeded in r["seed_lines"]), flush=True)
            lines.append(line("SQLite", r))
            print(lines[-1], flush=True)
        if not args.no_postgres:
            import psycopg

            name = f"caseapp_bench_reports_{os.getpid()}"
            parts = urllib.parse.urlsplit(args.postgres)
            url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
            with psycopg.connect(args.postgres, autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                r = measure(url, workdir / "keys-pg.json", args.people, args.seed)
                print("\n".join(f"  {seeded}" for seeded in r["seed_lines"]), flush=True)
                lines.append(line("PostgreSQL", r))
                print(lines[-1], flush=True)
            finally:
                with psycopg.connect(args.postgres, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
