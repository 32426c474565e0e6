"""The register's pages: residents and households, search, assignments; the person page links every domain."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain, NavEntry
from caseapp.security.permissions import Permission

bp = Blueprint("people", __name__, url_prefix="/people", template_folder="templates")
api_bp = Blueprint("people", __name__)

from caseapp.register import demo, services  # noqa: E402
from caseapp.register.pages import api, views  # noqa: E402,F401 (api and views add routes to the blueprints)

PART = Domain(
    name="people",
    package="caseapp.register",  # its tables, verbs and catalogue; the pages are this sub-package
    blueprint=bp,
    api=api_bp,
    navigation=(
        NavEntry("people.index", _l("Residents"), Permission.PEOPLE_READ),
        NavEntry("people.households", _l("Households"), Permission.PEOPLE_READ, section="people.household"),
    ),
    privacy=services.SOURCE,
    landing_panels=(views.caseload_panel,),
    seeder=demo.seed,
)
