"""The one way any record of any domain is tagged to the plan: a period's theme, municipal goal and delmål.

A domain's form inherits `PlanTagFields` (choices from the current funding period, validated), its
verbs call `set_tags(record_type, record_id, form.plan_tag_input())` (or, given the form's data,
`tag_input_from(data)`), its edit form is prefilled with `tag_form_data(...)`, its pages show `tags_of(...)`
(or `tags_for(...)` for a list), its reports count `tagged_ids(...)`, and erasure calls `delete_tags`.
A record has at most one tag per period; setting a tag replaces only the tag of that period, so a
record keeps its tags of earlier periods when a new one becomes current.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, select
from sqlalchemy.orm import contains_eager
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from caseapp import audit
from caseapp.errors import InvalidInput
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.plan.models import (
    FundingPeriod,
    MunicipalGoal,
    PartialAgreement,
    PlanSubgoal,
    PlanTag,
    PlanTheme,
    theme_mapping,
)

__all__ = [
    "TAG_SCHEMA",
    "PlanTag",
    "PlanTagFields",
    "TagInput",
    "delete_tags",
    "earlier_themes",
    "new_tag_rows",
    "set_tags",
    "tag_form_data",
    "tag_input_from",
    "tagged_ids",
    "tags_for",
    "tags_of",
]


@dataclass(frozen=True)
class TagInput:
    period_id: int
    theme_id: int | None
    goal_id: int | None
    subgoal_id: int | None

    @property
    def empty(self) -> bool:
        return self.theme_id is None and self.goal_id is None and self.subgoal_id is None


def current_period() -> FundingPeriod | None:
    return db.session.scalar(select(FundingPeriod).where(FundingPeriod.is_current.is_(True)).limit(1))


def _checked(tags: TagInput) -> TagInput:
    """The tag with its theme taken from its delmål when left out; refused unless all belong to its period."""
    problems: dict[str, object] = {}
    theme_id = tags.theme_id
    if db.session.get(FundingPeriod, tags.period_id) is None:
        raise InvalidInput({"plan_theme": _l("The funding period does not exist.")})
    if tags.subgoal_id is not None:
        row = db.session.execute(
            select(PartialAgreement.theme_id, PlanTheme.period_id)
            .join(PlanSubgoal, PlanSubgoal.agreement_id == PartialAgreement.id)
            .join(PlanTheme, PlanTheme.id == PartialAgreement.theme_id)
            .where(PlanSubgoal.id == tags.subgoal_id)
        ).first()
        if row is None or row.period_id != tags.period_id:
            problems["plan_subgoal"] = _l("Choose a sub-goal of the current funding period.")
        elif theme_id is None:
            theme_id = row.theme_id
        elif row.theme_id != theme_id:
            problems["plan_subgoal"] = _l("The sub-goal does not belong to the chosen theme's partial agreement.")
    if theme_id is not None:
        theme = db.session.get(PlanTheme, theme_id)
        if theme is None or theme.period_id != tags.period_id:
            problems["plan_theme"] = _l("Choose a theme of the current funding period.")
    if tags.goal_id is not None:
        goal = db.session.get(MunicipalGoal, tags.goal_id)
        if goal is None or goal.period_id != tags.period_id:
            problems["plan_goal"] = _l("Choose a municipal goal of the current funding period.")
    if problems:
        raise InvalidInput(problems)
    return TagInput(tags.period_id, theme_id, tags.goal_id, tags.subgoal_id)


def set_tags(record_type: str, record_id, tags: TagInput | None) -> None:
    """Replace the record's tag in the tag's period (None: in the current period) by `tags`; flush and audit.

    An empty tag removes that period's tag. Tags of other periods stay. Refuses (InvalidInput, with the
    form's field names) a theme, goal or delmål of another period, or a delmål of another theme.
    """
    record_id = str(record_id)
    if tags is None:
        period = current_period()
        if period is None:
            return
        tags = TagInput(period.id, None, None, None)
    elif not tags.empty:
        tags = _checked(tags)
    existing = db.session.scalar(
        select(PlanTag).where(
            PlanTag.record_type == record_type, PlanTag.record_id == record_id, PlanTag.period_id == tags.period_id
        )
    )
    detail = {
        "period_id": tags.period_id,
        "theme_id": tags.theme_id,
        "goal_id": tags.goal_id,
        "subgoal_id": tags.subgoal_id,
    }
    if tags.empty:
        if existing is None:
            return
        db.session.delete(existing)
        action = "plan.tag.remove"
    elif existing is None:
        db.session.add(
            PlanTag(
                record_type=record_type,
                record_id=record_id,
                period_id=tags.period_id,
                theme_id=tags.theme_id,
                goal_id=tags.goal_id,
                subgoal_id=tags.subgoal_id,
            )
        )
        action = "plan.tag.set"
    elif (existing.theme_id, existing.goal_id, existing.subgoal_id) == (tags.theme_id, tags.goal_id, tags.subgoal_id):
        return
    else:
        existing.theme_id, existing.goal_id, existing.subgoal_id = tags.theme_id, tags.goal_id, tags.subgoal_id
        action = "plan.tag.set"
    db.session.flush()
    audit.record(action, object_type=record_type, object_id=record_id, detail=detail)


def new_tag_rows(record_type: str, record_ids: Iterable, tags: TagInput | None) -> list[dict]:
    """The `plan_tag` rows `set_tags` would add for new (untagged) records, the tag checked once: for a
    bulk insert (the demo seeders), which audits the seeding as a whole instead of each tag. None when
    no period is current (`tag_input_from`) or an empty tag: no rows, as `set_tags` would add none."""
    if tags is None or tags.empty:
        return []
    tags = _checked(tags)
    now = utcnow()
    return [
        {
            "record_type": record_type,
            "record_id": str(record_id),
            "period_id": tags.period_id,
            "theme_id": tags.theme_id,
            "goal_id": tags.goal_id,
            "subgoal_id": tags.subgoal_id,
            "created_at": now,
        }
        for record_id in record_ids
    ]


def _ordered(query: Select) -> Select:
    return query.join(FundingPeriod, FundingPeriod.id == PlanTag.period_id).order_by(
        FundingPeriod.starts_on.desc(), PlanTag.id
    )


def tags_of(record_type: str, record_id) -> list[PlanTag]:
    """The record's tags, newest period first."""
    return list(
        db.session.scalars(
            _ordered(select(PlanTag).where(PlanTag.record_type == record_type, PlanTag.record_id == str(record_id)))
        ).unique()
    )


def tags_for(record_type: str, record_ids) -> dict[str, list[PlanTag]]:
    """The tags of many records in one query (for a list page): {str(record_id): [tags, newest period first]}."""
    ids = [str(i) for i in record_ids]
    found: dict[str, list[PlanTag]] = {i: [] for i in ids}
    if ids:
        for tag in db.session.scalars(
            _ordered(select(PlanTag).where(PlanTag.record_type == record_type, PlanTag.record_id.in_(ids)))
        ).unique():
            found[tag.record_id].append(tag)
    return found


def _ids(value) -> list[int] | None:
    if value is None:
        return None
    return [int(v) for v in value] if isinstance(value, Iterable) and not isinstance(value, str) else [int(value)]


def tagged_ids(record_type: str, *, theme_id=None, subgoal_id=None, goal_id=None, period_id=None) -> Select:
    """A SELECT of the record_ids (text) of records of the type tagged to the given theme(s), delmål, goal.

    Each argument is an id or several ids; `earlier_themes(theme_id)` gives a theme together with the
    earlier periods' themes mapped to it, to count a theme's work across periods.
    """
    query = select(PlanTag.record_id).where(PlanTag.record_type == record_type).distinct()
    for column, value in (
        (PlanTag.theme_id, theme_id),
        (PlanTag.subgoal_id, subgoal_id),
        (PlanTag.goal_id, goal_id),
        (PlanTag.period_id, period_id),
    ):
        ids = _ids(value)
        if ids is not None:
            query = query.where(column.in_(ids))
    return query


def earlier_themes(theme_id: int) -> set[int]:
    """The theme and every theme of an earlier period whose work continues under it (through the mapping)."""
    found = {theme_id}
    frontier = {theme_id}
    while frontier:
        frontier = (
            set(
                db.session.scalars(
                    select(theme_mapping.c.from_theme_id).where(theme_mapping.c.to_theme_id.in_(frontier))
                )
            )
            - found
        )
        found |= frontier
    return found


def delete_tags(record_type: str, record_id) -> None:
    """Remove every tag of a record that is erased or purged (flush and audit)."""
    result = db.session.execute(
        delete(PlanTag).where(PlanTag.record_type == record_type, PlanTag.record_id == str(record_id))
    )
    if result.rowcount:
        audit.record(
            "plan.tag.delete", object_type=record_type, object_id=str(record_id), detail={"tags": result.rowcount}
        )


def tag_form_data(record_type: str, record_id) -> dict:
    """The record's tag in the current period in PlanTagFields' terms (to prefill an edit form)."""
    period = current_period()
    tag = None
    if period is not None and record_id is not None:
        tag = db.session.scalar(
            select(PlanTag).where(
                PlanTag.record_type == record_type, PlanTag.record_id == str(record_id), PlanTag.period_id == period.id
            )
        )
    return {
        name: str(value) if value is not None else ""
        for name, value in (
            ("plan_theme", tag.theme_id if tag else None),
            ("plan_goal", tag.goal_id if tag else None),
            ("plan_subgoal", tag.subgoal_id if tag else None),
        )
    }


# The form mixin


@dataclass(frozen=True)
class _Structure:
    """The current period's choices, loaded once per form."""

    period: FundingPeriod | None
    themes: list[PlanTheme]
    goals: list[MunicipalGoal]
    subgoals: list[PlanSubgoal]  # with their agreement's theme loaded

    @classmethod
    def load(cls) -> _Structure:
        period = current_period()
        if period is None:
            return cls(None, [], [], [])
        subgoals = list(
            db.session.scalars(
                select(PlanSubgoal)
                .join(PartialAgreement)
                .join(PlanTheme, PlanTheme.id == PartialAgreement.theme_id)
                .where(PlanTheme.period_id == period.id)
                .order_by(PlanTheme.position, PlanSubgoal.position, PlanSubgoal.id)
                # The agreement and theme each choice's group names, from the join (not a query each).
                .options(contains_eager(PlanSubgoal.agreement).contains_eager(PartialAgreement.theme))
            )
        )
        return cls(period, list(period.themes), list(period.goals), subgoals)

    def subgoal_theme(self, subgoal_id: int) -> int | None:
        return next((s.agreement.theme_id for s in self.subgoals if s.id == subgoal_id), None)


def _structure(form) -> _Structure:
    if "_plan_structure" not in form.__dict__:
        form.__dict__["_plan_structure"] = _Structure.load()
    return form.__dict__["_plan_structure"]


def _theme_choices(form, field):
    return [SelectChoice("", _l("No theme"))] + [SelectChoice(str(t.id), t.name) for t in _structure(form).themes]


def _goal_choices(form, field):
    return [SelectChoice("", _l("No municipal goal"))] + [
        SelectChoice(str(g.id), g.name) for g in _structure(form).goals
    ]


def _subgoal_choices(form, field):
    return [SelectChoice("", _l("No sub-goal"))] + [
        SelectChoice(str(s.id), s.name, optgroup=s.agreement.theme.name) for s in _structure(form).subgoals
    ]


def _as_id(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class PlanTagFields:
    """WTForms mixin: the record's theme, municipal goal and delmål in the current funding period.

    Inherit it before FlaskForm (`class CaseForm(PlanTagFields, FlaskForm)`); every field may be left
    blank. `plan_tag_input()` gives the TagInput for `set_tags` (None when no period is current).
    """

    plan_theme = SelectField(
        _l("Theme (indsatsområde)"),
        choices=_theme_choices,
        default="",
        invalid_choice_message=_l("Choose a theme of the current funding period."),
    )
    plan_goal = SelectField(
        _l("Municipal goal"),
        choices=_goal_choices,
        default="",
        invalid_choice_message=_l("Choose a municipal goal of the current funding period."),
    )
    plan_subgoal = SelectField(
        _l("Sub-goal (delmål)"),
        choices=_subgoal_choices,
        default="",
        invalid_choice_message=_l("Choose a sub-goal of the current funding period."),
    )

    def validate_plan_subgoal(self, field):
        subgoal_id, theme_id = _as_id(field.data), _as_id(self.plan_theme.data)
        if subgoal_id is not None and theme_id is not None and _structure(self).subgoal_theme(subgoal_id) != theme_id:
            raise ValidationError(_l("The sub-goal does not belong to the chosen theme's partial agreement."))

    @property
    def plan_period(self) -> FundingPeriod | None:
        return _structure(self).period

    def plan_tag_input(self) -> TagInput | None:
        return tag_input_from(self.data, _structure(self).period)


TAG_FIELDS = ("plan_theme", "plan_goal", "plan_subgoal")
# The PlanTagFields in a JSON body, for a domain's OpenAPI request schema: ids as text, "" for none.
TAG_SCHEMA = {
    "plan_theme": {"type": "string", "description": "id of a theme of the current funding period"},
    "plan_goal": {"type": "string", "description": "id of a municipal goal of the current funding period"},
    "plan_subgoal": {"type": "string", "description": "id of a delmål of the chosen theme's delaftale"},
}


def tag_input_from(data: dict, period: FundingPeriod | None = None) -> TagInput | None:
    """The tag that a PlanTagFields form's data (`form.data`) asks for in the current period.

    None when the data has no plan fields or no period is current: then the record's tags stay as they
    are. A verb that takes form data calls `set_tags(type, id, tag_input_from(data))` unless it is None.
    """
    if not any(name in data for name in TAG_FIELDS):
        return None
    period = period or current_period()
    if period is None:
        return None
    return TagInput(
        period.id, _as_id(data.get("plan_theme")), _as_id(data.get("plan_goal")), _as_id(data.get("plan_subgoal"))
    )
