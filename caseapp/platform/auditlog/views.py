"""Browse and filter the audit log."""

from datetime import datetime, time, timedelta

from flask import render_template, request
from flask_login import login_required
from sqlalchemy import select

from caseapp import audit
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.users import User
from caseapp.platform.auditlog import bp
from caseapp.platform.auditlog.forms import AuditFilterForm
from caseapp.security.permissions import Permission, require


@bp.route("/")
@login_required
@require(Permission.AUDIT_READ)
def index():
    form = AuditFilterForm(request.args)
    query = select(AuditEvent).order_by(AuditEvent.seq.desc())
    filters = {}
    if form.validate():
        if form.actor.data:
            query = query.where(AuditEvent.actor_id == form.actor.data)
            filters["actor"] = True
        if form.action.data:
            query = query.where(AuditEvent.action.startswith(form.action.data.strip()))
            filters["action"] = True
        if form.subject.data:
            query = query.where(AuditEvent.subject_id == form.subject.data.strip())
            filters["subject"] = True
        if form.date_from.data:
            query = query.where(AuditEvent.at >= datetime.combine(form.date_from.data, time.min))
            filters["date_from"] = True
        if form.date_to.data:
            query = query.where(AuditEvent.at < datetime.combine(form.date_to.data + timedelta(days=1), time.min))
            filters["date_to"] = True
    page = db.paginate(query, per_page=50)
    actor_ids = {e.actor_id for e in page.items if e.actor_id}
    actors = {u.id: u.name for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))} if actor_ids else {}
    audit.record("audit.list", object_type="audit_event", detail={"filters": sorted(filters), "page": page.page})
    db.session.commit()
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("auditlog/index.html", form=form, page=page, actors=actors, args=args)
