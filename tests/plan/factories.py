"""A funding period with themes, goals, a delaftale per theme and delmål, made straight in the database."""

from __future__ import annotations

from datetime import date

from caseapp.extensions import db
from caseapp.plan.models import (
    FundingPeriod,
    MunicipalGoal,
    PartialAgreement,
    PartialAgreementVersion,
    PlanSubgoal,
    PlanTheme,
    StrategicAgreement,
)


def make_period(
    name: str = "Helhedsplan 2019–26",
    *,
    themes=("Uddannelse og livschancer", "Beskæftigelse"),
    goals=("Flere i arbejde",),
    subgoals_per_theme: int = 1,
    current: bool = True,
    starts_on: date = date(2019, 1, 1),
    ends_on: date = date(2026, 12, 31),
) -> FundingPeriod:
    """Call inside an app context; flushes (the caller commits). Delmål are named '<theme>: delmål <n>'."""
    if current:
        for other in db.session.scalars(db.select(FundingPeriod).where(FundingPeriod.is_current.is_(True))):
            other.is_current = False
    period = FundingPeriod(
        name_da=name,
        name_en=name,
        grant_name=f"{starts_on:%Y}–{ends_on:%y}",
        starts_on=starts_on,
        ends_on=ends_on,
        is_current=current,
    )
    period.themes = [PlanTheme(name_da=t, name_en=t, position=i) for i, t in enumerate(themes)]
    period.goals = [MunicipalGoal(name_da=g, name_en=g, position=i) for i, g in enumerate(goals)]
    strategic = StrategicAgreement(title_da="Strategisk samarbejdsaftale", title_en="Strategic agreement")
    period.strategic_agreement = strategic
    db.session.add(period)
    db.session.flush()
    for theme in period.themes:
        agreement = PartialAgreement(strategic_agreement=strategic, theme=theme, latest_number=1)
        agreement.subgoals = [
            PlanSubgoal(name_da=f"{theme.name_da}: delmål {n + 1}", name_en="", position=n)
            for n in range(subgoals_per_theme)
        ]
        agreement.versions = [PartialAgreementVersion(number=1, title_da=f"Delaftale om {theme.name_da}", subgoals=[])]
        db.session.add(agreement)
    db.session.flush()
    return period
