"""Concern pages: list, file, read (in full, as filer, or as a share's recipient), triage, actions,
shares, amendments, notifications and the chronology; landing-page alerts and the person-page section.

Every rule is in services.py; these views turn its answers into pages, keeping the user's input on errors.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import defer, selectinload

from caseapp import audit
from caseapp.bounds import query_int
from caseapp.crypto.fields import require_readable
from caseapp.domains.concerns import bp, services
from caseapp.domains.concerns import labels as L
from caseapp.domains.concerns import models as model
from caseapp.domains.concerns.forms import (
    YOUNG_UNTIL,
    ActionDoneForm,
    ActionForm,
    AmendForm,
    AssessmentForm,
    ConcernForm,
    EndShareForm,
    NotificationForm,
    ShareForm,
    TransitionForm,
)
from caseapp.extensions import db
from caseapp.forms import choices
from caseapp.register.models import NAME_COLUMNS, Person, people_visible_to
from caseapp.register.services import picker_rows
from caseapp.security.permissions import Permission, can, require
from caseapp.web import attempt, submit

P = Permission
PER_PAGE = 25


def labels() -> dict:
    """Display names of every code, for the templates."""
    return {
        "states": L.STATES,
        "severities": L.SEVERITIES,
        "categories": L.CATEGORIES,
        "sources": L.SOURCES,
        "outcomes": L.OUTCOMES,
        "recipients": L.RECIPIENTS,
        "bases": L.LEGAL_BASES,
        "parts": L.PARTS,
        "amendable": L.AMENDABLE,
        "elsewhere": model.ELSEWHERE,
        "elsewhere_label": L.AREA_ELSEWHERE,
    }


@bp.context_processor
def _labels():
    return {"labels": labels()}


@bp.before_request
@login_required
def _login_first():
    return None


def _concern_or_404(concern_id):
    found = services.get_concern(concern_id, current_user)
    if found is None:
        abort(404)
    require_readable(found[0])
    return found


STALE = _l(
    "Someone else changed this concern while you worked on it. Your input is below but not saved: "
    "check the concern and try again."
)


def _attempt(form, verb) -> int | None:
    return attempt(form, verb, stale_message=str(STALE))


def _submit(form, verb) -> int | None:
    return submit(form, verb, stale_message=str(STALE))


# Lists and filing ------------------------------------------------------------------------------------


@bp.route("/")
@require(P.CONCERNS_READ)
def index():
    state = request.args.get("state") or None
    severity = request.args.get("severity") or None
    overdue = request.args.get("notification") == "overdue"
    # Of the encrypted fields the list shows only the person's name and birth date: the rest stays sealed.
    query = services.list_query(current_user, state=state, severity=severity, overdue=overdue).options(
        defer(model.Concern.summary),
        defer(model.Concern.description),
        selectinload(model.Concern.person).load_only(*NAME_COLUMNS, Person.birth_date),
    )
    page = db.paginate(
        query,
        per_page=PER_PAGE,
        max_per_page=100,
    )
    rows = services.audit_list(current_user, page.items, page.page)
    args = {
        k: v
        for k, v in {"state": state, "severity": severity, "notification": "overdue" if overdue else None}.items()
        if v
    }
    return render_template(
        "concerns/index.html",
        page=page,
        rows=rows,
        args=args,
        filters=not services.recipient_only(current_user),
        can_file=can(current_user, P.CONCERNS_FILE),
    )


def _people_choices() -> list[tuple[str, str, int | None, str | None]]:
    """The filer's own people (their caseload): id, name, age and housing section, for the person picker."""
    return picker_rows(db.session.scalars(people_visible_to(current_user).limit(500)).all())


@bp.route("/new", methods=["GET", "POST"])
@require(P.CONCERNS_FILE)
def create():
    people = _people_choices()
    form = ConcernForm(people=people)
    status = 200
    if request.method == "GET":
        form.person_id.data = request.args.get("person_id")
    else:
        filed = []
        status = _submit(form, lambda: filed.append(services.file_concern(form.concern_data(), current_user)))
        if status is None:
            flash(_("The concern is filed. SSP has been told."), "success")
            return redirect(url_for("concerns.show", concern_id=filed[0].id))
    # The form lists the filer's people by name: that is a read of them.
    audit.record(
        "person.list", object_type="person", purpose="concerns", detail={"count": len(people), "for": "concern_form"}
    )
    return render_template("concerns/new.html", form=form, people=people, age_max=YOUNG_UNTIL - 1), status


# One concern -----------------------------------------------------------------------------------------


def _render_show(concern_id, *, forms: dict | None = None, status: int = 200):
    concern, access = _concern_or_404(concern_id)
    services.audit_read(concern, access)
    forms = dict(forms or {})
    triage = access.full and can(current_user, P.CONCERNS_TRIAGE)
    if triage:
        forms.setdefault("transition", TransitionForm(formdata=None, version=concern.version))
        forms.setdefault("action", ActionForm(formdata=None, owners=services.action_owner_choices()))
        forms["transition"].to_state.choices = choices(
            ((s, L.STATES[s]) for s in concern.next_states(current_user)), blank=_("Choose…")
        )
    is_filer = access.level == services.FILER
    if concern.notification is None and (triage or is_filer):
        holders = _holder_choices(concern) if triage else [(str(current_user.id), current_user.name)]
        forms.setdefault("notification", NotificationForm(formdata=None, holders=holders))
    notes = services.transition_notes(concern) if access.shows("history") else []
    actions = concern.actions if access.shows("actions") else []
    shares = concern.shares if access.shows("shares") else []
    involved = [i.person for i in concern.involved] if access.shows("involved") else []
    notification = concern.notification if access.shows("notification") else None
    context = {
        "concern": concern,
        "access": access,
        "forms": forms,
        "notes": notes,
        "actions": actions,
        "shares": shares,
        "involved": involved,
        "notification": notification,
        "triage": triage,
        "next_states": concern.next_states(current_user) if triage else [],
        "can_amend_text": triage or is_filer,
        "can_record_notification": notification is not None
        and (triage or notification.duty_holder_id == current_user.id),
    }
    return render_template("concerns/show.html", **context), status


@bp.route("/<uuid:concern_id>")
@require(P.CONCERNS_READ)
def show(concern_id):
    return _render_show(concern_id)


def _holder_choices(concern):
    return [(str(u.id), u.name) for u in services.duty_holders(concern)]


@bp.route("/<uuid:concern_id>/transition", methods=["POST"])
@require(P.CONCERNS_TRIAGE)
def transition(concern_id):
    concern, _access = _concern_or_404(concern_id)
    form = TransitionForm()
    status = _submit(
        form,
        lambda: services.transition(
            concern, form.to_state.data, form.note.data, current_user, form.version.data, form.outcome.data or None
        ),
    )
    if status is None:
        flash(_("The concern has moved on."), "success")
        return redirect(url_for("concerns.show", concern_id=concern_id))
    if status == 409:  # let the user resubmit after reading what changed
        form.version.data = services.get_concern(concern_id, current_user)[0].version
    return _render_show(concern_id, forms={"transition": form}, status=status)


@bp.route("/<uuid:concern_id>/actions", methods=["POST"])
@require(P.CONCERNS_TRIAGE)
def add_action(concern_id):
    concern, _access = _concern_or_404(concern_id)
    form = ActionForm(owners=services.action_owner_choices())
    status = _submit(
        form, lambda: services.add_action(concern, form.text.data, form.owner_id.data, form.due_on.data, current_user)
    )
    if status is None:
        flash(_("The action is added."), "success")
        return redirect(url_for("concerns.show", concern_id=concern_id, _anchor="actions"))
    return _render_show(concern_id, forms={"action": form}, status=status)


@bp.route("/<uuid:concern_id>/actions/<uuid:action_id>/done", methods=["POST"])
@require(P.CONCERNS_TRIAGE)
def action_done(concern_id, action_id):
    concern, _access = _concern_or_404(concern_id)
    action = services.get_action(concern, action_id)
    if action is None:
        abort(404)
    form = ActionDoneForm()
    _flash_outcome(
        form, lambda: services.complete_action(action, form.version.data, current_user), _("The action is marked done.")
    )
    return redirect(url_for("concerns.show", concern_id=concern_id, _anchor="actions"))


def _flash_outcome(form, verb, success: str) -> None:
    """For one-button forms: the outcome as a flash message (there is no typing to keep)."""
    if form.validate_on_submit() and _attempt(form, verb) is None:
        flash(success, "success")
        return
    messages = [str(e) for name, errors in form.errors.items() if name != "csrf_token" for e in errors]
    flash(" ".join(messages) or _("The form expired. Please try again."), "error")


@bp.route("/<uuid:concern_id>/edit", methods=["GET", "POST"])
@require(P.CONCERNS_TRIAGE)
def edit(concern_id):
    concern, access = _concern_or_404(concern_id)
    form = AssessmentForm(obj=concern if request.method == "GET" else None)
    status = 200
    if request.method == "GET":
        form.version.data = concern.version
    else:
        status = _submit(
            form, lambda: services.update_concern(concern, form.assessment(), form.version.data, current_user)
        )
        if status is None:
            flash(_("The assessment is saved."), "success")
            return redirect(url_for("concerns.show", concern_id=concern_id))
        if status == 409:
            form.version.data = services.get_concern(concern_id, current_user)[0].version
    concern, access = _concern_or_404(concern_id)
    services.audit_read(concern, access)
    return render_template("concerns/edit.html", form=form, concern=concern), status


@bp.route("/<uuid:concern_id>/amend", methods=["GET", "POST"])
@require(P.CONCERNS_FILE, P.CONCERNS_TRIAGE)
def amend(concern_id):
    concern, access = _concern_or_404(concern_id)
    if access.level == services.RECIPIENT:
        abort(404)
    form = AmendForm()
    status = 200
    if request.method == "GET":
        form.field.data = request.args.get("field", "description")
        form.transition_id.data = request.args.get("transition", "")
    else:
        status = _submit(
            form,
            lambda: services.amend(
                concern, form.field.data, form.text.data, current_user, form.transition_id.data or None
            ),
        )
        if status is None:
            flash(_("The amendment is saved; the original is kept."), "success")
            return redirect(url_for("concerns.show", concern_id=concern_id))
    concern, access = _concern_or_404(concern_id)
    current = _current_text(concern, access, form.field.data, form.transition_id.data)
    if current is None:
        abort(404)
    if request.method == "GET" and not form.text.data:
        form.text.data = current
    services.audit_read(concern, access)
    return render_template("concerns/amend.html", form=form, concern=concern, current=current), status


def _current_text(concern, access, field: str, transition_id) -> str | None:
    """The text to amend, only if the user may read it (a filer never sees transition notes)."""
    if field in ("summary", "description") and access.shows(field):
        return concern.current(field)
    if field == "note" and access.shows("history"):
        step = next((t for t in concern.transitions if str(t.id) == (transition_id or "")), None)
        if step is None:
            return None
        amended = concern.amendments_of("note", step.id)
        return amended[-1].text if amended else step.note
    return None


@bp.route("/<uuid:concern_id>/share", methods=["GET", "POST"])
@require(P.CONCERNS_TRIAGE)
def share(concern_id):
    concern, access = _concern_or_404(concern_id)
    form = ShareForm()
    status = 200
    if request.method == "POST":
        status = _submit(form, lambda: services.share_concern(concern, actor=current_user, **form.share_data()))
        if status is None:
            flash(_("The share is recorded."), "success")
            return redirect(url_for("concerns.show", concern_id=concern_id, _anchor="shares"))
    concern, access = _concern_or_404(concern_id)
    services.audit_read(concern, access)
    return render_template(
        "concerns/share.html", form=form, concern=concern, can_share_cpr=can(current_user, P.CPR_READ)
    ), status


@bp.route("/<uuid:concern_id>/shares/<uuid:share_id>/end", methods=["POST"])
@require(P.CONCERNS_TRIAGE)
def end_share(concern_id, share_id):
    concern, _access = _concern_or_404(concern_id)
    found = services.get_share(concern, share_id)
    if found is None:
        abort(404)
    form = EndShareForm()
    _flash_outcome(
        form,
        lambda: services.end_share_by(found, current_user, form.reason.data),
        _("The share is ended. The recipient no longer sees it."),
    )
    return redirect(url_for("concerns.show", concern_id=concern_id, _anchor="shares"))


@bp.route("/<uuid:concern_id>/notification", methods=["POST"])
@require(P.CONCERNS_FILE, P.CONCERNS_TRIAGE)
def flag_notification(concern_id):
    concern, access = _concern_or_404(concern_id)
    if access.level == services.RECIPIENT:
        abort(404)
    form = NotificationForm(holders=[])
    _flash_outcome(
        form,
        lambda: services.flag_notification(concern, form.duty_holder_id.data, current_user),
        _("The duty to notify is recorded."),
    )
    return redirect(url_for("concerns.show", concern_id=concern_id, _anchor="notification"))


@bp.route("/<uuid:concern_id>/notification/<any(sent, acknowledged):step>", methods=["POST"])
@require(P.CONCERNS_FILE, P.CONCERNS_TRIAGE)
def record_notification(concern_id, step):
    concern, access = _concern_or_404(concern_id)
    if access.level == services.RECIPIENT:
        abort(404)
    verb = services.record_notification_sent if step == "sent" else services.record_notification_acknowledged
    form = ActionDoneForm()  # a CSRF-checked empty form
    _flash_outcome(
        form,
        lambda: verb(concern, current_user),
        _("Recorded: the notification is sent.")
        if step == "sent"
        else _("Recorded: the municipality acknowledged the notification."),
    )
    return redirect(url_for("concerns.show", concern_id=concern_id, _anchor="notification"))


# Chronology ------------------------------------------------------------------------------------------


@dataclass
class ListPage:
    """A page of an in-memory list, shaped like Flask-SQLAlchemy's pagination for the pager macro."""

    items: list
    page: int
    pages: int

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def prev_num(self):
        return self.page - 1

    @property
    def next_num(self):
        return self.page + 1


@bp.route("/people/<uuid:person_id>/chronology")
@require(P.CONCERNS_READ_ALL)
def chronology(person_id):
    person = services.visible_person(person_id, current_user)
    if person is None:
        abort(404)
    entries = services.chronology(person, current_user)
    pages = max(1, -(-len(entries) // PER_PAGE))
    number = min(query_int("page", 1), pages)
    page = ListPage(entries[(number - 1) * PER_PAGE : number * PER_PAGE], number, pages)
    return render_template("concerns/chronology.html", person=person, page=page)


# Landing panels and the person-page section ----------------------------------------------------------


def acute_panel(user):
    """SSP sees acute concerns nobody has started triaging, at once (no personal data on the card)."""
    alerts = services.acute_alerts(user)
    if not alerts:
        return None
    return render_template("concerns/panel_acute.html", alerts=alerts, labels=labels())


def overdue_panel(user):
    """Overdue notifications, to the filer, the duty holder, SSP and leaders, until resolved."""
    if not can(user, P.CONCERNS_READ):
        return None
    overdue = db.session.scalars(services.overdue_notifications(user).limit(20)).all()
    if not overdue:
        return None
    return render_template("concerns/panel_overdue.html", overdue=overdue, labels=labels())


def concerns_panel(user):
    """Where to file a concern; for SSP how many are new; for a police liaison how many are shared with them."""
    recipient = bool(user.roles & model.RECIPIENT_ROLES) and can(user, P.CONCERNS_READ)
    can_file, triage = can(user, P.CONCERNS_FILE), can(user, P.CONCERNS_TRIAGE)
    if not (recipient or can_file or triage):
        return None
    return render_template(
        "concerns/panel.html",
        can_file=can_file,
        shared=services.count_shared_with(user) if recipient else None,
        new=services.count_new() if triage else None,
    )


def person_concerns(user, person):
    """On the person page: SSP and leaders see every concern about the person; filers theirs."""
    if not can(user, P.CONCERNS_READ):
        return None
    rows = services.concerns_about(person, user)
    can_file = can(user, P.CONCERNS_FILE)
    read_all = can(user, P.CONCERNS_READ_ALL)
    if not (rows or can_file or read_all):
        return None
    if rows:
        audit.record(
            "concern.list",
            object_type="concern",
            subject_id=person.id,
            purpose="concerns",
            detail={"count": len(rows), "where": "person_page"},
        )
    return render_template(
        "concerns/person_section.html", person=person, rows=rows, can_file=can_file, read_all=read_all, labels=labels()
    )
