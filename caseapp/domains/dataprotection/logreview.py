"""Log review: each month leaders spot-check a sample of staff access to residents' data.

Unusual patterns come first: emergency (break-the-glass) use, one user opening many persons in a
day, access outside working hours; then a random but stable sample of ordinary access (the same
month always gives the same sample, chosen by a keyed hash of the event). The sample is stored
(`LogReviewItem`) so each item can be marked reviewed; building it again only adds new events.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import defaultdict
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from caseapp import audit
from caseapp.clock import local_today
from caseapp.domains.dataprotection.models import REVIEW_OUTCOMES, BreakGlassGrant, LogReviewItem
from caseapp.errors import InvalidInput, Refused
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.base import utcnow
from caseapp.platform.notifications import notify_role

MANY_PERSONS = 20  # distinct persons opened by one user in one day
WORK_HOURS = (time(7, 0), time(19, 0))  # local time, Monday to Friday
SAMPLE_SIZE = 20
MAX_PER_PATTERN = 50
# Shown in this order.
PATTERNS = {
    "break_glass": _l("Emergency access (break the glass)"),
    "many_persons": _l("Many persons opened by one user in a day"),
    "out_of_hours": _l("Access outside working hours"),
    "sample": _l("Random sample"),
}


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def parse_month(text: str | None) -> str | None:
    try:
        return datetime.strptime(text or "", "%Y-%m").strftime("%Y-%m")
    except ValueError:
        return None


def default_month() -> str:
    """The month just ended: the one to review now."""
    today = local_today()
    return (date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)).strftime("%Y-%m")


def recent_months(count: int = 12) -> list[str]:
    today = local_today()
    months, y, m = [], today.year, today.month
    for _ in range(count):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return months


def _bounds(month: str) -> tuple[datetime, datetime]:
    """The month's local start and end as naive UTC (how audit times are stored)."""
    year, mon = int(month[:4]), int(month[5:])
    nxt = date(year + 1, 1, 1) if mon == 12 else date(year, mon + 1, 1)

    def utc(day: date) -> datetime:
        return datetime.combine(day, time.min, _zone()).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

    return utc(date(year, mon, 1)), utc(nxt)


def _local(at: datetime) -> datetime:
    return at.replace(tzinfo=ZoneInfo("UTC")).astimezone(_zone())


def out_of_hours(at: datetime) -> bool:
    local = _local(at)
    return local.weekday() >= 5 or not (WORK_HOURS[0] <= local.time() < WORK_HOURS[1])


def _sample_key(month: str, seq: int) -> str:
    key = current_app.extensions["caseapp.keyring"].audit_key
    return hmac.new(key, f"log-review|{month}|{seq}".encode(), hashlib.sha256).hexdigest()


def build_sample(month: str) -> int:
    """Find the month's unusual access and a stable random sample; store new items. Returns how many."""
    start, end = _bounds(month)
    events = db.session.execute(
        select(
            AuditEvent.seq,
            AuditEvent.at,
            AuditEvent.actor_id,
            AuditEvent.action,
            AuditEvent.subject_id,
            AuditEvent.purpose,
        )
        .where(
            AuditEvent.at >= start,
            AuditEvent.at < end,
            AuditEvent.actor_id.is_not(None),
            AuditEvent.subject_id.is_not(None),
        )
        .order_by(AuditEvent.seq)
    ).all()
    grants = db.session.execute(
        select(
            BreakGlassGrant.user_id,
            BreakGlassGrant.person_id,
            BreakGlassGrant.granted_at,
            BreakGlassGrant.expires_at,
            BreakGlassGrant.ended_at,
        ).where(BreakGlassGrant.granted_at < end, BreakGlassGrant.expires_at >= start)
    ).all()
    windows = defaultdict(list)
    for user_id, person_id, granted_at, expires_at, ended_at in grants:
        windows[(user_id, str(person_id))].append((granted_at, min(expires_at, ended_at or expires_at)))

    picked: dict[int, tuple[str, int, dict]] = {}

    def pick(seq, pattern, rank, detail=None):
        if seq not in picked:
            picked[seq] = (pattern, rank, detail or {})

    by_day = defaultdict(list)
    for e in events:
        in_grant = any(a <= e.at <= b for a, b in windows.get((e.actor_id, e.subject_id), ()))
        if e.action.startswith("breakglass.") or e.purpose == "break_glass" or in_grant:
            pick(e.seq, "break_glass", e.seq)
        by_day[(e.actor_id, _local(e.at).date())].append(e)
    busy = []
    for (_actor, day), day_events in by_day.items():
        persons = {e.subject_id for e in day_events}
        if len(persons) > MANY_PERSONS:
            busy.append(
                (
                    -len(persons),
                    day_events[0].seq,
                    {"persons": len(persons), "events": len(day_events), "date": day.isoformat()},
                )
            )
    for rank, seq, detail in sorted(busy)[:MAX_PER_PATTERN]:
        pick(seq, "many_persons", rank, detail)
    late = [e for e in events if out_of_hours(e.at)]
    for e in late[:MAX_PER_PATTERN]:
        pick(e.seq, "out_of_hours", e.seq)
    ordinary = sorted((e for e in events if e.seq not in picked), key=lambda e: _sample_key(month, e.seq))
    for e in ordinary[:SAMPLE_SIZE]:
        pick(e.seq, "sample", e.seq)

    existing = set(db.session.scalars(select(LogReviewItem.audit_seq).where(LogReviewItem.month == month)))
    added = 0
    for seq, (pattern, rank, detail) in picked.items():
        if seq not in existing:
            db.session.add(
                LogReviewItem(
                    month=month, audit_seq=seq, pattern=pattern, rank=rank, detail=json.dumps(detail, sort_keys=True)
                )
            )
            added += 1
    db.session.flush()
    return added


def items_for(month: str) -> list[tuple[LogReviewItem, AuditEvent]]:
    order = {p: i for i, p in enumerate(PATTERNS)}
    rows = db.session.execute(
        select(LogReviewItem, AuditEvent)
        .join(AuditEvent, AuditEvent.seq == LogReviewItem.audit_seq)
        .where(LogReviewItem.month == month)
    ).all()
    return sorted(((i, e) for i, e in rows), key=lambda r: (order.get(r[0].pattern, 9), r[0].rank, r[0].audit_seq))


def progress(month: str) -> tuple[int, int]:
    """(reviewed, total) items of the month's sample."""
    total, done = db.session.execute(
        select(func.count(), func.count(LogReviewItem.reviewed_at)).where(LogReviewItem.month == month)
    ).one()
    return done or 0, total or 0


def draw_sample(month: str, actor=None) -> int:
    """Build (or extend) the month's sample; when it grew, the leaders (but the actor, who sees it) are told
    that it waits: the month only, never whose access. Returns how many items were added.
    Without an actor (the command line, cron) every leader is told and the drawing itself is audited."""
    added = build_sample(month)
    if added:
        notify_role(
            "leader",
            _l("A log-review sample for %(month)s waits for your review.", month=month),
            url_for("dataprotection.log_review", month=month),
            kind="logreview.sample",
            exclude=actor.id if actor is not None else None,
        )
    if actor is None:
        audit.record("logreview.sample", object_type="log_review", object_id=month, detail={"added": added})
    return added


def open_sample(month: str, actor) -> list[tuple[LogReviewItem, AuditEvent]]:
    """Build (or extend) the month's sample and return it, audited as a view of the audit log."""
    added = draw_sample(month, actor)
    audit.record("logreview.view", object_type="log_review", object_id=month, actor=actor, detail={"added": added})
    return items_for(month)


def mark_reviewed(item: LogReviewItem, outcome: str, actor) -> None:
    if outcome not in REVIEW_OUTCOMES:
        raise InvalidInput({"outcome": str(_l("Choose the outcome of the review."))})
    event = db.session.get(AuditEvent, item.audit_seq)
    if event is not None and event.actor_id == actor.id:
        raise Refused(_l("Your own access must be reviewed by another leader."))
    item.reviewed_at, item.reviewed_by_id, item.outcome = utcnow(), actor.id, outcome
    db.session.flush()
    audit.record(
        "logreview.mark",
        object_type="log_review_item",
        object_id=item.id,
        actor=actor,
        detail={"outcome": outcome, "pattern": item.pattern, "month": item.month},
    )


def unreviewed_count(month: str | None = None) -> int:
    month = month or default_month()
    return (
        db.session.scalar(
            select(func.count())
            .select_from(LogReviewItem)
            .where(LogReviewItem.month == month, LogReviewItem.reviewed_at.is_(None))
        )
        or 0
    )


__all__ = [
    "PATTERNS",
    "build_sample",
    "default_month",
    "items_for",
    "mark_reviewed",
    "open_sample",
    "parse_month",
    "progress",
    "recent_months",
]
