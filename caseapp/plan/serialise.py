"""The plan as JSON: for the API and for the export of a delaftale version (both languages side by side)."""

from __future__ import annotations

from caseapp.plan.models import FundingPeriod, PartialAgreement, PartialAgreementVersion, PlanTarget, PlanTheme
from caseapp.platform.api.schema import TEXT, nullable, obj


def _iso(value):
    return value.isoformat() if value is not None else None


def period_json(period: FundingPeriod) -> dict:
    return {
        "id": period.id,
        "name_da": period.name_da,
        "name_en": period.name_en,
        "funder": period.funder,
        "grant": period.grant_name,
        "starts_on": _iso(period.starts_on),
        "ends_on": _iso(period.ends_on),
        "current": period.is_current,
        "version": period.version,
        "partners": [{"name": p.name, "kind": p.kind, "share_percent": p.share_percent} for p in period.partners],
        "themes": [{"id": t.id, "name_da": t.name_da, "name_en": t.name_en} for t in period.themes],
        "municipal_goals": [{"id": g.id, "name_da": g.name_da, "name_en": g.name_en} for g in period.goals],
    }


def theme_json(theme: PlanTheme) -> dict:
    return {
        "id": theme.id,
        "period_id": theme.period_id,
        "name_da": theme.name_da,
        "name_en": theme.name_en,
        "position": theme.position,
        "agreement_id": theme.agreement.id if theme.agreement else None,
        "continues": [t.id for t in theme.continues],
        "continued_as": [t.id for t in theme.continued_as],
    }


def version_json(agreement: PartialAgreement, version: PartialAgreementVersion) -> dict:
    """One version of a delaftale exactly as it was made, with its period and theme for context."""
    theme, period = agreement.theme, agreement.theme.period
    return {
        "agreement_id": agreement.id,
        "version": version.number,
        "period": {"id": period.id, "name_da": period.name_da, "name_en": period.name_en, "grant": period.grant_name},
        "theme": {"id": theme.id, "name_da": theme.name_da, "name_en": theme.name_en},
        "title_da": version.title_da,
        "title_en": version.title_en,
        "parties": version.parties,
        "agreed_on": _iso(version.agreed_on),
        "approval_state": version.approval_state,
        "summary_da": version.summary_da,
        "summary_en": version.summary_en,
        "change_note": version.change_note,
        "created_at": version.created_at.isoformat(timespec="seconds") + "Z",
        "subgoals": version.subgoals,
    }


def agreement_json(agreement: PartialAgreement) -> dict:
    return {
        "id": agreement.id,
        "theme_id": agreement.theme_id,
        "latest_version": agreement.latest_number,
        "current": version_json(agreement, agreement.current),
        "versions": [
            {
                "version": v.number,
                "approval_state": v.approval_state,
                "change_note": v.change_note,
                "created_at": v.created_at.isoformat(timespec="seconds") + "Z",
            }
            for v in agreement.versions
        ],
    }


def target_json(target: PlanTarget) -> dict:
    subgoal = target.subgoal
    theme = subgoal.agreement.theme
    return {
        "id": target.id,
        "measure_da": target.measure_da,
        "measure_en": target.measure_en,
        "unit_da": target.unit_da,
        "unit_en": target.unit_en,
        "baseline": target.baseline,
        "target_value": target.target_value,
        "deadline": _iso(target.deadline),
        "subgoal": {"id": subgoal.id, "name_da": subgoal.name_da, "name_en": subgoal.name_en},
        "theme": {"id": theme.id, "name_da": theme.name_da, "name_en": theme.name_en},
        "agreement_id": subgoal.agreement_id,
        "period_id": theme.period_id,
    }


_PLAN_ITEM = obj({"id": {"type": "integer"}, "name_da": TEXT, "name_en": TEXT})
# The schema of tag_json: what a record serves in one funding period.
TAG_JSON = obj(
    {
        "period": _PLAN_ITEM,
        "current": {"type": "boolean"},
        "theme": nullable(_PLAN_ITEM),
        "municipal_goal": nullable(_PLAN_ITEM),
        "subgoal": nullable(_PLAN_ITEM),
    }
)
TAGS_JSON = {"type": "array", "items": TAG_JSON, "description": "newest funding period first"}


def tag_json(tag) -> dict:
    """A record's tag in one period (for the record's own JSON)."""

    def named(item):
        return {"id": item.id, "name_da": item.name_da, "name_en": item.name_en} if item is not None else None

    return {
        "period": named(tag.period),
        "current": tag.period.is_current,
        "theme": named(tag.theme),
        "municipal_goal": named(tag.goal),
        "subgoal": named(tag.subgoal),
    }
