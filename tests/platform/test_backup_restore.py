"""Backup and restore as docs/operating.md tells an operator: pg_dump of the database, the keyring kept
apart, pg_restore into a new database, the app served on it, every person read back identically and
the audit chain verified."""

from __future__ import annotations

import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from caseapp import create_app
from caseapp.extensions import db
from tests.conftest import PASSWORD, Client, bearer

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "cpr",
    "birth_date",
    "phone",
    "email",
    "address",
    "preferred_language",
    "notes",
    "area",
    "birth_year",
)


def _libpq(url: str) -> str:
    """The plain postgresql:// URL PostgreSQL's own tools take."""
    parts = urlsplit(url)
    return f"postgresql://{parts.netloc}{parts.path}"


def _migrated_app(url: str, keys_file, generate: bool):
    from flask_migrate import upgrade

    app = create_app(
        {"ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "KEYS_FILE": str(keys_file), "GENERATE_KEYRING": generate}
    )
    app.test_client_class = Client
    with app.app_context():
        upgrade()
    return app


def _everyone(app) -> dict[str, dict]:
    from caseapp.register.models import Person

    with app.app_context():
        people = db.session.scalars(select(Person)).all()
        return {str(p.id): {f: getattr(p, f) for f in PERSON_FIELDS} for p in people}


@pytest.mark.deployment
def test_a_dump_restored_with_the_keyring_serves_every_person_identically(postgres_database, tmp_path):
    for tool in ("pg_dump", "pg_restore"):
        assert shutil.which(tool), f"{tool} is not installed (Debian: postgresql-client)"
    keys = tmp_path / "keyring.json"
    source = _migrated_app(postgres_database("backup_source"), keys, generate=True)
    seeded = source.test_cli_runner().invoke(args=["demo", "seed", "--people", "40"])
    assert seeded.exit_code == 0, seeded.output
    with source.app_context():
        from caseapp.security import two_factor as tf
        from caseapp.security.accounts import create_user

        leader = create_user("restore-leader@test.dk", "Restore Leader", ["leader"], PASSWORD)
        tf.enable(leader, tf.new_secret())
        db.session.commit()
        leader_id = leader.id
    before = _everyone(source)
    assert len(before) >= 40 and any(p["cpr"] for p in before.values())

    dump = tmp_path / "caseapp.dump"
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            f"--file={dump}",
            _libpq(source.config["SQLALCHEMY_DATABASE_URI"]),
        ],
        check=True,
        capture_output=True,
    )
    with source.app_context():
        db.engine.dispose()
    target_url = postgres_database("backup_target")
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(target_url)}", str(dump)],
        check=True,
        capture_output=True,
    )

    restored = _migrated_app(target_url, keys, generate=False)  # the keyring as kept: the same file
    assert _everyone(restored) == before
    verified = restored.test_cli_runner().invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output

    from caseapp.models.users import User
    from caseapp.security.tokens import issue_token

    with restored.app_context():
        _token, secret = issue_token(db.session.get(User, leader_id), "restore check", 1)
        db.session.commit()
    client = restored.test_client()
    some_id, some = next((pid, p) for pid, p in before.items() if p["cpr"])
    served = client.get(f"/api/v1/people/{some_id}", headers=bearer(secret))
    assert served.status_code == 200
    body = served.get_json()
    assert body["first_name"] == some["first_name"] and body["cpr"] == some["cpr"]
    with restored.app_context():
        db.engine.dispose()
