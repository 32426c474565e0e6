"""Notifications' part in data protection: retention of read notifications, and subject access and
erasure of the few that link to a resident's page.

A notification's text names no resident (notify() says so to its callers), but its link may carry a
resident's id (e.g. /people/<id>): those are what a subject access lists and an erasure deletes.
Read notifications are deleted once RETENTION["notifications_read"] has passed since they were read;
unread ones stay until read (they are the reminder).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from caseapp.extensions import db
from caseapp.platform.notifications.models import Notification
from caseapp.privacy import DisplayNames, ExpiredRecord, PersonalDataSource, retention_cutoff

RETENTION_KEY = "notifications_read"
DEFAULT_DAYS = 90

NAMES = DisplayNames(
    title=_l("Notifications to staff"),
    kinds={"notification": _l("Notification to a staff member about you")},
    fields={"created_at": _l("Created"), "text": _l("Text")},
    objects={"notification": _l("Notification")},
)


def _about(person_id: uuid.UUID):
    return Notification.url.contains(str(person_id))


def export_person(person_id: uuid.UUID) -> list[dict]:
    return [
        {"kind": "notification", "created_at": n.created_at.isoformat(), "text": n.text}
        for n in db.session.scalars(select(Notification).where(_about(person_id)).order_by(Notification.id))
    ]


def erase_person(person_id: uuid.UUID) -> dict[str, int]:
    return {"notifications": db.session.execute(delete(Notification).where(_about(person_id))).rowcount}


def _end_of(day: date) -> datetime:
    """The first instant after `day` in local time, as the naive UTC the table stores."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def expired(today: date) -> list[ExpiredRecord]:
    """Notifications read on or before the cutoff day."""
    cutoff = retention_cutoff(RETENTION_KEY, today)
    if cutoff is None:
        return []
    ids = db.session.scalars(
        select(Notification.id).where(Notification.read_at.is_not(None), Notification.read_at < _end_of(cutoff))
    )
    return [ExpiredRecord(RETENTION_KEY, "notification", str(nid)) for nid in ids]


def purge(record: ExpiredRecord) -> None:
    db.session.execute(delete(Notification).where(Notification.id == int(record.object_id)))
    db.session.flush()


SOURCE = PersonalDataSource(
    domain="notifications", names=NAMES, export=export_person, erase=erase_person, expired=expired, purge=purge
)
