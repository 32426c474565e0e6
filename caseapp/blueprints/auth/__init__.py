"""Logging in and out, two-factor authentication, password change, API tokens, language."""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

from caseapp.blueprints.auth import views  # noqa: E402,F401
