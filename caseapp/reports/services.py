"""The verbs of reporting: adopt the ready-made indicators, define and edit indicators, freeze a report,
enter the funder's register figures. Each flushes and audits; the request commits (caseapp.web)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from caseapp import audit
from caseapp.errors import InvalidInput, NotFound
from caseapp.extensions import db
from caseapp.plan.models import PlanTarget, PlanTheme
from caseapp.reports import document
from caseapp.reports.catalogue import READY_MADE
from caseapp.reports.models import KINDS, FrozenReport, Indicator, RegisterFigure
from caseapp.reports.queries import Scope

FIELDS = (
    "name_da",
    "name_en",
    "kind",
    "measures",
    "outcomes",
    "programmes",
    "months",
    "denominator_measures",
    "denominator_outcomes",
    "target_id",
)


def indicators() -> list[Indicator]:
    return list(db.session.scalars(select(Indicator).order_by(Indicator.position, Indicator.id)))


def adopt_ready_made(actor) -> int:
    """Add each ready-made indicator not adopted yet (by its key); returns how many were added."""
    have = set(db.session.scalars(select(Indicator.key).where(Indicator.key.is_not(None))))
    position = db.session.scalar(select(func.coalesce(func.max(Indicator.position), 0))) or 0
    added = 0
    for spec in READY_MADE:
        if spec["key"] in have:
            continue
        position += 1
        db.session.add(Indicator(**spec, position=position))
        added += 1
    db.session.flush()
    audit.record("reports.indicator.adopt", object_type="report_indicator", actor=actor, detail={"added": added})
    return added


def _checked(data: dict) -> dict:
    problems = {}
    if data.get("kind") not in KINDS:
        problems["kind"] = _l("Choose what the indicator counts.")
    if not data.get("measures"):
        problems["measures"] = _l("Choose at least one kind of record to count.")
    if data.get("kind") == "share" and not data.get("denominator_measures"):
        problems["denominator_measures"] = _l("A share needs the records it is a share of.")
    if data.get("kind") == "retention" and not data.get("months"):
        problems["months"] = _l("Retention is counted at a number of months.")
    target_id = data.get("target_id")
    if target_id is not None and db.session.get(PlanTarget, target_id) is None:
        problems["target_id"] = _l("Choose a target of the plan.")
    if problems:
        raise InvalidInput(problems)
    return {k: data.get(k) for k in FIELDS}


def create_indicator(data: dict, actor) -> Indicator:
    values = _checked(data)
    position = db.session.scalar(select(func.coalesce(func.max(Indicator.position), 0))) or 0
    indicator = Indicator(**{k: v if v is not None or k in ("months", "target_id") else [] for k, v in values.items()})
    indicator.position = position + 1
    db.session.add(indicator)
    db.session.flush()
    audit.record("reports.indicator.create", object_type="report_indicator", object_id=indicator.id, actor=actor)
    return indicator


def update_indicator(indicator: Indicator, data: dict, version, actor) -> Indicator:
    indicator.check_version(version)
    values = _checked(data)
    changed = [k for k, v in values.items() if getattr(indicator, k) != v]
    for key in changed:
        setattr(indicator, key, values[key])
    db.session.flush()
    audit.record(
        "reports.indicator.update",
        object_type="report_indicator",
        object_id=indicator.id,
        actor=actor,
        detail={"fields": changed},
    )
    return indicator


def delete_indicator(indicator: Indicator, actor) -> None:
    db.session.delete(indicator)
    db.session.flush()
    audit.record("reports.indicator.delete", object_type="report_indicator", object_id=indicator.id, actor=actor)


def freeze(title: str, scope: Scope, actor) -> FrozenReport:
    """Submit the (suppressed) report for the scope: its document stored as canonical JSON with its hash."""
    if not title.strip():
        raise InvalidInput({"title": _l("Give the report a title.")})
    if scope.ends_on < scope.starts_on:
        raise InvalidInput({"ends_on": _l("The report must end on or after the day it starts.")})
    if len(scope.theme_ids) == 1 and db.session.get(PlanTheme, scope.theme_ids[0]) is None:
        raise InvalidInput({"theme": _l("Choose a theme of the plan.")})
    definitions = [document.Definition.of(i) for i in indicators()]
    content = document.canonical(document.build(definitions, scope, title=title.strip()))
    frozen = FrozenReport(
        title=title.strip(),
        starts_on=scope.starts_on,
        ends_on=scope.ends_on,
        theme_id=scope.theme_ids[0] if scope.theme_ids else None,
        content=content,
        sha256=document.sha256(content),
        submitted_by_id=actor.id if actor else None,
    )
    db.session.add(frozen)
    db.session.flush()
    audit.record(
        "reports.frozen.create",
        object_type="report_frozen",
        object_id=frozen.id,
        actor=actor,
        detail={
            "sha256": frozen.sha256,
            "starts_on": scope.starts_on.isoformat(),
            "ends_on": scope.ends_on.isoformat(),
        },
    )
    return frozen


def frozen_scope(frozen: FrozenReport) -> Scope:
    import json

    stored = json.loads(frozen.content)["scope"]
    return Scope(
        date.fromisoformat(stored["starts_on"]),
        date.fromisoformat(stored["ends_on"]),
        stored["period_id"],
        tuple(stored["theme_ids"]),
        tuple(stored["subgoal_ids"]),
    )


def recompute(frozen: FrozenReport) -> dict:
    """The frozen report's definitions computed again over today's records (to list corrections)."""
    import json

    submitted = json.loads(frozen.content)
    definitions = [document.Definition.from_json(i["definition"]) for i in submitted["indicators"]]
    return document.build(
        definitions, frozen_scope(frozen), title=submitted["title"], breakdowns=tuple(submitted["breakdowns"])
    )


def save_register_figure(data: dict, actor, figure: RegisterFigure | None = None, version=None) -> RegisterFigure:
    if data.get("half") not in (1, 2):
        raise InvalidInput({"half": _l("Choose the first or the second half-year.")})
    duplicate = db.session.scalar(
        select(RegisterFigure.id).where(
            RegisterFigure.area == data["area"],
            RegisterFigure.year == data["year"],
            RegisterFigure.half == data["half"],
            RegisterFigure.name == data["name"],
        )
    )
    if duplicate is not None and (figure is None or duplicate != figure.id):
        raise InvalidInput({"name": _l("This figure is already entered for the area and half-year.")})
    if figure is None:
        figure = RegisterFigure(entered_by_id=actor.id if actor else None)
        db.session.add(figure)
    else:
        figure.check_version(version)
    for key in ("area", "year", "half", "name", "value", "unit", "source_note"):
        setattr(figure, key, data.get(key) if data.get(key) is not None else "")
    db.session.flush()
    audit.record("reports.register_figure.save", object_type="report_register_figure", object_id=figure.id, actor=actor)
    return figure


def delete_register_figure(figure_id: int, actor) -> None:
    figure = db.session.get(RegisterFigure, figure_id)
    if figure is None:
        raise NotFound()
    db.session.delete(figure)
    db.session.flush()
    audit.record(
        "reports.register_figure.delete", object_type="report_register_figure", object_id=figure_id, actor=actor
    )


def register_figures(starts_on: date, ends_on: date) -> list[RegisterFigure]:
    """The funder's figures of the half-years the dates touch."""
    halves = set()
    day = starts_on
    while day <= ends_on:
        halves.add((day.year, 1 if day.month <= 6 else 2))
        day = date(day.year + (day.month >= 7), 1 if day.month >= 7 else 7, 1)
    figures = db.session.scalars(
        select(RegisterFigure).order_by(
            RegisterFigure.year, RegisterFigure.half, RegisterFigure.area, RegisterFigure.name
        )
    )
    return [f for f in figures if (f.year, f.half) in halves]
