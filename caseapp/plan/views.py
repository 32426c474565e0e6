"""Pages of the plan: leaders configure periods, the strategic agreement, delaftaler, delmål and targets;
every role that reads reports reads them (Permission.PLAN_READ). A delaftale version can be exported as
a printable Danish document and as JSON at any time."""

from __future__ import annotations

import json
from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseapp import audit
from caseapp.extensions import db
from caseapp.plan import bp, queries
from caseapp.plan import forms as plan_forms
from caseapp.plan import services as svc
from caseapp.plan.labels import APPROVAL_LABELS, PARTNER_KIND_LABELS
from caseapp.plan.models import (
    FundingPeriod,
    PartialAgreement,
    PartialAgreementVersion,
    PlanSubgoal,
    PlanTarget,
    PlanTheme,
    in_language,
)
from caseapp.plan.serialise import version_json
from caseapp.security.permissions import Permission, can, require
from caseapp.web import refusal, submit

READ, MANAGE = Permission.PLAN_READ, Permission.PLAN_MANAGE


@bp.before_request
@login_required
def _login_first():
    return None


def number(value) -> str:
    """A baseline or target as people write it: 120, not 120.0; 7,5 in Danish."""
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0.##")


@bp.context_processor
def _plan_context() -> dict:
    return {
        "in_language": in_language,
        "number": number,
        "day": date.fromisoformat,
        "approval_labels": APPROVAL_LABELS,
        "partner_labels": PARTNER_KIND_LABELS,
        "manages": can(current_user, MANAGE),
    }


def _changeable(period: FundingPeriod) -> bool:
    """Whether the user sees the controls that change the period (leaders; never an earlier period)."""
    return can(current_user, MANAGE) and not svc.is_past(period)


def render(template: str, status: int = 200, **context):
    return render_template(f"plan/{template}", **context), status


def _get_or_404(model, record_id):
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    return record


def _save(form, verb, *, success: str, record=None):
    """Run a verb: None on success (the request commits), else the status of the page that comes back.

    Refused input (422) and a stale version (409) show the form again with what was typed and nothing
    saved; after a 409 the form carries the version now stored, so saving again is a deliberate choice.
    """
    status = submit(form, verb)
    if status is None:
        flash(success, "success")
    elif status == 409 and record is not None:
        db.session.refresh(record)
        form.version.data = record.latest_number if isinstance(record, PartialAgreement) else record.version
    return status


def _submitted(form, verb, *, success: str, record=None):
    """(status, None) to show the form, or (None, True) after a successful save."""
    if request.method != "POST":
        return 200, None
    status = _save(form, verb, success=success, record=record)
    return (status, None) if status is not None else (None, True)


# Funding periods


@bp.route("/")
@require(READ)
def index():
    page = db.paginate(queries.periods(), per_page=current_app.config["PER_PAGE"], error_out=False)
    return render("index.html", page=page, current=queries.current_period())


@bp.route("/periods/new", methods=["GET", "POST"])
@require(MANAGE)
def new_period():
    form = plan_forms.PeriodForm()
    made = {}
    status, saved = _submitted(
        form,
        lambda: made.setdefault("period", svc.create_period(form.data, current_user)),
        success=_("The funding period is created."),
    )
    if saved:
        return redirect(url_for("plan.period", period_id=made["period"].id))
    return render("period_form.html", status, form=form, period=None)


@bp.route("/periods/<int:period_id>")
@require(READ)
def period(period_id):
    period = _get_or_404(FundingPeriod, period_id)
    shares = [p.share_percent for p in period.partners if p.share_percent is not None]
    return render(
        "period.html",
        period=period,
        share_total=sum(shares) if shares else None,
        confirm=plan_forms.ConfirmForm(formdata=None),
        past=svc.is_past(period),
        changeable=_changeable(period),
    )


@bp.route("/periods/<int:period_id>/edit", methods=["GET", "POST"])
@require(MANAGE)
def edit_period(period_id):
    period = _get_or_404(FundingPeriod, period_id)
    form = (
        plan_forms.PeriodForm(data=plan_forms.period_form_data(period))
        if request.method == "GET"
        else plan_forms.PeriodForm()
    )
    status, saved = _submitted(
        form,
        lambda: svc.update_period(period, form.data, form.version.data, current_user),
        success=_("The funding period is saved."),
        record=period,
    )
    if saved:
        return redirect(url_for("plan.period", period_id=period.id))
    return render("period_form.html", status, form=form, period=period)


@bp.route("/periods/<int:period_id>/current", methods=["POST"])
@require(MANAGE)
def make_current(period_id):
    period = _get_or_404(FundingPeriod, period_id)
    form = plan_forms.ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    _act(
        lambda: svc.make_current(period, current_user),
        _(
            "%(name)s is now the current funding period. Work is tagged to it from now on; earlier tags are kept.",
            name=period.name,
        ),
    )
    return redirect(url_for("plan.period", period_id=period.id))


@bp.route("/periods/<int:period_id>/mapping", methods=["GET", "POST"])
@require(READ)
def mapping(period_id):
    period = _get_or_404(FundingPeriod, period_id)
    earlier = svc.earlier_themes_than(period)
    form_class = plan_forms.mapping_form(period.themes, earlier)
    if request.method == "POST":
        if not can(current_user, MANAGE):
            abort(403)
        form = form_class()
    else:
        form = form_class(data={f"continues_{t.id}": [str(e.id) for e in t.continues] for t in period.themes})
    continues = {t.id: form[f"continues_{t.id}"].data or [] for t in period.themes}
    status, saved = _submitted(
        form, lambda: svc.set_theme_mapping(period, continues, current_user), success=_("The theme mapping is saved.")
    )
    if saved:
        return redirect(url_for("plan.period", period_id=period.id))
    return render("mapping.html", status, form=form, period=period, earlier=earlier, changeable=_changeable(period))


@bp.route("/periods/<int:period_id>/strategic-agreement", methods=["GET", "POST"])
@require(MANAGE)
def edit_strategic(period_id):
    strategic = _get_or_404(FundingPeriod, period_id).strategic_agreement
    form = (
        plan_forms.StrategicAgreementForm(data=plan_forms.strategic_form_data(strategic))
        if request.method == "GET"
        else plan_forms.StrategicAgreementForm()
    )
    status, saved = _submitted(
        form,
        lambda: svc.update_strategic_agreement(strategic, form.data, form.version.data, current_user),
        success=_("The strategic agreement is saved."),
        record=strategic,
    )
    if saved:
        return redirect(url_for("plan.period", period_id=period_id))
    return render("strategic_form.html", status, form=form, period=strategic.period)


# Delaftaler and their versions


@bp.route("/themes/<int:theme_id>/agreement/new", methods=["GET", "POST"])
@require(MANAGE)
def new_agreement(theme_id):
    theme = _get_or_404(PlanTheme, theme_id)
    if theme.agreement is not None:
        return redirect(url_for("plan.agreement", agreement_id=theme.agreement.id))
    form = (
        plan_forms.AgreementForm(
            data={
                "title_da": f"Delaftale om {theme.name_da.lower()}",
                "title_en": f"Partial agreement on {theme.name_en.lower()}" if theme.name_en else "",
            }
        )
        if request.method == "GET"
        else plan_forms.AgreementForm()
    )
    made = {}
    status, saved = _submitted(
        form,
        lambda: made.setdefault("agreement", svc.create_agreement(theme, form.data, current_user)),
        success=_("The partial agreement is created as version 1."),
    )
    if saved:
        return redirect(url_for("plan.agreement", agreement_id=made["agreement"].id))
    return render("agreement_form.html", status, form=form, theme=theme, agreement=None)


@bp.route("/agreements/<int:agreement_id>")
@require(READ)
def agreement(agreement_id):
    agreement = _get_or_404(PartialAgreement, agreement_id)
    version = agreement.current
    return render(
        "agreement.html",
        agreement=agreement,
        version=version,
        changeable=_changeable(agreement.theme.period),
        tagged=queries.tag_counts(s["id"] for s in version.subgoals),
        remove_form=plan_forms.RemoveForm(formdata=None, data={"version": agreement.latest_number}),
    )


@bp.route("/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@require(MANAGE)
def edit_agreement(agreement_id):
    agreement = _get_or_404(PartialAgreement, agreement_id)
    form = (
        plan_forms.AgreementForm(data=plan_forms.agreement_form_data(agreement))
        if request.method == "GET"
        else plan_forms.AgreementForm()
    )
    status, saved = _submitted(
        form,
        lambda: svc.revise_agreement(agreement, form.data, form.version.data, current_user),
        success=_("The partial agreement is saved as a new version; the earlier versions are kept."),
        record=agreement,
    )
    if saved:
        return redirect(url_for("plan.agreement", agreement_id=agreement.id))
    return render("agreement_form.html", status, form=form, theme=agreement.theme, agreement=agreement)


def _version_or_404(agreement_id: int, number: int) -> tuple[PartialAgreement, PartialAgreementVersion]:
    agreement = _get_or_404(PartialAgreement, agreement_id)
    version = queries.version_of(agreement, number)
    if version is None:
        abort(404)
    return agreement, version


@bp.route("/agreements/<int:agreement_id>/versions/<int:number>")
@require(READ)
def version(agreement_id, number):
    agreement, version = _version_or_404(agreement_id, number)
    return render("version.html", agreement=agreement, version=version)


@bp.route("/agreements/<int:agreement_id>/versions/<int:number>/document")
@require(READ)
def document(agreement_id, number):
    """The version as a printable Danish document (the browser prints it to PDF)."""
    agreement, version = _version_or_404(agreement_id, number)
    audit.record(
        "plan.agreement.export",
        object_type="plan_agreement",
        object_id=agreement.id,
        detail={"version": number, "format": "html"},
    )
    with force_locale("da"):
        return render_template("plan/document.html", agreement=agreement, version=version, today=date.today())


@bp.route("/agreements/<int:agreement_id>/versions/<int:number>.json")
@require(READ)
def version_download(agreement_id, number):
    agreement, version = _version_or_404(agreement_id, number)
    audit.record(
        "plan.agreement.export",
        object_type="plan_agreement",
        object_id=agreement.id,
        detail={"version": number, "format": "json"},
    )
    name = f"delaftale-{agreement.id}-version-{number}.json"
    return Response(
        json.dumps(version_json(agreement, version), ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# Delmål and targets: each change is a new version of the delaftale


@bp.route("/agreements/<int:agreement_id>/subgoals/new", methods=["GET", "POST"])
@require(MANAGE)
def new_subgoal(agreement_id):
    agreement = _get_or_404(PartialAgreement, agreement_id)
    form = (
        plan_forms.SubgoalForm(data={"version": agreement.latest_number})
        if request.method == "GET"
        else plan_forms.SubgoalForm()
    )
    status, saved = _submitted(
        form,
        lambda: svc.add_subgoal(agreement, form.data, form.version.data, current_user),
        success=_("The sub-goal is added in a new version."),
        record=agreement,
    )
    if saved:
        return redirect(url_for("plan.agreement", agreement_id=agreement.id))
    return render("subgoal_form.html", status, form=form, agreement=agreement, subgoal=None)


@bp.route("/subgoals/<int:subgoal_id>/edit", methods=["GET", "POST"])
@require(MANAGE)
def edit_subgoal(subgoal_id):
    subgoal = _get_or_404(PlanSubgoal, subgoal_id)
    agreement = subgoal.agreement
    form = (
        plan_forms.SubgoalForm(data=plan_forms.subgoal_form_data(subgoal))
        if request.method == "GET"
        else plan_forms.SubgoalForm()
    )
    status, saved = _submitted(
        form,
        lambda: svc.update_subgoal(subgoal, form.data, form.version.data, current_user),
        success=_("The sub-goal is saved in a new version."),
        record=agreement,
    )
    if saved:
        return redirect(url_for("plan.agreement", agreement_id=agreement.id))
    return render("subgoal_form.html", status, form=form, agreement=agreement, subgoal=subgoal)


@bp.route("/subgoals/<int:subgoal_id>/remove", methods=["POST"])
@require(MANAGE)
def remove_subgoal(subgoal_id):
    subgoal = _get_or_404(PlanSubgoal, subgoal_id)
    agreement = subgoal.agreement
    return _remove(
        agreement,
        lambda form: svc.remove_subgoal(subgoal, form.data, form.version.data, current_user),
        _("The sub-goal is removed in a new version; earlier versions still show it."),
    )


@bp.route("/subgoals/<int:subgoal_id>/targets/new", methods=["GET", "POST"])
@require(MANAGE)
def new_target(subgoal_id):
    subgoal = _get_or_404(PlanSubgoal, subgoal_id)
    agreement = subgoal.agreement
    defaults = {"version": agreement.latest_number, "deadline": agreement.theme.period.ends_on}
    form = plan_forms.TargetForm(data=defaults) if request.method == "GET" else plan_forms.TargetForm()
    status, saved = _submitted(
        form,
        lambda: svc.add_target(subgoal, form.data, form.version.data, current_user),
        success=_("The target is added in a new version."),
        record=agreement,
    )
    if saved:
        return redirect(url_for("plan.agreement", agreement_id=agreement.id))
    return render("target_form.html", status, form=form, subgoal=subgoal, agreement=agreement, target=None)


@bp.route("/targets/<int:target_id>/edit", methods=["GET", "POST"])
@require(MANAGE)
def edit_target(target_id):
    target = _get_or_404(PlanTarget, target_id)
    agreement = target.subgoal.agreement
    form = (
        plan_forms.TargetForm(data=plan_forms.target_form_data(target))
        if request.method == "GET"
        else plan_forms.TargetForm()
    )
    status, saved = _submitted(
        form,
        lambda: svc.update_target(target, form.data, form.version.data, current_user),
        success=_("The target is saved in a new version."),
        record=agreement,
    )
    if saved:
        return redirect(url_for("plan.agreement", agreement_id=agreement.id))
    return render("target_form.html", status, form=form, subgoal=target.subgoal, agreement=agreement, target=target)


@bp.route("/targets/<int:target_id>/remove", methods=["POST"])
@require(MANAGE)
def remove_target(target_id):
    target = _get_or_404(PlanTarget, target_id)
    agreement = target.subgoal.agreement
    return _remove(
        agreement,
        lambda form: svc.remove_target(target, form.data, form.version.data, current_user),
        _("The target is removed in a new version; earlier versions still show it."),
    )


def _remove(agreement: PartialAgreement, verb, success: str):
    """A remove button on the delaftale page: back to it, with the refusal or the success as a message."""
    form = plan_forms.RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    _act(lambda: verb(form), success)
    return redirect(url_for("plan.agreement", agreement_id=agreement.id), code=303)


def _act(verb, success: str) -> None:
    """A button's verb: its success or its refusal (nothing written) as the message on the next page."""
    refused = refusal(verb)
    flash(success if refused is None else str(refused.message), "success" if refused is None else "error")


@bp.route("/targets")
@require(READ)
def targets():
    all_periods = db.session.scalars(queries.periods()).all()
    chosen = request.args.get("period", type=int)
    period = (
        next((p for p in all_periods if p.id == chosen), None)
        or queries.current_period()
        or (all_periods[0] if all_periods else None)
    )
    page = (
        db.paginate(queries.targets_of(period.id), per_page=current_app.config["PER_PAGE"], error_out=False)
        if period is not None
        else None
    )
    return render("targets.html", periods=all_periods, period=period, page=page)
