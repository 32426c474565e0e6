"""The landing page: one page per role, assembled from the panels each domain contributes."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain, NavEntry

bp = Blueprint("main", __name__, template_folder="templates")

from caseapp.platform.main import views  # noqa: E402,F401 (api and views add routes to the blueprints)

PART = Domain(name="main", package=__name__, blueprint=bp, navigation=(NavEntry("main.index", _l("Overview"), None),))
