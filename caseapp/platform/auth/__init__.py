"""Logging in and out, two-factor authentication, password change, API tokens, language."""

from flask import Blueprint

from caseapp.domain import Domain

bp = Blueprint("auth", __name__, template_folder="templates")

from caseapp.platform.auth import views  # noqa: E402,F401 (api and views add routes to the blueprints)

PART = Domain(name="auth", package=__name__, blueprint=bp)
