"""caseapp: case and mentoring management for a social-housing master plan (boligsocial helhedsplan)."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import ConfigError, config_for


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(_instance_dir()), instance_relative_config=False)
    configure(app, overrides)
    configure_logging(app)
    register_extensions(app)
    register_keyring(app)
    register_converters(app)
    register_parts(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def _instance_dir() -> Path:
    from config import INSTANCE_DIR

    return INSTANCE_DIR


def configure(app: Flask, overrides: dict | None) -> None:
    overrides = dict(overrides or {})
    settings = config_for(overrides.pop("ENV", None))
    app.config.from_object(settings)
    app.config.update(overrides)
    settings.validate(app.config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgres://"):
        raise ConfigError("CASEAPP_DATABASE_URL: use the postgresql:// (or postgresql+psycopg://) scheme")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    check_free_space(app.config)


def check_free_space(config) -> None:
    """Refuse to start on a full disk where the app writes, naming the place and the setting."""
    import shutil

    places = []
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        places.append(Path(config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///") :]).parent)
    if config.get("AUDIT_ANCHOR_FILE"):
        places.append(Path(config["AUDIT_ANCHOR_FILE"]).parent)
    for place in places:
        if not place.is_dir():
            continue
        free_mb = shutil.disk_usage(place).free // (1024 * 1024)
        if free_mb < config["MIN_FREE_DISK_MB"]:
            raise ConfigError(
                f"the disk is full: {free_mb} MB free at {place}, less than the "
                f"{config['MIN_FREE_DISK_MB']} MB this app needs to start (CASEAPP_MIN_FREE_DISK_MB)"
            )


def configure_logging(app: Flask) -> None:
    """Log lines carry the request id, method, endpoint and status: never URLs' values or form data."""
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # werkzeug's access log prints full URLs; our own request log replaces it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def register_extensions(app: Flask) -> None:
    from caseapp.extensions import babel, csrf, db, limiter, login_manager, migrate
    from caseapp.i18n import select_locale, select_timezone, translation_directories

    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", translation_directories())

    db.init_app(app)
    from caseapp.crypto.fields import render_migration_type

    migrate.init_app(
        app,
        db,
        directory=str(migrations_directory()),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_type,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    from caseapp.wtforms_da import use_babel_for_wtforms

    use_babel_for_wtforms()  # WTForms has no Danish catalogue: its messages come from ours
    login_manager.init_app(app)
    from caseapp.security import login as security_login

    security_login.init_login_manager(login_manager)
    from caseapp.audit import register_hooks as register_audit_hooks
    from caseapp.crypto.fields import register_hooks

    register_hooks(db.Model)
    register_audit_hooks()


def migrations_directory() -> Path:
    """The Alembic scripts: inside an installed package (setup.py puts them there), else the checkout's."""
    package = Path(__file__).resolve().parent
    packaged = package / "migrations"
    return packaged if packaged.is_dir() else package.parent / "migrations"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL and synchronous=NORMAL make the audit insert cheap; foreign keys enforce cascades; temporary
    B-trees (a report's count(DISTINCT ...) and GROUP BY) in memory rather than a temp file."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()


def register_keyring(app: Flask) -> None:
    from caseapp.crypto.keyring import Keyring, KeyringError

    path = app.config.get("KEYS_FILE")
    if path and Path(path).is_file():
        try:
            ring = Keyring.load(path)
        except KeyringError as exc:  # unreadable or damaged: no start, and the message says why
            raise ConfigError(f"CASEAPP_KEYS_FILE ({path}): {exc}") from None
    elif app.config.get("GENERATE_KEYRING"):
        ring = Keyring.generate(Path(path) if path else None)
    else:
        raise ConfigError("CASEAPP_KEYS_FILE must name an existing keyring file")
    app.extensions["caseapp.keyring"] = ring


def register_parts(app: Flask) -> None:
    """The platform, the register and the domains, each from its one declaration, in one order."""
    from caseapp import platform
    from caseapp.domains import DOMAINS
    from caseapp.plan import PART as PLAN
    from caseapp.platform.api import make_blueprint
    from caseapp.register.pages import PART as REGISTER
    from caseapp.reports import PART as REPORTS

    leading, trailing = platform.parts()
    # The plan before the domains: they tag their work (and their demo data) to it. Reports after the
    # plan (its demo ties indicators to the plan's targets) and before the domains: erasure runs the
    # sources in this order, so reports copy a person's measure rows before any domain deletes them.
    parts = (*leading, REGISTER, PLAN, REPORTS, *DOMAINS, *trailing)
    app.extensions["caseapp.domains"] = parts
    for part in parts:
        if part.blueprint is not None:
            app.register_blueprint(part.blueprint)
    app.register_blueprint(make_blueprint(parts))
    # Retention: each domain's defaults, under the operator's CASEAPP_RETENTION (and a test's RETENTION).
    defaults = {key: days for part in parts for key, days in part.retention.items()}
    app.config["RETENTION"] = {
        **defaults,
        **app.config.get("RETENTION_OVERRIDES", {}),
        **app.config.get("RETENTION", {}),
    }


def register_converters(app: Flask) -> None:
    """Before any route is added: `<int:...>` matches only numbers the database can hold."""
    from caseapp.bounds import BoundedIntegerConverter

    app.url_map.converters["int"] = BoundedIntegerConverter


def register_request_hooks(app: Flask) -> None:
    from caseapp import http

    http.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from caseapp import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from caseapp.cli import register

    register(app)
