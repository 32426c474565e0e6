"""The plan (helhedsplanen) as data: funding periods, themes, municipal goals, the strategic agreement,
delaftaler (versioned), delmål and targets, and the tagging every domain uses (`caseapp.plan.tagging`).

Shared machinery, not a domain: domains import it; it imports no domain. Its pages (leaders manage,
the other roles that read reports read), its API under /api/v1/plan and its demo seeding are declared
here once, like a domain's.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain, NavEntry
from caseapp.security.permissions import Permission

bp = Blueprint(
    "plan", __name__, url_prefix="/plan", template_folder="templates", static_folder="static", static_url_path="/static"
)
api_bp = Blueprint("plan", __name__, url_prefix="/plan")

from caseapp.plan import api, demo, views  # noqa: E402,F401 (api and views add routes to the blueprints)

PART = Domain(
    name="plan",
    package=__name__,
    blueprint=bp,
    api=api_bp,
    navigation=(NavEntry("plan.index", _l("The plan"), Permission.PLAN_READ),),
    seeder=demo.seed,
)
