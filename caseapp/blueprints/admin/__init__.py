"""Staff account management for administrators. No resident data is reachable from here."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

from caseapp.blueprints.admin import views  # noqa: E402,F401
