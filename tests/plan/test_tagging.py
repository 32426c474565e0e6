"""The shared tagging: one tag per record and period, kept across periods, checked, audited, countable."""

from __future__ import annotations

from datetime import date

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from caseapp.errors import InvalidInput
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.plan.models import PlanTag, theme_mapping
from caseapp.plan.tagging import (
    PlanTagFields,
    TagInput,
    delete_tags,
    earlier_themes,
    set_tags,
    tag_form_data,
    tagged_ids,
    tags_for,
    tags_of,
)
from tests.plan.factories import make_period

CASE = "counselling_case"
EARLIER = {"starts_on": date(2015, 1, 1), "ends_on": date(2018, 12, 31)}


def tag(period, theme=None, goal=None, subgoal=None) -> TagInput:
    return TagInput(period.id, theme.id if theme else None, goal.id if goal else None, subgoal.id if subgoal else None)


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_a_tag_is_stored_and_audited(ctx):
    period = make_period()
    theme, goal = period.themes[0], period.goals[0]
    subgoal = theme.agreement.subgoals[0]
    set_tags(CASE, "case-1", tag(period, theme, goal, subgoal))
    db.session.commit()
    [stored] = tags_of(CASE, "case-1")
    assert (stored.period_id, stored.theme_id, stored.goal_id, stored.subgoal_id) == (
        period.id,
        theme.id,
        goal.id,
        subgoal.id,
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan.tag.set"))
    assert event.object_type == CASE and event.object_id == "case-1"


def test_the_theme_is_taken_from_the_subgoal_when_left_out(ctx):
    period = make_period()
    subgoal = period.themes[1].agreement.subgoals[0]
    set_tags(CASE, 7, tag(period, subgoal=subgoal))
    assert tags_of(CASE, "7")[0].theme_id == period.themes[1].id


def test_setting_the_same_tag_again_writes_nothing(ctx):
    period = make_period()
    set_tags(CASE, 1, tag(period, period.themes[0]))
    set_tags(CASE, 1, tag(period, period.themes[0]))
    assert audit_actions().count("plan.tag.set") == 1


def test_a_record_keeps_its_tag_when_a_new_period_becomes_current(ctx):
    old = make_period("Helhedsplan 2015–18", themes=("Tryghed og trivsel", "Kriminalpræventiv indsats"), **EARLIER)
    set_tags(CASE, "c", tag(old, old.themes[1]))
    new = make_period("Helhedsplan 2019–26")
    assert not old.is_current and new.is_current
    set_tags(CASE, "c", tag(new, new.themes[0]))
    set_tags(CASE, "c", None)  # clearing the tag in the (new) current period
    set_tags(CASE, "c", tag(new, new.themes[1]))
    db.session.commit()
    tags = tags_of(CASE, "c")
    assert [(t.period_id, t.theme_id) for t in tags] == [(new.id, new.themes[1].id), (old.id, old.themes[1].id)]
    assert tags[1].theme.name_da == "Kriminalpræventiv indsats"


def test_none_clears_only_the_current_periods_tag(ctx):
    old = make_period("2015–18", themes=("Tryghed og trivsel",), **EARLIER)
    set_tags(CASE, "c", tag(old, old.themes[0]))
    new = make_period("2019–26")
    set_tags(CASE, "c", tag(new, new.themes[0]))
    set_tags(CASE, "c", None)
    assert [t.period_id for t in tags_of(CASE, "c")] == [old.id]
    assert "plan.tag.remove" in audit_actions()


@pytest.mark.parametrize("wrong", ["theme", "goal", "subgoal", "subgoal_of_other_theme"])
def test_parts_of_another_period_or_theme_are_refused(ctx, wrong):
    old = make_period("2015–18", themes=("Tryghed og trivsel",), goals=("Større tryghed",), **EARLIER)
    new = make_period("2019–26")
    given = {
        "theme": tag(new, old.themes[0]),
        "goal": tag(new, new.themes[0], old.goals[0]),
        "subgoal": tag(new, subgoal=old.themes[0].agreement.subgoals[0]),
        "subgoal_of_other_theme": tag(new, new.themes[0], subgoal=new.themes[1].agreement.subgoals[0]),
    }[wrong]
    with pytest.raises(InvalidInput) as refused:
        set_tags(CASE, "c", given)
    assert set(refused.value.fields) <= {"plan_theme", "plan_goal", "plan_subgoal"}
    assert db.session.scalar(select(func.count(PlanTag.id))) == 0


def test_tags_for_a_list_and_the_ids_tagged_to_a_theme(ctx):
    period = make_period()
    first, second = period.themes
    set_tags(CASE, "a", tag(period, first))
    set_tags(CASE, "b", tag(period, second, subgoal=second.agreement.subgoals[0]))
    set_tags("course", "a", tag(period, second))
    found = tags_for(CASE, ["a", "b", "c"])
    assert [t.theme_id for t in found["a"]] == [first.id] and found["c"] == []
    assert set(db.session.scalars(tagged_ids(CASE, theme_id=second.id))) == {"b"}
    assert set(db.session.scalars(tagged_ids(CASE, theme_id=[first.id, second.id]))) == {"a", "b"}
    assert set(db.session.scalars(tagged_ids(CASE, subgoal_id=second.agreement.subgoals[0].id))) == {"b"}
    assert set(db.session.scalars(tagged_ids("course", period_id=period.id))) == {"a"}


def test_a_theme_counts_with_the_earlier_themes_mapped_to_it(ctx):
    old = make_period("2015–18", themes=("Uddannelse og beskæftigelse", "Tryghed og trivsel"), **EARLIER)
    set_tags(CASE, "old", tag(old, old.themes[0]))
    new = make_period("2019–26", themes=("Uddannelse og livschancer", "Beskæftigelse"))
    set_tags(CASE, "new", tag(new, new.themes[0]))
    db.session.execute(theme_mapping.insert().values(from_theme_id=old.themes[0].id, to_theme_id=new.themes[0].id))
    assert earlier_themes(new.themes[0].id) == {new.themes[0].id, old.themes[0].id}
    assert set(db.session.scalars(tagged_ids(CASE, theme_id=earlier_themes(new.themes[0].id)))) == {"old", "new"}


def test_delete_tags_removes_every_period(ctx):
    old = make_period("2015–18", **EARLIER)
    set_tags(CASE, "x", tag(old, old.themes[0]))
    new = make_period("2019–26")
    set_tags(CASE, "x", tag(new, new.themes[0]))
    delete_tags(CASE, "x")
    assert tags_of(CASE, "x") == [] and "plan.tag.delete" in audit_actions()


class TaggedForm(PlanTagFields, FlaskForm):
    pass


def form_with(app, data: dict) -> TaggedForm:
    with app.test_request_context("/", method="POST"):
        form = TaggedForm(formdata=MultiDict(data), meta={"csrf": False})
        form.validate()
        return form


def test_the_form_offers_the_current_periods_five_themes(app, ctx):
    make_period("2015–18", themes=("Tryghed og trivsel",), **EARLIER)
    names = ("Uddannelse", "Beskæftigelse", "Kriminalitetsforebyggelse", "Medborgerskab", "Sundhed og trivsel")
    period = make_period("En periode med fem temaer", themes=names, goals=("Flere i arbejde", "Større tryghed"))
    db.session.commit()
    with app.test_request_context("/"):
        form = TaggedForm(meta={"csrf": False})
        assert [c.label for c in form.plan_theme.iter_choices()][1:] == list(names)
        assert len(list(form.plan_goal.iter_choices())) == 3
        groups = [group for group, _choices in form.plan_subgoal.iter_groups() if group]
        assert groups == list(names)
    fifth = period.themes[4]
    form = form_with(app, {"plan_theme": str(fifth.id), "plan_subgoal": str(fifth.agreement.subgoals[0].id)})
    assert form.errors == {}
    assert form.plan_tag_input() == TagInput(period.id, fifth.id, None, fifth.agreement.subgoals[0].id)


def test_the_form_refuses_a_subgoal_of_another_theme_and_a_theme_of_another_period(app, ctx):
    old = make_period("2015–18", themes=("Tryghed og trivsel",), **EARLIER)
    period = make_period()
    db.session.commit()
    form = form_with(
        app, {"plan_theme": str(period.themes[0].id), "plan_subgoal": str(period.themes[1].agreement.subgoals[0].id)}
    )
    assert "plan_subgoal" in form.errors
    form = form_with(app, {"plan_theme": str(old.themes[0].id)})
    assert "plan_theme" in form.errors


def test_a_blank_form_gives_an_empty_tag_and_no_period_gives_none(app, ctx):
    form = form_with(app, {})
    assert form.errors == {} and form.plan_tag_input() is None
    period = make_period()
    db.session.commit()
    form = form_with(app, {})
    assert form.errors == {} and form.plan_tag_input() == TagInput(period.id, None, None, None)


def test_tag_form_data_prefills_the_current_periods_tag(ctx):
    period = make_period()
    set_tags(CASE, "c", tag(period, period.themes[1], period.goals[0]))
    assert tag_form_data(CASE, "c") == {
        "plan_theme": str(period.themes[1].id),
        "plan_goal": str(period.goals[0].id),
        "plan_subgoal": "",
    }
