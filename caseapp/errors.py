"""The one error family, mapped once for pages and the API (DESIGN §3), and error pages in both languages
without personal data.

A verb refuses with one of these and writes nothing (the request's transaction rolls back):
InvalidInput 422 with field messages · Refused 422 with the rule's reason · NotPermitted 403 ·
NotFound 404 · Conflict 409 (a stale version). Pages catch them to show the form again; anything
uncaught becomes the same status here, as a page or as `{"error": {...}}`.
"""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from caseapp.crypto.fields import UnreadableRecord

log = logging.getLogger("caseapp.errors")

API_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


class DomainError(Exception):
    """A verb's refusal: status, a message for people, and per-field messages. Nothing was written."""

    status = 422
    code = "invalid"
    default_message = _l("Some fields are not valid")

    def __init__(self, message=None, fields: dict | None = None):
        # Messages stay lazy (translated when shown: English in the API, the user's language on pages).
        super().__init__(message or self.default_message)
        self._message = message
        self.fields = dict(fields or {})

    @property
    def message(self):
        return self._message or self.default_message


class InvalidInput(DomainError):
    """The input breaks a rule that needs the database (a form checks its shape): {field: message}.

    Pages attach the messages to the form's fields; the API answers 422 with them.
    """

    def __init__(self, fields: dict | None = None, message=None):
        super().__init__(message, fields)


class Refused(DomainError):
    """A rule refuses the action as a whole (a state, a legal duty): 422 with its reason(s)."""

    code = "refused"

    def __init__(self, *reasons, fields: dict | None = None):
        super().__init__(reasons[0] if reasons else None, fields)
        self.reasons = list(reasons)

    @property
    def message(self):
        return " ".join(str(r) for r in self.reasons) if self.reasons else self.default_message


class NotPermitted(DomainError):
    """The user's role or relation to the record does not allow this action."""

    status, code, default_message = 403, "forbidden", _l("Your role may not do this")


class NotFound(DomainError):
    """Missing, or not visible to the user: the same answer, so nothing's existence is confirmed."""

    status, code, default_message = 404, "not_found", _l("Not found")


class Conflict(DomainError):
    """The record changed since the user read it (a stale version); nothing was overwritten."""

    status, code, default_message = 409, "conflict", _l("The record was changed since you read it; read it again")


class ApiError(Exception):
    """An API answer other than success: status, code, message and per-field messages."""

    def __init__(self, status: int, message: str, fields: dict | None = None, code: str | None = None):
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields or {}
        self.code = code or API_CODES.get(status, "error")


def api_error_response(status: int, message: str, fields: dict | None = None, code: str | None = None):
    body = {"error": {"code": code or API_CODES.get(status, "error"), "message": message, "fields": fields or {}}}
    return jsonify(body), status


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Please go back and try again.")),
        401: (_("Please log in"), _("You need to log in to see this page.")),
        403: (_("Not allowed"), _("Your role does not give access to this page.")),
        404: (_("Not found"), _("The page does not exist, or you do not have access to it.")),
        405: (_("Not allowed"), _("This action is not possible here.")),
        409: (_("Changed by someone else"), _("The record was changed while you worked on it.")),
        413: (_("Too much data"), _("The request was larger than this application accepts. Nothing was saved.")),
        422: (_("Not possible"), _("The action could not be carried out.")),
        429: (_("Too many attempts"), _("Please wait a moment and try again.")),
        503: (_("The database does not answer"), _("Nothing was saved. Please try again in a moment.")),
        500: (_("Something went wrong"), _("The error has been logged. Nothing was saved. Please try again.")),
    }


def _is_api() -> bool:
    return request.path.startswith("/api/")


def domain_error_response(exc: DomainError):
    """The JSON answer for a refusal: messages in English, as the API documents them."""
    from flask_babel import force_locale

    with force_locale("en"):
        fields = {name: str(message) for name, message in exc.fields.items()}
        return api_error_response(exc.status, str(exc.message), fields, exc.code)


def database_unavailable(exc):
    """The database went away (restart, network, full disk): 503 and nothing saved, not a 500.
    The pool's pre-ping replaces dead connections, so the first request after it is back succeeds."""
    from flask import current_app
    from flask_login import AnonymousUserMixin

    from caseapp.extensions import db

    log.warning(
        "database unavailable: %s in %s (request %s)",
        type(getattr(exc, "orig", exc)).__name__,
        request.endpoint,
        g.get("request_id"),
    )
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; closing returns it to the pool, which drops it
        db.session.close()
    # The page is drawn as for a visitor: looking up the user would ask the database again.
    g._login_user = AnonymousUserMixin()
    if _is_api():
        response = api_error_response(503, "The database does not answer; nothing was saved. Try again shortly.")
    else:
        title, message = _messages()[503]
        response = render_template("error.html", status=503, title=title, message=message), 503
    response = current_app.make_response(response)
    response.headers["Retry-After"] = "5"
    return response


def domain_error_answer(exc: DomainError):
    """A refusal's answer: JSON for the API, the error page for people."""
    if _is_api():
        return domain_error_response(exc)
    title, message = _messages().get(exc.status, _messages()[400])
    return render_template("error.html", status=exc.status, title=title, message=str(exc.message)), exc.status


def init_app(app: Flask) -> None:
    from sqlalchemy.orm.exc import StaleDataError

    from caseapp.models.base import StaleVersion

    app.register_error_handler(DomainError, domain_error_answer)

    @app.errorhandler(StaleVersion)
    @app.errorhandler(StaleDataError)
    def handle_stale(exc):
        return domain_error_answer(Conflict())

    @app.errorhandler(ApiError)
    def handle_api_error(exc: ApiError):
        return api_error_response(exc.status, exc.message, exc.fields, exc.code)

    @app.errorhandler(UnreadableRecord)
    def handle_unreadable(exc: UnreadableRecord):
        # 409, not 500: the server works; this one stored record does not (and says which, for the operator).
        if _is_api():
            return api_error_response(
                409,
                f"The record cannot be read: it failed its integrity check "
                f"(reference {exc.reference} for the operator)",
                code="unreadable",
            )
        return render_template(
            "error.html",
            status=409,
            title=_("This record cannot be read"),
            message=_(
                "Its stored data failed the integrity check, so nothing of it is shown. "
                "The operator has been told; give them the reference %(reference)s.",
                reference=exc.reference,
            ),
        ), 409

    @app.errorhandler(IntegrityError)
    def handle_integrity(exc):
        # Two requests raced for one unique record (the same mark sent twice at once): the loser is told
        # to read again, as for a stale version; the constraint kept the data whole.
        from caseapp.extensions import db

        db.session.rollback()
        log.warning("integrity conflict in %s (request %s)", request.endpoint, g.get("request_id"))
        return domain_error_answer(Conflict())

    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(InterfaceError, database_unavailable)

    @app.errorhandler(CSRFError)
    def handle_csrf(exc: CSRFError):
        if _is_api():
            return api_error_response(400, "CSRF token missing or invalid")
        return render_template(
            "error.html",
            status=400,
            title=_("The form expired"),
            message=_(
                "The form was too old or was not sent from this site. Please go back, reload the page and try again."
            ),
        ), 400

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        status = exc.code or 500
        if _is_api():
            return api_error_response(status, exc.description if status != 404 else "Not found")
        if status == 401:
            from flask import redirect, url_for

            return redirect(url_for("auth.login"))
        title, message = _messages().get(status, (exc.name, exc.description))
        return render_template("error.html", status=status, title=title, message=message), status

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        if app.testing and not app.config.get("TEST_ERROR_PAGES"):
            raise exc  # tests see the real traceback
        # Type and request id only: the exception text may contain values.
        log.error(
            "unhandled %s in %s (request %s)",
            type(exc).__name__,
            request.endpoint,
            g.get("request_id"),
            exc_info=app.debug,
        )
        from caseapp.extensions import db

        db.session.rollback()
        if _is_api():
            return api_error_response(500, "Internal error; nothing was saved")
        title, message = _messages()[500]
        return render_template("error.html", status=500, title=title, message=message), 500
