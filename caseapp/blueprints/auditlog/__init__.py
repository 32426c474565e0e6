"""The audit log viewer for administrators and leaders."""

from flask import Blueprint

bp = Blueprint("auditlog", __name__, url_prefix="/audit", template_folder="templates")

from caseapp.blueprints.auditlog import views  # noqa: E402,F401
