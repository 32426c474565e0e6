"""The landing page: one page per role, assembled from the panels each domain contributes."""

from flask import Blueprint

bp = Blueprint("main", __name__, template_folder="templates")

from caseapp.blueprints.main import views  # noqa: E402,F401
