"""Notifications in the app: `notify(user_id, text, url)` for any part or domain, each user's list with
its unread count in the header, marked read. The text names no resident beyond what the recipient may see
(callers write it; the safest is what happened and where, e.g. "A concern you filed changed status")."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain

bp = Blueprint("notifications", __name__, url_prefix="/notifications", template_folder="templates")

from caseapp.platform.notifications import privacy, views  # noqa: E402,F401
from caseapp.platform.notifications.models import Notification  # noqa: E402
from caseapp.platform.notifications.services import notify, notify_role, unread_count  # noqa: E402

PART = Domain(
    name="notifications",
    package=__name__,
    blueprint=bp,
    retention={privacy.RETENTION_KEY: privacy.DEFAULT_DAYS},  # read notifications: 90 days after reading
    privacy=privacy.SOURCE,
)

__all__ = ["Notification", "PART", "bp", "notify", "notify_role", "unread_count", "_l"]
