"""Each user's notifications, newest first; opening one marks it read; the header's unread count."""

from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select, update

from caseapp import audit
from caseapp.extensions import db
from caseapp.http import local_path
from caseapp.models.base import utcnow
from caseapp.platform.notifications import bp
from caseapp.platform.notifications.models import Notification
from caseapp.platform.notifications.services import recount


@bp.app_context_processor
def _unread():
    if getattr(current_user, "is_authenticated", False):
        return {"unread_notifications": current_user.unread_notifications or 0}
    return {"unread_notifications": 0}


@bp.route("/")
@login_required
def index():
    query = (
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    page = db.paginate(query, per_page=25, max_per_page=100)
    audit.record("notification.list", object_type="notification", detail={"page": page.page})
    return render_template("notifications/index.html", page=page)


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_(notification_id):
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.flush()
        recount(current_user)
    return redirect(local_path(note.url) or url_for("notifications.index"))


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    current_user.unread_notifications = 0
    return redirect(url_for("notifications.index"))
