"""Pages of funder reporting: the dashboard (progress against each target, charts with their tables, the
breakdowns), exports, frozen reports, indicators and the funder's register figures.

Every page shows the suppressed document (caseapp.reports.document); a leader may open the unsuppressed
figures, which is audited. No page links to or names a person.
"""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from caseapp import audit, charts
from caseapp.clock import local_today
from caseapp.extensions import db
from caseapp.forms import choices
from caseapp.plan import queries as plan_queries
from caseapp.plan.models import PlanTheme
from caseapp.reports import bp, document, exports, services
from caseapp.reports.bands import BREAKDOWNS
from caseapp.reports.forms import (
    KIND_LABELS,
    FreezeForm,
    IndicatorForm,
    RegisterFigureForm,
    ReportFilterForm,
    period_choices,
)
from caseapp.reports.models import FrozenReport, Indicator, RegisterFigure
from caseapp.reports.queries import Scope, declared, half_year_of
from caseapp.security.permissions import Permission, can, require
from caseapp.web import refusal, submit

READ, MANAGE = Permission.REPORTS_READ, Permission.REPORTS_MANAGE
LANDING_ROLES = frozenset({"leader", "coordinator", "analyst"})
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@bp.before_request
@login_required
def _login_first():
    return None


@bp.context_processor
def _reports_context() -> dict:
    return {
        "breakdown_labels": BREAKDOWNS,
        "kind_labels": KIND_LABELS,
        "manages": can(current_user, MANAGE),
        "chart": chart,
    }


def chart(title: str, labels: list, series: list, *, kind: str = "bar", unit: str = "") -> Markup:
    """A server-drawn SVG chart (caseapp.charts); the template puts its table beside it."""
    draw = charts.line_chart if kind == "line" else charts.bar_chart
    return draw(title, labels, series, unit=unit)


def _themes() -> list[PlanTheme]:
    period = plan_queries.current_period()
    if period is None:
        return []
    return list(
        db.session.scalars(select(PlanTheme).where(PlanTheme.period_id == period.id).order_by(PlanTheme.position))
    )


def _unsuppressed() -> bool:
    """Whether the page shows small numbers: only for leaders who ask, and audited."""
    if request.args.get("unsuppressed") != "1":
        return False
    if not can(current_user, MANAGE):
        abort(403)
    return True


def report_request():
    """(form, scope, period text, status) of the report the address names; a refused filter shows the
    current half-year with the form's messages (422)."""
    today = local_today()
    form = ReportFilterForm(request.args)
    form.period.choices = choices([*period_choices(today), ("custom", _("Other dates (e.g. a board meeting's)"))])
    themes = _themes()
    form.theme.choices = choices([(str(t.id), t.name) for t in themes], blank=_("All themes"))
    status = 200
    if request.args and not form.validate():
        status = 422
        form.period.data = half_year_of(today)
        form.theme.data = None
    if not form.period.data:
        form.period.data = half_year_of(today)
    starts_on, ends_on = form.dates(today)
    theme_ids = (form.theme.data,) if form.theme.data and any(t.id == form.theme.data for t in themes) else ()
    if form.period.data == "custom":
        period_text = f"{starts_on.isoformat()}/{ends_on.isoformat()}"
    else:
        period_text = form.period.data
    return form, Scope(starts_on, ends_on, None, theme_ids), period_text, status


def _definitions() -> list[document.Definition]:
    return [document.Definition.of(i) for i in services.indicators()]


def _title(scope: Scope) -> str:
    theme = db.session.get(PlanTheme, scope.theme_ids[0]) if scope.theme_ids else None
    span = f"{scope.starts_on:%d.%m.%Y}–{scope.ends_on:%d.%m.%Y}"
    return _("Report %(span)s", span=span) + (f" · {theme.name_da}" if theme else "")


def _audit_read(action: str, scope: Scope, unsuppressed: bool, **detail) -> None:
    audit.record(
        action,
        object_type="report",
        detail={
            "starts_on": scope.starts_on.isoformat(),
            "ends_on": scope.ends_on.isoformat(),
            "theme_ids": list(scope.theme_ids),
            "unsuppressed": unsuppressed,
            **detail,
        },
    )


@bp.route("/")
@require(READ)
def dashboard():
    return _dashboard_page()


def _dashboard_page(refused_freeze: FreezeForm | None = None):
    """The dashboard of the period the address names; with a refused freeze, that form as it was typed."""
    form, scope, period_text, status = report_request()
    unsuppressed = _unsuppressed()
    breakdown = form.breakdown.data if form.breakdown.data in BREAKDOWNS else "age_band"
    doc = document.build(_definitions(), scope, title=_title(scope), unsuppressed=unsuppressed)
    if unsuppressed:
        _audit_read("reports.unsuppressed.read", scope, True)
    freeze_form = refused_freeze or FreezeForm(
        formdata=None,
        title=doc["title"],
        period=period_text,
        theme=str(scope.theme_ids[0]) if scope.theme_ids else "",
    )
    return (
        render_template(
            "reports/dashboard.html",
            form=form,
            doc=doc,
            scope=scope,
            period_text=period_text,
            breakdown=breakdown,
            unsuppressed=unsuppressed,
            figures=services.register_figures(scope.starts_on, scope.ends_on),
            freeze_form=freeze_form,
            note=exports.suppression_note(doc),
            args={k: v for k, v in request.args.items() if k != "unsuppressed"},
        ),
        422 if refused_freeze else status,
    )


@bp.route("/export.<kind>")
@require(READ)
def export(kind):
    if kind not in (*EXPORT_TYPES, "html"):
        abort(404)
    form, scope, _period, status = report_request()
    if status != 200:
        abort(422)
    unsuppressed = _unsuppressed()
    with force_locale("da"):
        doc = document.build(_definitions(), scope, title=_title(scope), unsuppressed=unsuppressed)
        _audit_read("reports.export", scope, unsuppressed, format=kind)
        if kind == "html":
            return render_template(
                "reports/board.html",
                doc=doc,
                note=exports.suppression_note(doc),
                figures=services.register_figures(scope.starts_on, scope.ends_on),
                today=local_today(),
            )
        body = {"csv": exports.as_csv, "xlsx": exports.as_xlsx, "json": exports.as_json}[kind](doc)
    name = f"rapport-{scope.starts_on.isoformat()}-{scope.ends_on.isoformat()}.{kind}"
    return Response(
        body, mimetype=EXPORT_TYPES[kind], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


# Frozen reports


@bp.route("/freeze", methods=["POST"])
@require(MANAGE)
def freeze():
    form = FreezeForm()
    made = {}

    def verb():
        from caseapp.reports.queries import period_dates

        starts_on, ends_on = period_dates(form.period.data)
        theme_ids = (int(form.theme.data),) if form.theme.data else ()
        made["frozen"] = services.freeze(form.title.data, Scope(starts_on, ends_on, None, theme_ids), current_user)

    if submit(form, verb) is None:
        flash(_("The report is submitted and frozen."), "success")
        return redirect(url_for("reports.frozen", frozen_id=made["frozen"].id))
    # The dashboard again (the form posts with the dashboard's filter in its address), the title as typed.
    return _dashboard_page(refused_freeze=form)


@bp.route("/frozen")
@require(READ)
def frozen_list():
    page = db.paginate(
        select(FrozenReport).order_by(FrozenReport.submitted_at.desc(), FrozenReport.id.desc()),
        per_page=25,
        error_out=False,
    )
    return render_template("reports/frozen_list.html", page=page)


@bp.route("/frozen/<int:frozen_id>")
@require(READ)
def frozen(frozen_id):
    report = db.session.get(FrozenReport, frozen_id)
    if report is None:
        abort(404)
    submitted = json.loads(report.content)
    intact = document.sha256(report.content) == report.sha256
    changes = document.differences(submitted, services.recompute(report))
    audit.record("reports.frozen.read", object_type="report_frozen", object_id=report.id)
    return render_template(
        "reports/frozen.html",
        report=report,
        doc=submitted,
        intact=intact,
        changes=changes,
        note=exports.suppression_note(submitted),
    )


@bp.route("/frozen/<int:frozen_id>.json")
@require(READ)
def frozen_json(frozen_id):
    report = db.session.get(FrozenReport, frozen_id)
    if report is None:
        abort(404)
    audit.record("reports.frozen.export", object_type="report_frozen", object_id=report.id, detail={"format": "json"})
    return Response(
        report.content,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="frossen-rapport-{report.id}.json"'},
    )


# Indicators


@bp.route("/indicators")
@require(READ)
def indicators():
    known = declared()
    rows = [(i, document.Definition.of(i).available(known)) for i in services.indicators()]
    return render_template("reports/indicators.html", rows=rows, measures=known)


@bp.route("/indicators/adopt", methods=["POST"])
@require(MANAGE)
def adopt():
    added = {}  # the app's CSRF protection has checked the post
    refused = refusal(lambda: added.setdefault("n", services.adopt_ready_made(current_user)))
    if refused is not None:
        flash(str(refused.message), "error")
    else:
        flash(_("%(n)d ready-made indicators added.", n=added["n"]), "success")
    return redirect(url_for("reports.indicators"))


def _indicator_form(indicator: Indicator | None):
    form = IndicatorForm(obj=None)
    if request.method == "GET" and indicator is not None:
        form = IndicatorForm(
            formdata=None,
            data={
                "name_da": indicator.name_da,
                "name_en": indicator.name_en,
                "kind": indicator.kind,
                "measures": indicator.measures,
                "outcomes": " ".join(indicator.outcomes or []),
                "programmes": " ".join(indicator.programmes or []),
                "months": indicator.months,
                "denominator_measures": indicator.denominator_measures,
                "denominator_outcomes": " ".join(indicator.denominator_outcomes or []),
                "target_id": indicator.target_id,
                "version": indicator.version,
            },
        )
    period = plan_queries.current_period()
    targets = list(db.session.scalars(plan_queries.targets_of(period.id))) if period else []
    form.set_choices(declared().values(), targets)
    return form


@bp.route("/indicators/new", methods=["GET", "POST"])
@require(MANAGE)
def new_indicator():
    form = _indicator_form(None)
    status = 200
    if request.method == "POST":
        status = submit(form, lambda: services.create_indicator(form.indicator_data(), current_user))
        if status is None:
            flash(_("The indicator is saved."), "success")
            return redirect(url_for("reports.indicators"))
    return render_template("reports/indicator_form.html", form=form, indicator=None), status


@bp.route("/indicators/<int:indicator_id>", methods=["GET", "POST"])
@require(MANAGE)
def edit_indicator(indicator_id):
    indicator = db.session.get(Indicator, indicator_id)
    if indicator is None:
        abort(404)
    form = _indicator_form(indicator)
    status = 200
    if request.method == "POST":
        status = submit(
            form, lambda: services.update_indicator(indicator, form.indicator_data(), form.version.data, current_user)
        )
        if status is None:
            flash(_("The indicator is saved."), "success")
            return redirect(url_for("reports.indicators"))
        if status == 409:
            db.session.refresh(indicator)
            form.version.data = indicator.version
    return render_template("reports/indicator_form.html", form=form, indicator=indicator), status


@bp.route("/indicators/<int:indicator_id>/delete", methods=["POST"])
@require(MANAGE)
def delete_indicator(indicator_id):
    indicator = db.session.get(Indicator, indicator_id)
    if indicator is None:
        abort(404)
    services.delete_indicator(indicator, current_user)
    flash(_("The indicator is removed."), "success")
    return redirect(url_for("reports.indicators"))


# The funder's register figures


@bp.route("/register", methods=["GET", "POST"])
@require(READ)
def register():
    form = RegisterFigureForm()
    status = 200
    if request.method == "POST":
        if not can(current_user, MANAGE):
            abort(403)
        status = submit(form, lambda: services.save_register_figure(form.figure_data(), current_user))
        if status is None:
            flash(_("The register figure is saved."), "success")
            return redirect(url_for("reports.register"))
    page = db.paginate(
        select(RegisterFigure).order_by(
            RegisterFigure.year.desc(), RegisterFigure.half.desc(), RegisterFigure.area, RegisterFigure.name
        ),
        per_page=25,
        error_out=False,
    )
    return render_template("reports/register.html", form=form, page=page), status


@bp.route("/register/<int:figure_id>/delete", methods=["POST"])
@require(MANAGE)
def delete_figure(figure_id):
    refused = refusal(lambda: services.delete_register_figure(figure_id, current_user))
    flash(str(refused.message) if refused else _("The register figure is removed."), "error" if refused else "success")
    return redirect(url_for("reports.register"))


# The landing page


def progress_panel(user) -> str | None:
    """Leaders', coordinators' and analysts' landing page opens on the current half-year's progress
    against the plan's targets (the indicators tied to a target; suppressed like every report)."""
    if not (set(user.roles) & LANDING_ROLES) or not can(user, READ):
        return None
    today = local_today()
    from caseapp.reports.queries import period_dates

    starts_on, ends_on = period_dates(half_year_of(today))
    definitions = [d for d in _definitions() if d.target is not None]
    doc = document.build(definitions, Scope(starts_on, ends_on), compare=False) if definitions else None
    return render_template("reports/_landing.html", doc=doc, period=half_year_of(today))
