"""The plan's JSON routes under /api/v1/plan, on the plan's own nested API blueprint (endpoints `api.plan.*`)."""

from __future__ import annotations

from flask import abort, jsonify
from sqlalchemy import select

from caseapp.bounds import query_int
from caseapp.extensions import db
from caseapp.plan import api_bp as api
from caseapp.plan import queries
from caseapp.plan.models import FundingPeriod, PartialAgreement, PlanTheme, StrategicAgreement
from caseapp.plan.serialise import agreement_json, period_json, target_json, theme_json, version_json
from caseapp.platform.api.helpers import doc, page_args, paged
from caseapp.security.permissions import Permission, require

READ = Permission.PLAN_READ
PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
]


def _doc(summary: str, params: list | None = None, responses: dict | None = None):
    """`params=[...]` marks a paged list (page and per_page are added)."""
    return doc(summary, params=[*PAGE_PARAMS, *params] if params is not None else None, responses=responses)


def _paged(query, serialise):
    return jsonify(paged(query, serialise))


def _period_or_404(period_id: int) -> FundingPeriod:
    period = db.session.get(FundingPeriod, period_id)
    if period is None:
        abort(404)
    return period


@api.route("/periods")
@_doc(
    "Funding periods, the newest first, with partners, themes and municipal goals",
    params=[],
    responses={"200": "A page of funding periods"},
)
@require(READ)
def periods():
    return _paged(queries.periods(), period_json)


@api.route("/periods/<int:period_id>")
@_doc("One funding period", responses={"200": "The funding period"})
@require(READ)
def period(period_id):
    return jsonify(period_json(_period_or_404(period_id)))


@api.route("/periods/<int:period_id>/themes")
@_doc(
    "The themes of a funding period, with the earlier and later themes they map to",
    params=[],
    responses={"200": "A page of themes"},
)
@require(READ)
def themes(period_id):
    _period_or_404(period_id)
    return _paged(select(PlanTheme).where(PlanTheme.period_id == period_id).order_by(PlanTheme.position), theme_json)


@api.route("/periods/<int:period_id>/agreements")
@_doc(
    "The partial agreements (delaftaler) of a funding period: the newest version and the list of versions",
    params=[],
    responses={"200": "A page of partial agreements"},
)
@require(READ)
def agreements(period_id):
    _period_or_404(period_id)
    query = (
        select(PartialAgreement)
        .join(StrategicAgreement)
        .join(PlanTheme, PlanTheme.id == PartialAgreement.theme_id)
        .where(StrategicAgreement.period_id == period_id)
        .order_by(PlanTheme.position)
    )
    return _paged(query, agreement_json)


@api.route("/agreements/<int:agreement_id>/versions/<int:number>")
@_doc(
    "One version of a partial agreement, exactly as it was made (its sub-goals and targets included)",
    responses={"200": "The version"},
)
@require(READ)
def version(agreement_id, number):
    agreement = db.session.get(PartialAgreement, agreement_id)
    found = queries.version_of(agreement, number) if agreement is not None else None
    if found is None:
        abort(404)
    return jsonify(version_json(agreement, found))


@api.route("/targets")
@_doc(
    "The targets (måltal) of a funding period (default: the current one)",
    params=[{"name": "period_id", "in": "query", "schema": {"type": "integer"}}],
    responses={"200": "A page of targets"},
)
@require(READ)
def targets():
    page, per_page = page_args()  # a bad page number is refused even when no period exists
    period_id = query_int("period_id", None)
    period = _period_or_404(period_id) if period_id is not None else queries.current_period()
    if period is None:
        return jsonify({"items": [], "page": page, "per_page": per_page, "total": 0})
    return _paged(queries.targets_of(period.id), target_json)
