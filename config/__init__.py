"""Settings classes for each environment, read from CASEAPP_* environment variables."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("CASEAPP_INSTANCE_DIR", PROJECT_ROOT / "instance"))


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message names it."""


def _validate_reports(config: dict) -> None:
    """Reports refuse a small-cell threshold under 3 and age bands they cannot read."""
    from caseapp.reports.bands import age_bands_from
    from caseapp.reports.suppression import threshold_from

    threshold_from(config)
    age_bands_from(config)


def _retention(defaults: dict[str, int], text: str) -> dict[str, int]:
    """Retention days per kind of record from CASEAPP_RETENTION="key=days,key=days"; the defaults are
    each domain's own (its `Domain.retention`), merged under these by the app factory."""
    periods = dict(defaults)
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, _, days = item.partition("=")
        if not days.strip().isdigit():
            raise ConfigError(f"CASEAPP_RETENTION: {item!r} is not key=days (a whole number of days)")
        periods[key.strip()] = int(days)
    return periods


def _whole_number(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ConfigError(f"{name}: {text!r} is not a whole number")
    return int(text)


class BaseConfig:
    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("CASEAPP_SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("CASEAPP_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'caseapp.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    KEYS_FILE = os.environ.get("CASEAPP_KEYS_FILE")
    REDIS_URL = os.environ.get("CASEAPP_REDIS_URL")
    # Optional e-mail for notifications (only "something waits for you", never who or what).
    NOTIFY_SMTP_HOST = os.environ.get("CASEAPP_NOTIFY_SMTP_HOST") or None
    NOTIFY_SMTP_PORT = int(os.environ.get("CASEAPP_NOTIFY_SMTP_PORT") or 25)
    NOTIFY_MAIL_FROM = os.environ.get("CASEAPP_NOTIFY_MAIL_FROM", "caseapp@localhost")
    ALLOW_SQLITE_IN_PRODUCTION = os.environ.get("CASEAPP_ALLOW_SQLITE") == "1"
    # Where `caseapp audit anchor` writes the chain's signed head: a file on another volume and/or
    # syslog (a Unix socket path such as /dev/log, or host:port over UDP). See the README.
    AUDIT_ANCHOR_FILE = os.environ.get("CASEAPP_AUDIT_ANCHOR_FILE") or None
    AUDIT_ANCHOR_SYSLOG = os.environ.get("CASEAPP_AUDIT_ANCHOR_SYSLOG") or None

    # Housing sections of the estate: the `area` of a person or activity.
    AREAS = tuple(
        a.strip()
        for a in os.environ.get(
            "CASEAPP_AREAS",
            "Bøgeparken,Egeparken,Fyrreparken,Granparken,Lærkeparken,Slåenparken,Birkeparken",
        ).split(",")
        if a.strip()
    )

    # Funder reporting: counts of 1..REPORTS_SMALL_CELL-1 persons are suppressed ("<5"); never below 3.
    REPORTS_SMALL_CELL = _whole_number("CASEAPP_REPORTS_SMALL_CELL", 5)
    # Age bands of the reports' breakdown (age at the end of the reported period): "low-high", the last "low-".
    REPORTS_AGE_BANDS = tuple(
        b.strip()
        for b in os.environ.get("CASEAPP_REPORTS_AGE_BANDS", "0-5,6-12,13-17,18-24,25-29,30-64,65-").split(",")
        if b.strip()
    )

    # Child-protection certificates (børneattest) of volunteers: renewal interval and reminder notice.
    COMMUNITY_VETTING_MONTHS = int(os.environ.get("CASEAPP_VETTING_MONTHS", "24"))
    COMMUNITY_VETTING_NOTICE_DAYS = int(os.environ.get("CASEAPP_VETTING_NOTICE_DAYS", "60"))

    SESSION_COOKIE_NAME = "caseapp_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    IDLE_TIMEOUT = timedelta(minutes=30)
    ABSOLUTE_TIMEOUT = timedelta(hours=12)
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK = timedelta(minutes=15)
    PASSWORD_MIN_LENGTH = 12
    TWO_FACTOR_ROLES = frozenset({"admin", "leader", "ssp", "police"})

    WTF_CSRF_TIME_LIMIT = None  # the session's own lifetime bounds the token
    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"
    LANGUAGES = ("da", "en")

    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    # Redis down: each worker counts in its own memory meanwhile (Flask-Limiter logs the switch and
    # the recovery), so login throttling never silently stops.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_RATE_LIMIT = "20 per minute"

    PER_PAGE = 25
    # The largest request body read (413 beyond it): forms and JSON bodies here are a few kilobytes.
    MAX_CONTENT_LENGTH = _whole_number("CASEAPP_MAX_CONTENT_LENGTH", 1024 * 1024)
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    # The app does not start with less free space than this (MB) where it writes (the SQLite database,
    # the audit anchor file): a full disk fails the start with a message, not the first save.
    MIN_FREE_DISK_MB = _whole_number("CASEAPP_MIN_FREE_DISK_MB", 64)
    HSTS = False
    DEMO_ACCOUNTS = False

    # How long each kind of record is kept after it ended, in days (ProcessingRecord.retention keys);
    # `caseapp retention purge` deletes what is older. A key left out here is kept until erased.
    RETENTION_OVERRIDES = _retention({}, os.environ.get("CASEAPP_RETENTION", ""))

    @classmethod
    def validate(cls, config: dict) -> None:
        """Refuse settings that cannot work; overridden per environment."""
        _validate_reports(config)


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"
    SECRET_KEY = BaseConfig.SECRET_KEY or "dev-only-not-secret"
    KEYS_FILE = BaseConfig.KEYS_FILE or str(INSTANCE_DIR / "keyring.json")
    GENERATE_KEYRING = True
    DEMO_ACCOUNTS = True


class TestingConfig(BaseConfig):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("CASEAPP_TEST_DATABASE_URL", "sqlite://")
    GENERATE_KEYRING = True
    # The limiter stays on (it can only be switched on at start-up) with a limit no test reaches;
    # the throttling test lowers it.
    LOGIN_RATE_LIMIT = "10000 per minute"
    WTF_CSRF_ENABLED = True
    # Cheap hashes keep the suite fast; production uses the library's recommended cost.
    ARGON2_PARAMS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    HSTS = True
    GENERATE_KEYRING = False

    @classmethod
    def validate(cls, config: dict) -> None:
        _validate_reports(config)
        if not config.get("SECRET_KEY") or len(config["SECRET_KEY"]) < 32:
            raise ConfigError("CASEAPP_SECRET_KEY must be set to at least 32 random characters in production")
        keys_file = config.get("KEYS_FILE")
        if not keys_file:
            raise ConfigError("CASEAPP_KEYS_FILE must name the keyring file in production")
        if not Path(keys_file).is_file():
            raise ConfigError(f"CASEAPP_KEYS_FILE: no keyring file at {keys_file}")
        uri = config.get("SQLALCHEMY_DATABASE_URI", "")
        if uri.startswith("sqlite") and not config.get("ALLOW_SQLITE_IN_PRODUCTION"):
            raise ConfigError(
                "CASEAPP_DATABASE_URL must point at PostgreSQL in production "
                "(set CASEAPP_ALLOW_SQLITE=1 to run a single-machine SQLite install on purpose)"
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(env_name: str | None = None) -> type[BaseConfig]:
    name = env_name or os.environ.get("CASEAPP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"CASEAPP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
