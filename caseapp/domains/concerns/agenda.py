"""Concerns' contribution to "My week" (Domain.agenda): SSP actions the user owns and the duty-to-notify
deadlines the user holds, overdue ones too. Labels name no one: the concern's page does."""

from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from caseapp.clock import local_today
from caseapp.domain import AgendaItem
from caseapp.domains.concerns import labels as L
from caseapp.domains.concerns.models import Concern, ConcernAction, ConcernNotification
from caseapp.extensions import db


def agenda(user, start: date, end: date) -> list[AgendaItem]:
    today = local_today()
    items: list[AgendaItem] = []

    def wanted(day):
        return day is not None and day <= end and (day >= start or day < today)

    rows = db.session.execute(
        select(ConcernAction.due_on, Concern.id, Concern.category)
        .join(Concern, Concern.id == ConcernAction.concern_id)
        .where(ConcernAction.owner_id == user.id, ConcernAction.done_at.is_(None), ConcernAction.due_on <= end)
    )
    for due_on, concern_id, category in rows:
        if wanted(due_on):
            items.append(
                AgendaItem(
                    day=due_on,
                    label=str(L.CATEGORIES.get(category, category)),
                    kind=_l("Concern action deadline"),
                    url=url_for("concerns.show", concern_id=concern_id),
                    overdue=due_on < today,
                )
            )
    duties = db.session.execute(
        select(
            ConcernNotification.due_on,
            ConcernNotification.sent_at,
            ConcernNotification.acknowledge_due_on,
            ConcernNotification.acknowledged_at,
            Concern.id,
            Concern.category,
        )
        .join(Concern, Concern.id == ConcernNotification.concern_id)
        .where(ConcernNotification.duty_holder_id == user.id)
    )
    for due_on, sent_at, ack_due, ack_at, concern_id, category in duties:
        url = url_for("concerns.show", concern_id=concern_id)
        label = str(L.CATEGORIES.get(category, category))
        if sent_at is None and wanted(due_on):
            items.append(
                AgendaItem(day=due_on, label=label, kind=_l("Notify the municipality"), url=url, overdue=due_on < today)
            )
        elif sent_at is not None and ack_at is None and wanted(ack_due):
            items.append(
                AgendaItem(
                    day=ack_due,
                    label=label,
                    kind=_l("Municipality's acknowledgement due"),
                    url=url,
                    overdue=ack_due < today,
                )
            )
    return items
