"""The plan's verbs: only leaders change the plan, one period is current, the mapping points backwards."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from caseapp.errors import NotPermitted
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.users import User
from caseapp.plan import services
from caseapp.plan.models import FundingPeriod, PartialAgreementVersion
from tests.plan.factories import make_period

EARLIER = {"starts_on": date(2015, 1, 1), "ends_on": date(2018, 12, 31)}


@pytest.mark.parametrize(
    "role", ["social_worker", "mentor", "course_leader", "ssp", "coordinator", "analyst", "admin", "police"]
)
def test_no_verb_lets_anyone_but_a_leader_change_the_plan(app, make_user, role):
    staff = make_user(role)
    with app.test_request_context():  # the refusal's message is translated for the user
        actor = db.session.get(User, staff.id)
        period = make_period()
        agreement = period.themes[0].agreement
        subgoal = agreement.subgoals[0]
        attempts = [
            lambda: services.create_period({"name_da": "X", "grant_name": "x", "themes": [{"name_da": "T"}]}, actor),
            lambda: services.update_period(period, {"name_da": "Y"}, None, actor),
            lambda: services.make_current(period, actor),
            lambda: services.update_strategic_agreement(period.strategic_agreement, {"title_da": "Z"}, None, actor),
            lambda: services.revise_agreement(agreement, {"title_da": "Z"}, None, actor),
            lambda: services.add_subgoal(agreement, {"name_da": "Z"}, None, actor),
            lambda: services.update_subgoal(subgoal, {"name_da": "Z"}, None, actor),
            lambda: services.remove_subgoal(subgoal, {}, None, actor),
            lambda: services.add_target(
                subgoal,
                {"measure_da": "Z", "unit_da": "u", "target_value": 1, "deadline": date(2020, 1, 1)},
                None,
                actor,
            ),
            lambda: services.set_theme_mapping(period, {}, actor),
        ]
        for attempt in attempts:
            with pytest.raises(NotPermitted):
                attempt()
        assert db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action.like("plan.%"))) == 0
        assert db.session.scalar(select(func.count(PartialAgreementVersion.id))) == len(period.themes)


def test_one_period_is_current_and_the_change_is_audited(app, make_user):
    staff = make_user("leader")
    with app.app_context():
        leader = db.session.get(User, staff.id)
        old = make_period("2015–18", **EARLIER)
        new = make_period("2019–26", current=False)
        services.make_current(new, leader)
        assert db.session.scalars(select(FundingPeriod.id).where(FundingPeriod.is_current)).all() == [new.id]
        services.make_current(old, leader)
        assert db.session.scalars(select(FundingPeriod.id).where(FundingPeriod.is_current)).all() == [old.id]
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.period.make_current")).all()
        assert [e.actor_id for e in events] == [leader.id, leader.id]


def test_the_theme_mapping_only_reaches_back_to_earlier_periods(app, make_user):
    staff = make_user("leader")
    with app.app_context():
        leader = db.session.get(User, staff.id)
        old = make_period("2015–18", themes=("Uddannelse og beskæftigelse",), **EARLIER)
        new = make_period("2019–26", themes=("Uddannelse og livschancer", "Beskæftigelse"))
        later = make_period(
            "2027–30", themes=("Fremtid",), current=False, starts_on=date(2027, 1, 1), ends_on=date(2030, 12, 31)
        )
        changes = services.set_theme_mapping(
            new,
            {new.themes[0].id: [old.themes[0].id, later.themes[0].id], new.themes[1].id: [old.themes[0].id]},
            leader,
        )
        assert changes == 2
        assert [t.id for t in new.themes[0].continues] == [old.themes[0].id]
        assert [t.id for t in old.themes[0].continued_as] == [t.id for t in new.themes]
        assert (
            services.set_theme_mapping(
                new, {new.themes[0].id: [old.themes[0].id], new.themes[1].id: [old.themes[0].id]}, leader
            )
            == 0
        )
