"""The demo plan: Vollsmose's structure under Landsbyggefonden's 2015–18 money and under the 2019–26
money (current), each with Odense's four goals, a delaftale per theme, Danish delmål and targets, and
the mapping from the old themes to the new. Made through the plan's own verbs, so its history reads as
a leader's would; deterministic (no randomness)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from caseapp.extensions import db
from caseapp.plan import services
from caseapp.plan.models import FundingPeriod, MunicipalGoal, PartialAgreement, PlanSubgoal, PlanTarget, PlanTheme
from caseapp.plan.tagging import current_period

GOALS = (
    ("Styrket civilsamfund", "Stronger civil society"),
    ("Større tryghed", "Greater safety"),
    ("Højere uddannelsesniveau", "Higher education level"),
    ("Flere i arbejde", "More people in work"),
)
FAB = "Fyns almennyttige Boligselskab"
PARTIES = f"Civica\n{FAB}\nOdense Kommune"

# (Danish, English) names; targets: (what is counted da, en, unit da, en, baseline, target, deadline)
PERIODS = (
    {
        "name": ("Helhedsplan for Vollsmose 2015–18", "Vollsmose master plan 2015–18"),
        "grant": "2015–18",
        "dates": (date(2015, 1, 1), date(2018, 12, 31)),
        "partners": (
            ("Civica", "housing_organisation", 45),
            (FAB, "housing_organisation", 35),
            ("Odense Kommune", "municipality", 20),
        ),
        "themes": {
            ("Tryghed og trivsel", "Safety and wellbeing"): (
                (
                    ("Flere beboere oplever området som trygt", "More residents feel safe in the area"),
                    (
                        (
                            "antal deltagere i tryghedsvandringer",
                            "participants in safety walks",
                            "deltagere",
                            "participants",
                            20,
                            80,
                            date(2018, 12, 31),
                        ),
                    ),
                ),
            ),
            ("Kriminalpræventiv indsats", "Crime prevention"): (
                (
                    ("Færre unge begår kriminalitet", "Fewer young people commit crime"),
                    (
                        (
                            "antal unge i SSP-forløb",
                            "young people in SSP programmes",
                            "unge",
                            "young people",
                            15,
                            40,
                            date(2018, 6, 30),
                        ),
                    ),
                ),
            ),
            ("Uddannelse og beskæftigelse", "Education and employment"): (
                (
                    ("Flere unge i fritidsjob og uddannelse", "More young people in leisure jobs and education"),
                    (
                        (
                            "antal unge i fritidsjob",
                            "young people in leisure jobs",
                            "unge",
                            "young people",
                            40,
                            120,
                            date(2018, 12, 31),
                        ),
                        (
                            "antal unge i lektiecafé",
                            "young people in the homework café",
                            "unge",
                            "young people",
                            30,
                            90,
                            date(2018, 12, 31),
                        ),
                    ),
                ),
            ),
            ("Forebyggelse og forældreansvar", "Prevention and parental responsibility"): (
                (
                    (
                        "Flere forældre tager aktivt del i børnenes skolegang",
                        "More parents take an active part in their children's schooling",
                    ),
                    (
                        (
                            "antal forældre i forældrerådgivning",
                            "parents in parent counselling",
                            "forældre",
                            "parents",
                            25,
                            80,
                            date(2018, 12, 31),
                        ),
                    ),
                ),
            ),
        },
        "approved_on": date(2015, 3, 1),
    },
    {
        "name": ("Helhedsplan for Vollsmose 2019–26", "Vollsmose master plan 2019–26"),
        "grant": "2019–26",
        "dates": (date(2019, 1, 1), date(2026, 12, 31)),
        "partners": (
            ("Civica", "housing_organisation", 40),
            (FAB, "housing_organisation", 35),
            ("Odense Kommune", "municipality", 25),
        ),
        "themes": {
            ("Uddannelse og livschancer", "Education and life chances"): (
                (
                    (
                        "Flere børn begynder i skole med alderssvarende sprog",
                        "More children start school with age-appropriate language",
                    ),
                    (
                        (
                            "antal forældre i forældrerådgivning",
                            "parents in parent counselling",
                            "forældre",
                            "parents",
                            60,
                            200,
                            date(2026, 12, 31),
                        ),
                        (
                            "antal familier der deltager i forældregrupper",
                            "families in parent groups",
                            "familier",
                            "families",
                            20,
                            75,
                            date(2025, 12, 31),
                        ),
                    ),
                ),
                (
                    (
                        "Flere børn og unge møder stabilt i dagtilbud og skole",
                        "More children and young people attend day care and school regularly",
                    ),
                    (
                        (
                            "antal børn hvis fremmøde følges op sammen med forældrene",
                            "children whose attendance is followed up with their parents",
                            "børn",
                            "children",
                            30,
                            150,
                            date(2026, 12, 31),
                        ),
                    ),
                ),
                (
                    ("Flere unge gennemfører et udviklingsforløb", "More young people complete a development course"),
                    (
                        (
                            "antal deltagere der gennemfører et udviklingsforløb",
                            "participants completing a development course",
                            "deltagere",
                            "participants",
                            0,
                            160,
                            date(2026, 6, 30),
                        ),
                    ),
                ),
            ),
            ("Beskæftigelse", "Employment"): (
                (
                    ("Flere unge får erfaring fra arbejdsmarkedet", "More young people gain work experience"),
                    (
                        (
                            "antal unge i fritidsjob",
                            "young people in leisure jobs",
                            "unge",
                            "young people",
                            90,
                            250,
                            date(2026, 12, 31),
                        ),
                        (
                            "andel unge der stadig er i job eller uddannelse efter 6 måneder",
                            "share still in a job or education after 6 months",
                            "%",
                            "%",
                            55,
                            70,
                            date(2026, 12, 31),
                        ),
                    ),
                ),
                (
                    ("Flere voksne kommer i job gennem mentorforløb", "More adults find work through mentoring"),
                    (
                        (
                            "antal borgere i mentorforløb",
                            "residents in mentoring",
                            "borgere",
                            "residents",
                            25,
                            120,
                            date(2026, 12, 31),
                        ),
                    ),
                ),
            ),
            ("Kriminalitetsforebyggelse", "Crime prevention"): (
                (
                    (
                        "Bekymringer for unge opspores og følges op tidligt",
                        "Concerns about young people are acted on early",
                    ),
                    (
                        (
                            "antal bekymringshenvendelser fulgt op inden for 14 dage",
                            "concerns followed up within 14 days",
                            "henvendelser",
                            "concerns",
                            40,
                            100,
                            date(2026, 12, 31),
                        ),
                    ),
                ),
            ),
            ("Sammenhængskraft og medborgerskab", "Cohesion and citizenship"): (
                (
                    (
                        "Flere beboere deltager i foreningsliv og frivilligt arbejde",
                        "More residents take part in associations and volunteering",
                    ),
                    (
                        ("antal frivillige", "volunteers", "frivillige", "volunteers", 120, 250, date(2026, 12, 31)),
                        (
                            "antal deltagere i aktiviteter i boligområdet",
                            "participants in activities in the area",
                            "deltagere",
                            "participants",
                            800,
                            1500,
                            date(2026, 12, 31),
                        ),
                    ),
                ),
            ),
        },
        "approved_on": date(2019, 4, 1),
    },
)
# Which 2015–18 theme's work continues under which 2019–26 themes.
MAPPING = {
    "Uddannelse og livschancer": ("Uddannelse og beskæftigelse", "Forebyggelse og forældreansvar"),
    "Beskæftigelse": ("Uddannelse og beskæftigelse",),
    "Kriminalitetsforebyggelse": ("Kriminalpræventiv indsats",),
    "Sammenhængskraft og medborgerskab": ("Tryghed og trivsel",),
}


def seed(*, staff: dict, count: int, seed: int) -> list[str]:
    if db.session.scalar(select(FundingPeriod.id).limit(1)) is not None:
        return []
    periods = [_period(spec) for spec in PERIODS]
    old, new = periods
    earlier = {t.name_da: t.id for t in old.themes}
    services.set_theme_mapping(
        new, {t.id: [earlier[name] for name in MAPPING.get(t.name_da, ())] for t in new.themes}, None
    )
    services.make_current(new, None)
    db.session.commit()
    targets = db.session.scalar(select(func.count(PlanTarget.id)))
    return [f"seeded the plan: {len(periods)} funding periods (current: {new.name_da}), {targets} targets"]


def _period(spec: dict) -> FundingPeriod:
    (name_da, name_en), (starts, ends) = spec["name"], spec["dates"]
    period = services.create_period(
        {
            "name_da": name_da,
            "name_en": name_en,
            "funder": "Landsbyggefonden",
            "grant_name": spec["grant"],
            "starts_on": starts,
            "ends_on": ends,
            "themes": [{"name_da": da, "name_en": en} for da, en in spec["themes"]],
            "goals": [{"name_da": da, "name_en": en} for da, en in GOALS],
            "partners": [{"name": n, "kind": k, "share_percent": s} for n, k, s in spec["partners"]],
        },
        None,
    )
    services.update_strategic_agreement(
        period.strategic_agreement,
        {
            "title_da": f"Strategisk samarbejdsaftale for Vollsmose {spec['grant']}",
            "title_en": f"Strategic agreement for Vollsmose {spec['grant']}",
            "parties": PARTIES,
            "agreed_on": spec["approved_on"],
        },
        None,
        None,
    )
    for theme, (_names, subgoals) in zip(period.themes, spec["themes"].items(), strict=True):
        agreement = services.create_agreement(
            theme,
            {
                "title_da": f"Delaftale om {theme.name_da.lower()}",
                "title_en": f"Partial agreement on {theme.name_en.lower()}",
                "parties": PARTIES,
                "approval_state": "draft",
                "summary_da": f"Delaftalen beskriver indsatsen for {theme.name_da.lower()} i {name_da}.",
            },
            None,
        )
        for (sub_da, sub_en), targets in subgoals:
            subgoal = services.add_subgoal(agreement, {"name_da": sub_da, "name_en": sub_en}, None, None)
            for measure_da, measure_en, unit_da, unit_en, baseline, target, deadline in targets:
                services.add_target(
                    subgoal,
                    {
                        "measure_da": measure_da,
                        "measure_en": measure_en,
                        "unit_da": unit_da,
                        "unit_en": unit_en,
                        "baseline": baseline,
                        "target_value": target,
                        "deadline": deadline,
                    },
                    None,
                    None,
                )
        current = agreement.current
        services.revise_agreement(
            agreement,
            {
                "title_da": current.title_da,
                "title_en": current.title_en,
                "parties": current.parties,
                "agreed_on": spec["approved_on"],
                "approval_state": "approved",
                "summary_da": current.summary_da,
                "summary_en": current.summary_en,
                "change_note": "Godkendt af bestyrelsen",
            },
            None,
            None,
        )
    return period


def form_tag(theme: str, subgoal: str | None = None, goal: str | None = None) -> dict:
    """For another part's demo data: the current period's theme, delmål and goal named (in Danish) as the
    plan fields of its form data ({} when the current period has no such theme)."""
    period = current_period()
    if period is None:
        return {}
    theme_id = db.session.scalar(
        select(PlanTheme.id).where(PlanTheme.period_id == period.id, PlanTheme.name_da == theme)
    )
    if theme_id is None:
        return {}
    subgoal_id = (
        db.session.scalar(
            select(PlanSubgoal.id)
            .join(PartialAgreement)
            .where(PlanSubgoal.name_da == subgoal, PartialAgreement.theme_id == theme_id)
        )
        if subgoal
        else None
    )
    goal_id = (
        db.session.scalar(
            select(MunicipalGoal.id).where(MunicipalGoal.period_id == period.id, MunicipalGoal.name_da == goal)
        )
        if goal
        else None
    )
    return {"plan_theme": theme_id, "plan_subgoal": subgoal_id or "", "plan_goal": goal_id or ""}
