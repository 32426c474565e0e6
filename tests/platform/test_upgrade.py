"""Upgrading keeps everything: a database made and filled by the previous release's own code, upgraded by
this one with `caseapp db upgrade`'s migrations, still holds every row, and every encrypted value opens.

The previous release's code comes from git (the tree of PREVIOUS_RELEASE) and runs in a subprocess with
the same Python packages, so its migrations and demo seeder are exactly what an installation of it ran.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, func, select

from tests.run_suites import connect, postgres_admin_url, with_database

ROOT = Path(__file__).resolve().parents[2]
# The last release: main as the first wave left it (migration head e4peopleidx). Move it on at each release.
PREVIOUS_RELEASE = "4c7cacda6073d9150f7d93275771deddddb40f8e"
PREVIOUS_HEAD = "e4peopleidx"
# Columns a migration since then replaced on purpose, and where their content went.
REPLACED = {"user": {"failed_logins", "locked_until"}}  # -> login_lock (f6loginlock: locks per account and address)


@pytest.fixture
def empty_database(tmp_path):
    """A URL for an empty database of the leg's kind (a fresh PostgreSQL database, or a SQLite file)."""
    leg_url = os.environ.get("CASEAPP_TEST_DATABASE_URL", "")
    if not leg_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'previous.db'}"
        return
    admin = postgres_admin_url()
    name = f"caseapp_upgrade_{os.getpid()}"
    with connect(admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield with_database(admin, name)
    with connect(admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def previous_release(tmp_path: Path) -> Path:
    tree = tmp_path / "previous"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", PREVIOUS_RELEASE], cwd=ROOT, capture_output=True, check=False)
    assert archive.returncode == 0, f"the previous release {PREVIOUS_RELEASE} is not in this clone's history"
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def run_previous(tree: Path, url: str, keys: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEAPP_")}
    env.update(
        PYTHONPATH=str(tree),
        CASEAPP_ENV="development",
        CASEAPP_DATABASE_URL=url,
        CASEAPP_KEYS_FILE=str(keys),
        CASEAPP_INSTANCE_DIR=str(keys.parent),
    )
    result = subprocess.run(
        [sys.executable, "-c", "from caseapp.cli import main; main()", *args],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"previous release: {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def snapshot(url: str) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table's columns and rows, in a stable order."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        tables = {}
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                columns = [c.name for c in table.columns]
                rows = connection.execute(select(table)).all()
                tables[table.name] = (columns, sorted((tuple(r) for r in rows), key=repr))
        return tables
    finally:
        engine.dispose()


def test_an_upgrade_from_the_previous_release_keeps_every_row(tmp_path, empty_database, other_app):
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade

    from caseapp.audit import verify_chain
    from caseapp.crypto.fields import encrypted_columns
    from caseapp.extensions import db

    tree = previous_release(tmp_path)
    keys = tmp_path / "instance" / "keyring.json"
    run_previous(tree, empty_database, keys, "db", "upgrade")
    run_previous(tree, empty_database, keys, "demo", "seed", "--people", "60")
    run_previous(tree, empty_database, keys, "users", "token", "social_worker@demo.caseapp.dk")
    before = snapshot(empty_database)
    assert before["alembic_version"][1] == [(PREVIOUS_HEAD,)]
    filled = [name for name, (_columns, rows) in before.items() if rows]
    assert {"person", "household", "counselling_case", "concern", "consent", "audit_event", "api_token"} <= set(filled)

    app = other_app(SQLALCHEMY_DATABASE_URI=empty_database, KEYS_FILE=str(keys))
    with app.app_context():
        upgrade()
        head = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config()).get_current_head()
    after = snapshot(empty_database)

    assert after["alembic_version"][1] == [(head,)]
    for name, (columns, rows) in before.items():
        if name == "alembic_version":
            continue
        assert name in after, f"table {name} is gone"
        after_columns, after_rows = after[name]
        gone = set(columns) - set(after_columns) - REPLACED.get(name, set())
        assert not gone, f"{name}: columns {gone} are gone"
        before_kept = [i for i, c in enumerate(columns) if c in after_columns]
        kept = [after_columns.index(columns[i]) for i in before_kept]
        expected = sorted((tuple(r[i] for i in before_kept) for r in rows), key=repr)
        assert sorted((tuple(r[i] for i in kept) for r in after_rows), key=repr) == expected, f"{name}: rows changed"

    with app.app_context():
        opened = 0
        for mapper in db.Model.registry.mappers:
            model = mapper.class_
            if getattr(model, "__table__", None) is None or model.__table__.name not in before:
                continue
            columns = encrypted_columns(model)
            for record in db.session.scalars(select(model)):  # loading opens every encrypted value
                opened += sum(isinstance(getattr(record, c), str) for c in columns)
        assert opened > 0
        checked, broken = verify_chain()
        assert broken is None
        assert checked == db.session.scalar(select(func.count()).select_from(db.metadata.tables["audit_event"]))
        db.session.remove()
