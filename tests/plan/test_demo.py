"""`caseapp demo seed` builds both funding periods' structures and tags the seeded counselling cases."""

from __future__ import annotations

from sqlalchemy import func, select

from caseapp.domains.counselling.models import CounsellingCase
from caseapp.extensions import db
from caseapp.plan.models import FundingPeriod, PartialAgreement, PlanTag, PlanTarget
from caseapp.plan.tagging import current_period, earlier_themes, tagged_ids


def test_the_demo_plan_has_both_periods_their_targets_and_tagged_cases(app, make_user):
    from caseapp.demo import seed

    make_user("social_worker")
    with app.app_context():
        report = seed(people=40, seed=3, accounts=False)
        assert any(line.startswith("seeded the plan: 2 funding periods") for line in report)
        periods = db.session.scalars(select(FundingPeriod).order_by(FundingPeriod.starts_on)).all()
        assert [p.grant_name for p in periods] == ["2015–18", "2019–26"]
        old, new = periods
        assert current_period() is new
        assert [t.name_da for t in old.themes] == [
            "Tryghed og trivsel",
            "Kriminalpræventiv indsats",
            "Uddannelse og beskæftigelse",
            "Forebyggelse og forældreansvar",
        ]
        assert [t.name_da for t in new.themes] == [
            "Uddannelse og livschancer",
            "Beskæftigelse",
            "Kriminalitetsforebyggelse",
            "Sammenhængskraft og medborgerskab",
        ]
        assert [g.name_da for g in new.goals] == [
            "Styrket civilsamfund",
            "Større tryghed",
            "Højere uddannelsesniveau",
            "Flere i arbejde",
        ]
        assert sum(p.share_percent for p in new.partners) == 100
        measures = set(db.session.scalars(select(PlanTarget.measure_da)))
        assert {
            "antal unge i fritidsjob",
            "antal forældre i forældrerådgivning",
            "antal deltagere der gennemfører et udviklingsforløb",
        } <= measures
        for agreement in db.session.scalars(select(PartialAgreement)):
            assert agreement.current.approval_state == "approved" and agreement.latest_number > 2
            assert agreement.current.subgoals and all(s["targets"] for s in agreement.current.subgoals)
        education = new.themes[0]
        assert {t.name_da for t in education.continues} == {
            "Uddannelse og beskæftigelse",
            "Forebyggelse og forældreansvar",
        }
        assert len(earlier_themes(education.id)) == 3

        cases = db.session.scalar(select(func.count(CounsellingCase.id)))
        assert cases > 0
        tagged = set(db.session.scalars(tagged_ids("counselling_case", theme_id=education.id)))
        assert len(tagged) == cases
        assert db.session.scalar(select(func.count(PlanTag.id)).where(PlanTag.subgoal_id.is_(None))) == 0
        again = seed(people=0, seed=3, accounts=False)  # seeding again adds no second plan
        assert not any(line.startswith("seeded the plan") for line in again)
        assert db.session.scalar(select(func.count(FundingPeriod.id))) == 2
