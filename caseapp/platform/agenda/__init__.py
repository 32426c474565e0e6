"""My week: one agenda per user of what is due, read from every domain's `Domain.agenda` callables
(user, start, end) -> [AgendaItem], by day, with what is overdue first."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain, NavEntry

bp = Blueprint("agenda", __name__, url_prefix="/week", template_folder="templates")

from caseapp.platform.agenda import views  # noqa: E402,F401

PART = Domain(name="agenda", package=__name__, blueprint=bp, navigation=(NavEntry("agenda.week", _l("My week"), None),))
