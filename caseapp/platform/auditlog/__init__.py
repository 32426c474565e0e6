"""The audit log viewer for administrators and leaders."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain, NavEntry
from caseapp.security.permissions import Permission

bp = Blueprint("auditlog", __name__, url_prefix="/audit", template_folder="templates")

from caseapp.platform.auditlog import views  # noqa: E402,F401 (api and views add routes to the blueprints)

PART = Domain(
    name="auditlog",
    package=__name__,
    blueprint=bp,
    navigation=(NavEntry("auditlog.index", _l("Audit log"), Permission.AUDIT_READ),),
)
