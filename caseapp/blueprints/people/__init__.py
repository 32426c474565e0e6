"""Residents and households: register, search, assignments; the person page links every domain."""

from flask import Blueprint

bp = Blueprint("people", __name__, url_prefix="/people", template_folder="templates")

from caseapp.blueprints.people import api, views  # noqa: E402,F401
