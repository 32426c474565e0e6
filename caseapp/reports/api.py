"""Reports' JSON routes under /api/v1/reports (endpoints `api.reports.*`): always suppressed, the same
document the pages show (caseapp.reports.document)."""

from __future__ import annotations

import json

from flask import abort, jsonify, request
from sqlalchemy import select

from caseapp import audit
from caseapp.bounds import query_int
from caseapp.clock import local_today
from caseapp.errors import ApiError
from caseapp.extensions import db
from caseapp.plan.models import PlanTheme
from caseapp.platform.api.helpers import doc, paged
from caseapp.reports import api_bp as api
from caseapp.reports import document, services
from caseapp.reports.bands import BREAKDOWNS
from caseapp.reports.models import FrozenReport, Indicator
from caseapp.reports.queries import Scope, declared, half_year_of, period_dates
from caseapp.security.permissions import Permission, require

READ = Permission.REPORTS_READ
PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
]


def _indicator_json(indicator: Indicator) -> dict:
    definition = document.Definition.of(indicator)
    return {**definition.as_json(), "available": definition.available(declared())}


def _frozen_json(report: FrozenReport) -> dict:
    return {
        "id": report.id,
        "title": report.title,
        "starts_on": report.starts_on.isoformat(),
        "ends_on": report.ends_on.isoformat(),
        "theme_id": report.theme_id,
        "sha256": report.sha256,
        "submitted_at": report.submitted_at.isoformat(),
    }


@api.route("/indicators")
@doc(
    "The indicators: what each counts (measure codes, outcomes, kind), its target, whether it is available",
    params=PAGE_PARAMS,
    responses={"200": "A page of indicators"},
)
@require(READ)
def indicators():
    return jsonify(paged(select(Indicator).order_by(Indicator.position, Indicator.id), _indicator_json))


@api.route("/values")
@doc(
    "Every indicator's value in a period (small numbers suppressed), a year earlier, and one breakdown",
    params=[
        {
            "name": "period",
            "in": "query",
            "description": "2026-H1, 2026, or 2026-01-01/2026-03-31 (default: the current half-year)",
            "schema": {"type": "string"},
        },
        {
            "name": "breakdown",
            "in": "query",
            "schema": {"type": "string", "enum": [*BREAKDOWNS, "month"]},
        },
        {"name": "theme", "in": "query", "schema": {"type": "integer"}},
    ],
    responses={"200": "The indicators' values", "422": "A period or breakdown that is not one of these"},
)
@require(READ)
def values():
    period = request.args.get("period") or half_year_of(local_today())
    dates = period_dates(period)
    if dates is None:
        raise ApiError(422, "Some fields are not valid", {"period": "2026-H1, 2026, or 2026-01-01/2026-03-31"})
    breakdown = request.args.get("breakdown")
    if breakdown is not None and breakdown not in (*BREAKDOWNS, "month"):
        raise ApiError(422, "Some fields are not valid", {"breakdown": f"one of {', '.join([*BREAKDOWNS, 'month'])}"})
    theme = query_int("theme", None)
    theme_ids: tuple[int, ...] = ()
    if theme is not None:
        if db.session.get(PlanTheme, theme) is None:
            raise ApiError(422, "Some fields are not valid", {"theme": "the id of a theme of the plan"})
        theme_ids = (theme,)
    scope = Scope(dates[0], dates[1], None, theme_ids)
    built = document.build([document.Definition.of(i) for i in services.indicators()], scope)
    audit.record(
        "reports.api.read",
        object_type="report",
        detail={"starts_on": scope.starts_on.isoformat(), "ends_on": scope.ends_on.isoformat(), "breakdown": breakdown},
    )
    items = []
    for item in built["indicators"]:
        entry = {"definition": item["definition"], "available": item["available"]}
        if item["available"]:
            entry["total"] = item["current"]["total"]
            entry["year_earlier"] = item.get("year_earlier")
            if breakdown:
                entry["breakdown"] = item["current"]["breakdowns"][breakdown]
        items.append(entry)
    return jsonify(
        {
            "period": {"starts_on": scope.starts_on.isoformat(), "ends_on": scope.ends_on.isoformat()},
            "year_earlier": built["year_earlier"],
            "breakdown": breakdown,
            "suppression": built["suppression"],
            "indicators": items,
        }
    )


@api.route("/frozen")
@doc(
    "Frozen (submitted) reports, the newest first, with their SHA-256",
    params=PAGE_PARAMS,
    responses={"200": "A page of frozen reports"},
)
@require(READ)
def frozen_list():
    return jsonify(
        paged(select(FrozenReport).order_by(FrozenReport.submitted_at.desc(), FrozenReport.id.desc()), _frozen_json)
    )


@api.route("/frozen/<int:frozen_id>")
@doc("One frozen report exactly as submitted: its document and its SHA-256", responses={"200": "The frozen report"})
@require(READ)
def frozen(frozen_id):
    report = db.session.get(FrozenReport, frozen_id)
    if report is None:
        abort(404)
    audit.record("reports.frozen.read", object_type="report_frozen", object_id=report.id, detail={"api": True})
    return jsonify({**_frozen_json(report), "content": json.loads(report.content)})
