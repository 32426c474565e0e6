"""Staff account management for administrators. No resident data is reachable from here."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain, NavEntry
from caseapp.security.permissions import Permission

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

from caseapp.platform.admin import views  # noqa: E402,F401 (api and views add routes to the blueprints)

PART = Domain(
    name="admin",
    package=__name__,
    blueprint=bp,
    navigation=(NavEntry("admin.users", _l("Staff accounts"), Permission.STAFF_MANAGE),),
    landing_panels=(views.admin_panel,),
)
