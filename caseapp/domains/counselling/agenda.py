"""Counselling's contribution to "My week" (Domain.agenda): follow-ups agreed at sessions, open agreed
actions' deadlines (overdue ones too) in the user's own cases, and parent-group meetings they hold."""

from __future__ import annotations

import uuid
from datetime import date

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caseapp.clock import local_today
from caseapp.domain import AgendaItem
from caseapp.domains.counselling.access import assigned_cases, works_cases
from caseapp.domains.counselling.models import CounsellingCase, CounsellingSession, GroupSession, SessionAction
from caseapp.domains.counselling.queries import audit_list


def agenda(user, start: date, end: date) -> list[AgendaItem]:
    if not works_cases(user):
        return []
    today = local_today()
    cases = db_scalars(
        assigned_cases(user).where(CounsellingCase.status == "open").options(selectinload(CounsellingCase.person))
    )
    by_id = {c.id: c for c in cases}
    items: list[AgendaItem] = []
    if by_id:
        latest: dict[uuid.UUID, date | None] = {}
        for case_id, follow_up in db_execute(
            select(CounsellingSession.case_id, CounsellingSession.next_follow_up)
            .where(CounsellingSession.case_id.in_(list(by_id)))
            .order_by(CounsellingSession.held_on.desc(), CounsellingSession.created_at.desc())
        ):
            latest.setdefault(case_id, follow_up)
        for case_id, day in latest.items():
            if day and (day <= end) and (day >= start or day < today):
                case = by_id[case_id]
                items.append(
                    AgendaItem(
                        day=day,
                        label=case.person.full_name,
                        kind=_l("Counselling follow-up"),
                        url=url_for("counselling.case", case_id=case.id),
                        overdue=day < today,
                    )
                )
        for action in db_scalars(
            select(SessionAction).where(
                SessionAction.case_id.in_(list(by_id)),
                SessionAction.status == "open",
                SessionAction.due_on.is_not(None),
                SessionAction.due_on <= end,
            )
        ):
            if action.due_on >= start or action.due_on < today:
                case = by_id[action.case_id]
                items.append(
                    AgendaItem(
                        day=action.due_on,
                        label=case.person.full_name,
                        kind=_l("Agreed action deadline"),
                        url=url_for("counselling.case", case_id=case.id),
                        overdue=action.due_on < today,
                    )
                )
    for group in db_scalars(
        select(GroupSession).where(
            GroupSession.created_by_id == user.id, GroupSession.held_on >= start, GroupSession.held_on <= end
        )
    ):
        items.append(
            AgendaItem(
                day=group.held_on,
                label=group.title,
                kind=_l("Parent group"),
                url=url_for("counselling.group", group_id=group.id),
            )
        )
    if by_id:
        audit_list("agenda", actor=user, items=len(items))
    return items


def db_scalars(query):
    from caseapp.extensions import db

    return db.session.scalars(query).all()


def db_execute(query):
    from caseapp.extensions import db

    return db.session.execute(query)
