"""Browse and filter the audit log: staff and residents by name, readable actions, formatted details."""

from datetime import datetime, time, timedelta

from flask import render_template, request
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from caseapp import audit
from caseapp.clock import local_today
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.users import User
from caseapp.platform.auditlog import bp
from caseapp.platform.auditlog.forms import AuditFilterForm
from caseapp.platform.auditlog.labels import action_label, detail_items, object_label
from caseapp.security.permissions import Permission, can, require

# Actions offered in the filter: the areas and the codes in use (the filter matches a code or its prefix).
_ACTION_PREFIXES = (
    "person",
    "household",
    "assignment",
    "concern",
    "counselling",
    "consent",
    "breakglass",
    "erasure",
    "retention",
    "logreview",
    "plan",
    "user",
    "token",
    "keys",
    "login",
    "audit",
)


def _action_choices() -> list[tuple[str, str]]:
    codes = db.session.scalars(select(AuditEvent.action).distinct().limit(500)).all()
    areas = sorted({c.split(".")[0] for c in codes} | set(_ACTION_PREFIXES))
    pairs = [(a + ".", gettext("%(area)s (all)", area=action_label(a))) for a in areas]
    pairs += sorted(((c, action_label(c)) for c in codes), key=lambda p: p[1].lower())
    return pairs


def _period(code: str):
    today = local_today()
    if code == "today":
        return today, today
    if code == "week":
        start = today - timedelta(days=today.weekday())
        return start, start + timedelta(days=6)
    if code == "month":
        start = today.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return start, end
    return None, None


@bp.route("/")
@login_required
@require(Permission.AUDIT_READ)
def index():
    staff = db.session.execute(select(User.id, User.name).order_by(User.name)).all()
    form = AuditFilterForm(request.args, staff=staff, actions=_action_choices())
    query = select(AuditEvent).order_by(AuditEvent.seq.desc())
    filters = {}
    status = 200
    if not form.validate():
        # An invalid filter lists nothing: never the unfiltered log under a message.
        status = 422
        query = query.where(False)
    else:
        if form.actor.data:
            query = query.where(AuditEvent.actor_id == int(form.actor.data))
            filters["actor"] = True
        if form.action.data:
            query = query.where(AuditEvent.action.startswith(form.action.data))
            filters["action"] = True
        if form.subject.data:
            query = query.where(AuditEvent.subject_id == form.subject.data.strip())
            filters["subject"] = True
        start, end = _period(form.period.data or "")
        start, end = form.date_from.data or start, form.date_to.data or end
        if start:
            query = query.where(AuditEvent.at >= datetime.combine(start, time.min))
            filters["date_from"] = True
        if end:
            query = query.where(AuditEvent.at <= datetime.combine(end, time.max))
            filters["date_to"] = True
    page = db.paginate(query, per_page=50)
    names = dict(staff)
    residents = _resident_names({e.subject_id for e in page.items if e.subject_id})
    audit.record("audit.list", object_type="audit_event", detail={"filters": sorted(filters), "page": page.page})
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    rows = [(e, action_label(e.action), object_label(e.object_type), detail_items(e.detail)) for e in page.items]
    return render_template(
        "auditlog/index.html", form=form, page=page, actors=names, rows=rows, args=args, residents=residents
    ), status


def _resident_names(ids) -> dict[str, str]:
    """Names of the residents in the page's events, as far as the reader may read them (an
    administrator reads no resident: ids only); reading them is itself audited."""
    if not ids or not can(current_user, Permission.PEOPLE_READ):
        return {}
    from caseapp.models.base import parse_uuid
    from caseapp.register.models import Person, people_visible_to

    wanted = [u for u in (parse_uuid(i) for i in ids) if u]
    people = db.session.scalars(people_visible_to(current_user).where(Person.id.in_(wanted))).all()
    if people:
        audit.record(
            "person.list", object_type="person", purpose="audit", detail={"for": "audit_log", "count": len(people)}
        )
    return {str(p.id): p.full_name for p in people}
