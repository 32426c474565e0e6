"""Data-protection pages: overview, consents, subject access, erasure, records of processing,
retention, emergency access and log review."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from caseapp import audit
from caseapp.crypto.fields import require_readable
from caseapp.domains.dataprotection import (
    bp,
    emergency,
    labels,
    logreview,
    privacy,
    processing,
    retention,
    subject_access,
)
from caseapp.domains.dataprotection.consents import (
    can_edit_consents,
    consent_statistics,
    consents_of,
    recent_withdrawals,
    record_consent,
    withdraw_consent,
)
from caseapp.domains.dataprotection.erasures import erase_person, erasure_blockers
from caseapp.domains.dataprotection.forms import (
    BreakGlassForm,
    ConsentForm,
    ErasureForm,
    PersonLookupForm,
    ReviewForm,
    WithdrawForm,
)
from caseapp.domains.dataprotection.models import BreakGlassGrant, ErasureRecord, LogReviewItem, active_grant_clause
from caseapp.extensions import db
from caseapp.privacy.consent import Consent
from caseapp.register.models import Person
from caseapp.register.services import get_visible_person
from caseapp.security.permissions import Permission, can, require
from caseapp.web import refusal, submit

P = Permission
PER_PAGE = 25
CSS_FILE = Path(__file__).resolve().parent / "static" / "dataprotection.css"


@bp.before_request
@login_required
def _login_first():
    return None


def _names() -> dict:
    return {
        "labels": labels.LABELS,
        "field_label": labels.field_label,
        "readable": labels.readable,
        "domain_title": labels.domain_title,
        "kind_label": labels.kind_label,
        "object_label": labels.object_label,
        "purpose_label": labels.purpose_label,
    }


@bp.context_processor
def _labels():
    return _names()


def _fragment(template: str, **context) -> str:
    """A piece for another domain's page (person page, landing page), where our context processor is absent."""
    return render_template(template, **_names(), **context)


def _visible_person_or_404(person_id) -> Person:
    person = get_visible_person(person_id, current_user)
    if person is None:
        abort(404)
    return require_readable(person)


# Overview ----------------------------------------------------------------------------------------------


@bp.route("/")
@require(P.DATA_PROTECTION)
def index():
    month = logreview.default_month()
    erasures = db.session.scalars(select(ErasureRecord).order_by(ErasureRecord.erased_at.desc()).limit(5)).all()
    context = {
        "lookup": PersonLookupForm(formdata=None),
        "pending_grants": emergency.pending_review_count(),
        "month": month,
        "progress": logreview.progress(month),
        "withdrawals": recent_withdrawals(current_user),
        "erasures": erasures,
        "statistics": consent_statistics(),
        "emergency_total": privacy.breakglass_statistics(),
    }
    audit.record("dataprotection.overview", object_type="dataprotection")
    return render_template("dataprotection/index.html", **context)


@bp.route("/lookup", methods=["POST"])
@require(P.DATA_PROTECTION)
def lookup():
    """Find a resident by CPR (POSTed, never in a URL) and go to their data-protection page."""
    form = PersonLookupForm()
    person = None
    if form.validate_on_submit():
        person = emergency.find_person_anywhere(cpr=form.cpr.data)
        audit.record("person.search", object_type="person", detail={"by": "cpr", "where": "dataprotection"})
    if person is None:
        flash(_("No resident is registered with that CPR number."), "error")
        return redirect(url_for("dataprotection.index"))
    return redirect(url_for("dataprotection.person", person_id=person.id))


@bp.route("/people/<uuid:person_id>")
@require(P.DATA_PROTECTION)
def person(person_id):
    person = _visible_person_or_404(person_id)
    blockers = erasure_blockers(person.id)
    held = consents_of(person.id)
    audit.record(
        "person.view", object_type="person", object_id=person.id, subject_id=person.id, purpose="dataprotection"
    )
    return render_template("dataprotection/person.html", person=person, blockers=blockers, consents=held)


# Consents ----------------------------------------------------------------------------------------------


@bp.route("/people/<uuid:person_id>/consents", methods=["GET", "POST"])
@require(P.PEOPLE_READ)
def consents(person_id):
    person = _visible_person_or_404(person_id)
    editable = can_edit_consents(current_user, person)
    form = ConsentForm() if editable else None
    status = 200
    if request.method == "POST":
        if form is None:
            abort(403)
        status = submit(form, lambda: record_consent(person, form.consent_data(), current_user))
        if status is None:
            flash(_("The consent is registered."), "success")
            return redirect(url_for("dataprotection.consents", person_id=person.id))
    rows = consents_of(person.id)
    audit.record("consent.list", object_type="consent", subject_id=person.id, detail={"count": len(rows)})
    return render_template(
        "dataprotection/consents.html", person=person, consents=rows, form=form, editable=editable
    ), status


@bp.route("/consents/<uuid:consent_id>/withdraw", methods=["GET", "POST"])
@require(P.CONSENT_EDIT)
def withdraw(consent_id):
    consent = db.session.get(Consent, consent_id)
    person = get_visible_person(consent.person_id, current_user) if consent else None
    if person is None:
        abort(404)
    if not can_edit_consents(current_user, person):
        abort(403)
    form = WithdrawForm()
    status = 200
    if request.method == "POST":
        ended = []
        status = submit(
            form,
            lambda: ended.append(withdraw_consent(consent, form.reason.data, form.version.data, current_user)),
            stale_message=_(
                "Someone else changed this consent while you were working. Your text is "
                "below but nothing is saved: check the consent and try again."
            ),
        )
        if status == 409:
            consent = db.session.get(Consent, consent_id)
            form.version.data = consent.version
        elif status is None:
            flash(
                _(
                    "The consent is withdrawn. Shares and processing that rested on it have stopped (%(n)d ended).",
                    n=ended[0],
                ),
                "success",
            )
            return redirect(url_for("dataprotection.consents", person_id=person.id))
    else:
        form.version.data = consent.version
    return render_template("dataprotection/withdraw.html", form=form, consent=consent, person=person), status


# Subject access (art. 15) --------------------------------------------------------------------------------


@bp.route("/people/<uuid:person_id>/access-export", methods=["POST"])
@require(P.DATA_PROTECTION)
def access_export(person_id):
    """One action: the complete export as a ZIP holding the JSON and the printable Danish document.
    `format=html` shows the document in the browser instead (to print to PDF); `format=json` the JSON."""
    person = _visible_person_or_404(person_id)
    fmt = request.form.get("format", "zip")
    if fmt not in ("zip", "html", "json"):
        abort(400)
    # The CSRF token is checked by the extension for every POST.
    export = subject_access.access_export(person.id, current_user, fmt)
    name = f"indsigt-{export['generated_at'][:10]}"
    if fmt == "json":
        return Response(
            json.dumps(export, ensure_ascii=False, indent=2),
            mimetype="application/json",
            headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
        )
    if fmt == "html":
        return render_template("dataprotection/export_document.html", export=export, standalone=False)
    document = render_template(
        "dataprotection/export_document.html", export=export, standalone=True, css=CSS_FILE.read_text()
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.json", json.dumps(export, ensure_ascii=False, indent=2))
        archive.writestr(f"{name}.html", document)
    return Response(
        buffer.getvalue(),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}.zip"'},
    )


# Erasure (art. 17) ---------------------------------------------------------------------------------------


@bp.route("/people/<uuid:person_id>/erase", methods=["GET", "POST"])
@require(P.DATA_PROTECTION)
def erase(person_id):
    person = _visible_person_or_404(person_id)
    form = ErasureForm()
    status = 200
    if request.method == "POST":
        erased = []
        status = submit(
            form, lambda: erased.append(erase_person(person.id, form.ground.data, form.reason.data, current_user))
        )
        if status is None:
            record = erased[0]
            flash(
                _(
                    "The person is erased. Take a fresh database backup now: backups from before the erasure "
                    "can no longer be read."
                ),
                "success",
            )
            return redirect(url_for("dataprotection.erasure", record_id=record.id))
    person = db.session.get(Person, person_id)
    if person is None:  # erased by someone else meanwhile
        abort(404)
    blockers = erasure_blockers(person.id)
    return render_template("dataprotection/erase.html", form=form, person=person, blockers=blockers), status


@bp.route("/erasures")
@require(P.DATA_PROTECTION)
def erasures():
    page = db.paginate(select(ErasureRecord).order_by(ErasureRecord.erased_at.desc()), per_page=PER_PAGE)
    audit.record("erasure.list", object_type="erasure_record", detail={"page": page.page})
    return render_template("dataprotection/erasures.html", page=page)


@bp.route("/erasures/<uuid:record_id>")
@require(P.DATA_PROTECTION)
def erasure(record_id):
    record = db.session.get(ErasureRecord, record_id)
    if record is None:
        abort(404)
    audit.record("erasure.view", object_type="erasure_record", object_id=record.id)
    return render_template("dataprotection/erasure.html", record=record, counts=json.loads(record.counts))


# Records of processing (art. 30) and retention -------------------------------------------------------------


@bp.route("/processing")
@require(P.DATA_PROTECTION)
def processing_page():
    document = processing.processing_document()
    audit.record("processing.view", object_type="records_of_processing")
    return render_template("dataprotection/processing.html", document=document)


@bp.route("/processing.json")
@require(P.DATA_PROTECTION)
def processing_json():
    audit.record("processing.view", object_type="records_of_processing", detail={"format": "json"})
    return jsonify(processing.processing_document())


@bp.route("/retention")
@require(P.DATA_PROTECTION)
def retention_page():
    """What `caseapp retention purge` would delete today (nothing is deleted here)."""
    due = retention.due()
    counts: dict[tuple[str, str, str], int] = {}
    for item in due:
        key = (item.domain, item.record.retention, item.record.object_type)
        counts[key] = counts.get(key, 0) + 1
    audit.record("retention.view", detail={"due": len(due)})
    from flask import current_app

    return render_template(
        "dataprotection/retention.html",
        counts=sorted(counts.items()),
        periods=sorted(current_app.config.get("RETENTION", {}).items()),
    )


# Break the glass -----------------------------------------------------------------------------------------


@bp.route("/emergency-access", methods=["GET", "POST"])
@require(P.BREAK_GLASS)
def break_glass():
    form = BreakGlassForm()
    status = 200
    if request.method == "POST":
        granted = []
        status = submit(
            form,
            lambda: granted.append(
                emergency.grant_break_glass(
                    current_user,
                    reason=form.reason.data,
                    minutes=form.minutes.data,
                    cpr=form.cpr.data,
                    person_id=form.person_id.data,
                )
            ),
        )
        if status is None:
            grant = granted[0]
            flash(
                _(
                    "Emergency access is open until %(time)s. Everything you open is logged and reviewed.",
                    time=_time(grant.expires_at),
                ),
                "warning",
            )
            return redirect(url_for("people.show", person_id=grant.person_id))
    mine = db.session.scalars(
        select(BreakGlassGrant)
        .where(BreakGlassGrant.user_id == current_user.id)
        .order_by(BreakGlassGrant.granted_at.desc())
        .limit(10)
    ).all()
    return render_template("dataprotection/break_glass.html", form=form, mine=mine), status


def _time(at) -> str:
    from flask_babel import format_time

    return format_time(at, "short")


@bp.route("/emergency-access/<uuid:grant_id>/end", methods=["POST"])
@require(P.BREAK_GLASS)
def end_break_glass(grant_id):
    grant = db.session.get(BreakGlassGrant, grant_id)
    if grant is None or grant.user_id != current_user.id:
        abort(404)
    emergency.end_grant(grant, current_user)
    flash(_("Emergency access is closed."), "success")
    return redirect(url_for("main.index"))


@bp.route("/emergency-access/review")
@require(P.DATA_PROTECTION)
def grants():
    pending = request.args.get("all") != "1"
    page = db.paginate(emergency.grants_query(pending=pending), per_page=PER_PAGE)
    audit.record("breakglass.list", object_type="break_glass_grant", detail={"page": page.page, "pending": pending})
    return render_template(
        "dataprotection/grants.html",
        page=page,
        pending=pending,
        form=ReviewForm(formdata=None),
        args={} if pending else {"all": "1"},
    )


@bp.route("/emergency-access/<uuid:grant_id>/review", methods=["POST"])
@require(P.DATA_PROTECTION)
def review_grant(grant_id):
    grant = db.session.get(BreakGlassGrant, grant_id)
    if grant is None:
        abort(404)
    _save_review(lambda outcome: emergency.review_grant(grant, outcome, current_user), _("The review is saved."))
    return redirect(url_for("dataprotection.grants"))


def _save_review(verb, done: str) -> None:
    """Run a review form's verb with the chosen outcome: saved and confirmed, or the reason it was refused."""
    form = ReviewForm()
    if not form.validate_on_submit():
        flash(_("Choose the outcome of the review."), "error")
        return
    refused = refusal(lambda: verb(form.outcome.data))
    if refused is None:
        flash(done, "success")
    else:
        flash(" ".join(str(m) for m in refused.fields.values()) or str(refused.message), "error")


# Log review ----------------------------------------------------------------------------------------------


@bp.route("/log-review")
@require(P.DATA_PROTECTION)
def log_review():
    month = logreview.parse_month(request.args.get("month")) or logreview.default_month()
    if month not in logreview.recent_months(24):
        abort(404)
    rows = logreview.open_sample(month, current_user)
    actor_ids = {e.actor_id for _i, e in rows if e.actor_id}
    from caseapp.models.users import User

    names = {u.id: u.name for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))} if actor_ids else {}
    return render_template(
        "dataprotection/log_review.html",
        month=month,
        rows=rows,
        names=names,
        months=logreview.recent_months(12),
        form=ReviewForm(formdata=None),
        progress=logreview.progress(month),
        patterns=logreview.PATTERNS,
        details={i.id: json.loads(i.detail) for i, _e in rows},
    )


@bp.route("/log-review/<int:item_id>", methods=["POST"])
@require(P.DATA_PROTECTION)
def mark_reviewed(item_id):
    item = db.session.get(LogReviewItem, item_id)
    if item is None:
        abort(404)
    _save_review(lambda outcome: logreview.mark_reviewed(item, outcome, current_user), _("Marked as reviewed."))
    return redirect(url_for("dataprotection.log_review", month=item.month) + f"#item-{item.id}")


# The person page and the landing page -------------------------------------------------------------------


def person_data_protection(user, person):
    """Emergency access in red; the person's consents (who relies on them sees a withdrawal and why);
    links for leaders to subject access and erasure."""
    grant = emergency.emergency_grant_for(user, person.id)
    if not can(user, P.PEOPLE_READ):
        return None
    held = consents_of(person.id)
    return _fragment(
        "dataprotection/person_section.html",
        person=person,
        grant=grant,
        consents=held,
        editable=can_edit_consents(user, person),
        leader=can(user, P.DATA_PROTECTION),
    )


def emergency_panel(user):
    """Open emergency accesses, in red, for the user who holds them."""
    if not can(user, P.BREAK_GLASS):
        return None
    active = db.session.scalars(
        select(BreakGlassGrant)
        .where(BreakGlassGrant.user_id == user.id, active_grant_clause())
        .order_by(BreakGlassGrant.expires_at)
    ).all()
    return _fragment("dataprotection/emergency_panel.html", active=active)


def withdrawals_panel(user):
    """Consents withdrawn lately for people the user works with, and why."""
    if not can(user, P.PEOPLE_READ):
        return None
    rows = recent_withdrawals(user)
    if not rows:
        return None
    return _fragment("dataprotection/withdrawals_panel.html", rows=rows)


def review_panel(user):
    if not can(user, P.DATA_PROTECTION):
        return None
    month = logreview.default_month()
    return _fragment(
        "dataprotection/review_panel.html",
        pending=emergency.pending_review_count(),
        month=month,
        progress=logreview.progress(month),
    )
