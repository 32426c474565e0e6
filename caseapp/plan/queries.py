"""Reading the plan: every role with Permission.PLAN_READ reads all of it (it holds no personal data)."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from caseapp.extensions import db
from caseapp.plan.models import (
    FundingPeriod,
    PartialAgreement,
    PartialAgreementVersion,
    PlanSubgoal,
    PlanTag,
    PlanTarget,
    PlanTheme,
)
from caseapp.plan.tagging import current_period

__all__ = ["current_period", "periods", "targets_of", "tag_counts", "version_of"]


def periods() -> Select:
    """Every funding period, the newest first."""
    return select(FundingPeriod).order_by(FundingPeriod.starts_on.desc(), FundingPeriod.id.desc())


def version_of(agreement: PartialAgreement, number: int) -> PartialAgreementVersion | None:
    return db.session.scalar(
        select(PartialAgreementVersion).where(
            PartialAgreementVersion.agreement_id == agreement.id, PartialAgreementVersion.number == number
        )
    )


def targets_of(period_id: int) -> Select:
    """The targets of a period's delaftaler, in the order of themes, delmål and targets."""
    return (
        select(PlanTarget)
        .join(PlanSubgoal)
        .join(PartialAgreement)
        .join(PlanTheme, PlanTheme.id == PartialAgreement.theme_id)
        .where(PlanTheme.period_id == period_id)
        .options(
            selectinload(PlanTarget.subgoal).selectinload(PlanSubgoal.agreement).selectinload(PartialAgreement.theme)
        )
        .order_by(PlanTheme.position, PlanSubgoal.position, PlanSubgoal.id, PlanTarget.position, PlanTarget.id)
    )


def tag_counts(subgoal_ids) -> dict[int, int]:
    """How many records (of every domain) are tagged to each delmål."""
    ids = list(subgoal_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(PlanTag.subgoal_id, func.count(PlanTag.id))
        .where(PlanTag.subgoal_id.in_(ids))
        .group_by(PlanTag.subgoal_id)
    )
    return {subgoal_id: count for subgoal_id, count in rows}
