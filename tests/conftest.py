"""Fixtures: an app on SQLite or PostgreSQL (CASEAPP_TEST_DATABASE_URL) migrated from migrations/,
a clean database for every test, staff factories and `login_as(role)`."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pyotp
import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, inspect, text

from caseapp import create_app
from caseapp.audit import append_only
from caseapp.extensions import db

PASSWORD = "correct horse battery"  # noqa: S105


def database_url(tmp_dir: Path) -> str:
    return os.environ.get("CASEAPP_TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.db'}"


@pytest.fixture(scope="session")
def app_settings(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("caseapp")
    return {"ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url(tmp), "KEYS_FILE": str(tmp / "keyring.json")}


@pytest.fixture(scope="session")
def app(app_settings):
    from flask_migrate import upgrade

    application = create_app(dict(app_settings))
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def other_app(app_settings):
    """make(**overrides) -> a second app on the same database, with different settings."""
    from caseapp.extensions import limiter

    made = []
    # The limiter is one object for every app: init_app sets its `enabled` from the newest app's
    # config, so an app made here with rate limits on would throttle the logins of every later test.
    enabled = limiter.enabled

    def make(**overrides):
        application = create_app({**app_settings, **overrides})
        application.test_client_class = Client
        made.append(application)
        return application

    yield make
    for application in made:
        with application.app_context():
            db.engine.dispose()
    limiter.enabled = enabled


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        existing = set(inspect(db.engine).get_table_names())  # the model/migration drift test guards the rest
        tables = [t.name for t in db.metadata.sorted_tables if t.name in existing]
        with append_only.lifted(db.session):  # the audit table refuses deletion otherwise
            if db.engine.dialect.name == "postgresql":
                db.session.execute(
                    text("TRUNCATE {} RESTART IDENTITY CASCADE".format(", ".join(f'"{t}"' for t in tables)))
                )
            else:
                for table in reversed(tables):
                    db.session.execute(text(f'DELETE FROM "{table}"'))
        db.session.commit()
        db.session.remove()


@contextmanager
def tampering():
    """Within an app context: write to the audit table as someone who can disable its append-only
    triggers (a database owner), to show that `caseapp audit verify` still finds the change.
    The body commits its changes; the triggers are back afterwards."""
    if db.engine.dialect.name != "postgresql":
        with append_only.lifted(db.session):
            yield
        return
    db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
    db.session.commit()
    try:
        yield
    finally:
        db.session.rollback()
        db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
        db.session.commit()


@pytest.fixture
def ctx(app):
    """An app context for direct database work in a test (not held across requests)."""
    with app.app_context():
        yield
        db.session.remove()


class Client(FlaskClient):
    """The test client with a helper that submits forms the way a browser does, CSRF token included."""

    def csrf_token(self, url: str = "/login") -> str:
        page = self.get(url)
        match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page.get_data(as_text=True))
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, token_from: str | None = None, **kwargs):
        form = dict(data or {})
        form["csrf_token"] = self.csrf_token(token_from or url)
        return self.post(url, data=form, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def make_user(app):
    """make_user("leader", email=..., two_factor=True) -> a committed staff account."""
    from caseapp.security import two_factor as tf
    from caseapp.security.accounts import create_user

    counter = iter(range(1, 10_000))

    def make(
        *roles: str,
        email: str | None = None,
        name: str | None = None,
        two_factor: bool | None = None,
        password: str = PASSWORD,
    ):
        with app.app_context():
            user = create_user(
                email or f"{'-'.join(roles) or 'none'}{next(counter)}@test.dk",
                name or "Test Person",
                list(roles),
                password,
            )
            db.session.flush()
            secret = None
            if two_factor if two_factor is not None else tf.requires_two_factor(user):
                secret = tf.new_secret()
                tf.enable(user, secret)
            db.session.commit()
            user_id, email_ = user.id, user.email
        return StaffRef(user_id, email_, secret, password)

    return make


class StaffRef:
    """What a test needs of a staff account outside an app context."""

    def __init__(self, id: int, email: str, totp_secret: str | None, password: str):
        self.id, self.email, self.totp_secret, self.password = id, email, totp_secret, password

    def totp(self) -> str:
        return pyotp.TOTP(self.totp_secret).now()


def log_in(client: Client, staff: StaffRef) -> None:
    response = client.submit("/login", {"email": staff.email, "password": staff.password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    if staff.totp_secret:
        response = client.submit("/login/2fa", {"code": staff.totp()})
        assert response.status_code == 302 and response.location.endswith("/"), "2FA step failed"


@pytest.fixture
def login_as(client, make_user):
    """login_as("social_worker") -> the StaffRef, logged in on `client` (2FA done where required)."""

    def login(*roles: str, **kwargs) -> StaffRef:
        staff = make_user(*roles, **kwargs)
        log_in(client, staff)
        return staff

    return login


@pytest.fixture
def api_token(app):
    """api_token(staff) -> a bearer token for the staff member."""
    from caseapp.models.users import User
    from caseapp.security.tokens import issue_token

    def issue(staff: StaffRef, days: int = 30) -> str:
        with app.app_context():
            _token, secret = issue_token(db.session.get(User, staff.id), "test", days)
            db.session.commit()
        return secret

    return issue


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class QueryLog:
    """The SQL statements and commits the app's engine ran while a `count_queries()` block ran."""

    def __init__(self):
        self.statements: list[str] = []
        self.commits = 0

    def __len__(self) -> int:
        return len(self.statements)

    def within(self, budget: int, what: str) -> None:
        """Fail, listing the statements, when more than `budget` ran (an N+1 shows here)."""
        listing = "\n".join(f"  {n}. {' '.join(s.split())[:200]}" for n, s in enumerate(self.statements, 1))
        assert len(self.statements) <= budget, (
            f"{what}: {len(self.statements)} SQL statements, budget {budget}:\n{listing}"
        )


@pytest.fixture
def count_queries(app):
    """with count_queries() as log: client.get(...) -> log.statements, log.commits; log.within(budget, what).

    A budget per page and API route makes a later change that adds a query per row fail a test."""
    with app.app_context():
        engine = db.engine

    @contextmanager
    def counting():
        log = QueryLog()

        def on_execute(_conn, _cursor, statement, *_args):
            log.statements.append(statement)

        def on_commit(_conn):
            log.commits += 1

        event.listen(engine, "before_cursor_execute", on_execute)
        event.listen(engine, "commit", on_commit)
        try:
            yield log
        finally:
            event.remove(engine, "before_cursor_execute", on_execute)
            event.remove(engine, "commit", on_commit)

    return counting


@pytest.fixture
def postgres_database():
    """postgres_database("label") -> the URL of a new, empty PostgreSQL database on the test server
    (CASEAPP_TEST_POSTGRES_URL), dropped after the test."""
    from tests.run_suites import connect, postgres_admin_url, with_database

    admin, made = postgres_admin_url(), []

    def make(label: str) -> str:
        name = f"caseapp_{label}_{os.getpid()}_{len(made)}"
        with connect(admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return with_database(admin, name)

    yield make
    with connect(admin) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
