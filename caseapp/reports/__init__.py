"""Funder reporting (issue 16): indicators tied to the plan's targets, computed once in SQL over the
measures every domain declares (`caseapp.domain.all_measures`), with breakdowns, small-cell suppression,
dashboards with charts and tables, exports, frozen reports and the funder's register figures.

Shared machinery, not a domain, declared once like the plan: it imports no domain (it reads their
measures), and takes part in erasure first so that erasing a person never changes a count.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain, NavEntry
from caseapp.security.permissions import Permission

bp = Blueprint(
    "reports",
    __name__,
    url_prefix="/reports",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
api_bp = Blueprint("reports", __name__, url_prefix="/reports")

from caseapp.reports import api, demo, privacy, views  # noqa: E402,F401 (api and views add routes to the blueprints)

PART = Domain(
    name="reports",
    package=__name__,
    blueprint=bp,
    api=api_bp,
    navigation=(NavEntry("reports.dashboard", _l("Reports"), Permission.REPORTS_READ),),
    privacy=privacy.SOURCE,
    landing_panels=(views.progress_panel,),
    landing_first_for=views.LANDING_ROLES,  # their landing page opens on the period's progress
    seeder=demo.seed,
    cli=(demo.cli,),
)
