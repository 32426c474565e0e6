"""notify(): the one way to tell a staff member that something waits; unread counts; saved searches."""

from __future__ import annotations

import json
import secrets
import smtplib
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select, update

from caseapp import audit
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.models.users import User
from caseapp.platform.notifications.models import Notification, SavedSearch
from caseapp.security.accounts import active_staff_holding

SEARCH_LIFETIME = timedelta(minutes=30)


def notify(user_id: int, text, url: str | None = None, *, kind: str = "general") -> Notification:
    """Tell one staff member that something waits. `text` names no resident beyond what the recipient
    may see; a lazy string is rendered now in Danish and English, shown in the reader's language."""
    danish, english = rendered(text)
    note = Notification(user_id=user_id, kind=kind, text=danish, text_en=english, url=url)
    db.session.add(note)
    db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(unread_notifications=User.unread_notifications + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    audit.record(
        "notification.create",
        object_type="notification",
        object_id=note.id,
        detail={"kind": kind, "recipient": user_id},
    )
    _mail(user_id)
    return note


def rendered(text) -> tuple[str, str]:
    """A (lazy) message as a notification stores it: rendered in Danish and in English, cut to the column."""
    with force_locale("da"):
        danish = str(text)[:300]
    with force_locale("en"):
        english = str(text)[:300]
    return danish, english


def notify_role(role: str, text, url: str | None = None, *, kind: str = "general", exclude: int | None = None) -> int:
    """Notify every active staff member holding `role`; returns how many."""
    users = active_staff_holding(role)
    for user in users:
        if user.id != exclude:
            notify(user.id, text, url, kind=kind)
    return len(users)


def unread_count(user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def recount(user) -> None:
    """After marking read: the user's cached unread count from the rows themselves."""
    user.unread_notifications = unread_count(user.id)


def _mail(user_id: int) -> None:
    """The optional e-mail (NOTIFY_SMTP_HOST set): only that something waits, never who or what."""
    host = current_app.config.get("NOTIFY_SMTP_HOST")
    if not host:
        return
    user = db.session.get(User, user_id)
    if user is None or not user.email:
        return
    message = EmailMessage()
    message["From"] = current_app.config.get("NOTIFY_MAIL_FROM", "caseapp@localhost")
    message["To"] = user.email
    message["Subject"] = "caseapp"
    message.set_content("Der venter noget til dig i caseapp. / Something is waiting for you in caseapp.")
    try:
        with smtplib.SMTP(host, int(current_app.config.get("NOTIFY_SMTP_PORT", 25)), timeout=5) as smtp:
            smtp.send_message(message)
    except OSError:
        current_app.logger.warning("notification e-mail not sent (SMTP unreachable)")


# Saved searches -------------------------------------------------------------------------------------


def save_search(user, kind: str, person_ids) -> str:
    """Keep a search's result ids (never its terms) under an opaque id for SEARCH_LIFETIME."""
    old = utcnow() - SEARCH_LIFETIME
    db.session.execute(SavedSearch.__table__.delete().where(SavedSearch.created_at < old))
    sid = secrets.token_urlsafe(16)[:22]
    db.session.add(SavedSearch(id=sid, user_id=user.id, kind=kind, person_ids=json.dumps([str(p) for p in person_ids])))
    db.session.flush()
    return sid


def load_search(sid: str, user) -> tuple[str, list[str]] | None:
    """(kind, person ids) of the user's own search if it has not expired, else None."""
    saved = db.session.get(SavedSearch, sid)
    if saved is None or saved.user_id != user.id or saved.created_at < utcnow() - SEARCH_LIFETIME:
        return None
    return saved.kind, json.loads(saved.person_ids)
