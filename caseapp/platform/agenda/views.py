"""The week's agenda: overdue items first, then each day from Monday to Sunday."""

from datetime import date, timedelta

from flask import render_template, request
from flask_login import current_user, login_required

from caseapp import audit
from caseapp.clock import local_today
from caseapp.domain import domains
from caseapp.platform.agenda import bp


def agenda_items(user, start: date, end: date) -> list:
    items = []
    for domain in domains():
        for source in domain.agenda:
            items.extend(source(user, start, end) or ())
    return items


@bp.route("/")
@login_required
def week():
    today = local_today()
    try:
        offset = max(-52, min(52, int(request.args.get("offset", "0"))))
    except ValueError:
        offset = 0
    start = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
    end = start + timedelta(days=6)
    items = agenda_items(current_user, start, end)
    overdue = sorted((i for i in items if i.overdue), key=lambda i: (i.day, str(i.label)))
    days = [(start + timedelta(days=n), []) for n in range(7)]
    for item in sorted((i for i in items if not i.overdue), key=lambda i: (i.day, str(i.label))):
        if start <= item.day <= end:
            days[(item.day - start).days][1].append(item)
    audit.record("agenda.view", object_type="agenda", detail={"items": len(items), "offset": offset})
    return render_template(
        "agenda/week.html", overdue=overdue, days=days, today=today, start=start, end=end, offset=offset
    )
