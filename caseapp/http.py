"""Per-request plumbing: request id, the two-factor gate, security headers and the access log."""

from __future__ import annotations

import logging
import time
import uuid
from urllib.parse import urlsplit

from flask import Flask, abort, g, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from caseapp.navigation import navigation_for
from caseapp.security.permissions import Permission, can
from caseapp.security.two_factor import requires_two_factor
from caseapp.web import end_transaction

log = logging.getLogger("caseapp.request")

# Pages a logged-in user reaches before finishing two-factor authentication.
TWO_FACTOR_EXEMPT = {"auth.logout", "auth.two_factor", "auth.two_factor_setup", "auth.set_language", "static"}

# Responses with nothing personal in them, which browsers may keep: files, and the charts' shared style.
CACHEABLE_ENDPOINTS = {"static", "main.chart_stylesheet"}

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    app.before_request(start_request)
    app.before_request(refuse_nul_characters)
    app.before_request(two_factor_gate)
    app.after_request(security_headers)
    app.after_request(log_request)
    app.after_request(end_transaction)  # registered last, so it runs first (caseapp/web.py)
    app.context_processor(layout_context)


def start_request() -> None:
    g.request_id = str(uuid.uuid4())
    g.started = time.perf_counter()


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def refuse_nul_characters():
    """PostgreSQL cannot store the NUL character in text (SQLite can): a request carrying one is refused
    before any form reads it, alike on both databases, instead of failing at the database."""
    texts = [v for _key, values in request.args.lists() for v in values]
    texts += [v for _key, values in request.form.lists() for v in values]
    if request.is_json:
        texts += list(_strings(request.get_json(silent=True)))
    if any("\x00" in text for text in texts):
        from caseapp.errors import api_error_response

        message = "Text must not contain the NUL character (U+0000)."
        return api_error_response(400, message) if request.path.startswith("/api/") else abort(400)
    return None


def two_factor_gate():
    """Users who must use 2FA see nothing else until they have enrolled and passed it this session."""
    # The API takes bearer tokens, which only a user past this gate can create.
    if request.endpoint in TWO_FACTOR_EXEMPT or request.path.startswith("/api/") or not current_user.is_authenticated:
        return None
    user_session = g.get("user_session")
    if current_user.totp_enabled_at is not None:
        if user_session is None or user_session.two_factor_at is None:
            return redirect(url_for("auth.two_factor"))
    elif requires_two_factor(current_user):
        return redirect(url_for("auth.two_factor_setup"))
    return None


def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = "DENY"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        # Pages may show personal data: never keep them in a shared or browser cache.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    if response.headers.get("X-Request-Id") is None and g.get("request_id"):
        headers["X-Request-Id"] = g.request_id
    from flask import current_app

    if current_app.config.get("HSTS"):
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response


def log_request(response):
    # Endpoint names only: URLs and forms may carry values we must not log.
    if request.endpoint != "static":
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        log.info(
            "%s %s %s %d %.1fms", g.get("request_id"), request.method, request.endpoint, response.status_code, elapsed
        )
    return response


def local_path(target: str | None) -> str | None:
    r"""`target` if it is a path on this application, else None: never a redirect to another site.

    Browsers drop tabs and newlines and read a backslash as a slash, so "/<tab>/evil.example" or
    "/\evil.example" would leave the site: any control character, space or backslash refuses it.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ord(ch) <= 0x20 or ch in "\\\x7f" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def layout_context() -> dict:
    return {
        "navigation": _navigation(),
        "can": can,
        "Permission": Permission,
        "get_locale": get_locale,
        "url_exists": _url_exists,
        "dkfds_version": dkfds_version(),
    }


def _navigation() -> list:
    """The user's navigation, built once per request and user: every template a page renders runs the
    context processors, and the landing and person pages render each panel and section as one."""
    user = current_user
    if not getattr(user, "is_authenticated", False) or _gated():
        return []
    key = (user.get_id(), request.endpoint)
    built = g.get("navigation")
    if built is None or built[0] != key:
        built = g.navigation = (key, navigation_for(user, request.endpoint))
    return built[1]


def _url_exists(endpoint: str) -> bool:
    from flask import current_app

    return endpoint in current_app.view_functions


_DKFDS_VERSION: list[str] = []


def dkfds_version() -> str:
    """The vendored design system's version (caseapp/static/dkfds/VERSION, written by `make dkfds`)."""
    if not _DKFDS_VERSION:
        from pathlib import Path

        path = Path(__file__).resolve().parent / "static" / "dkfds" / "VERSION"
        _DKFDS_VERSION.append(path.read_text().strip() if path.exists() else "")
    return _DKFDS_VERSION[0]


def _gated() -> bool:
    user_session = g.get("user_session")
    if current_user.totp_enabled_at is not None:
        return user_session is None or user_session.two_factor_at is None
    return requires_two_factor(current_user)
