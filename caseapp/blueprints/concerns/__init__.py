"""Crime-prevention concerns (SSP): filing, triage, sharing with police liaisons, notifications."""

from flask import Blueprint

bp = Blueprint("concerns", __name__, url_prefix="/concerns", template_folder="templates")

from caseapp.blueprints.concerns import api, views  # noqa: E402,F401
