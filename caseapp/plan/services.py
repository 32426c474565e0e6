"""The plan's verbs: they check the plan's rules, flush and audit; the request commits once.

Only leaders change the plan (Permission.PLAN_MANAGE); a verb refuses anyone else with NotPermitted,
whatever page or route called it, and an earlier period than the current one with Refused.
A delaftale is changed only by appending a version (see models).
"""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale, format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from caseapp import audit
from caseapp.errors import InvalidInput, NotPermitted, Refused
from caseapp.extensions import db
from caseapp.models.base import StaleVersion
from caseapp.plan.forms import filled
from caseapp.plan.models import (
    APPROVAL_STATES,
    PARTNER_KINDS,
    FundingPartner,
    FundingPeriod,
    MunicipalGoal,
    PartialAgreement,
    PartialAgreementVersion,
    PlanSubgoal,
    PlanTag,
    PlanTarget,
    PlanTheme,
    StrategicAgreement,
)
from caseapp.plan.tagging import current_period
from caseapp.security.permissions import Permission, can


def _check_manager(actor) -> None:
    # None: the system itself (demo seeding); a person must be a leader.
    if actor is not None and not can(actor, Permission.PLAN_MANAGE):
        raise NotPermitted(_l("Only leaders change the plan."))


def is_past(period: FundingPeriod) -> bool:
    """An earlier period than the current one: it stays as it was, so its reports read the same later."""
    current = current_period()
    return current is not None and period.id != current.id and period.starts_on < current.starts_on


def _check_open(period: FundingPeriod) -> None:
    if is_past(period):
        raise Refused(
            _l(
                "%(name)s is an earlier funding period than the current one. It stays as it was, "
                "so its reports do not change.",
                name=period.name_da,
            )
        )


def _text(value) -> str:
    return (value or "").strip()


def _danish(message, **values) -> str:
    """A default change note, stored in Danish: the language of the delaftale and of its export."""
    with force_locale("da"):
        return str(message % values if values else message)


def _note(data: dict, default, name: str) -> str:
    """The change note the leader wrote, else a default naming what changed."""
    return _text(data.get("change_note")) or _danish(default, name=name)


def _audit(action: str, object_type: str, object_id, actor, **detail) -> None:
    audit.record(f"plan.{action}", object_type=object_type, object_id=object_id, detail=detail or None, actor=actor)


# Funding periods


def create_period(data: dict, actor) -> FundingPeriod:
    """A new period with its themes, goals and partners, and its (empty) strategic agreement.

    The first period made becomes current; later ones are made current deliberately (`make_current`).
    """
    _check_manager(actor)
    first = db.session.scalar(select(FundingPeriod.id).limit(1)) is None
    period = FundingPeriod(is_current=first)
    _set_period_fields(period, data)
    period.strategic_agreement = StrategicAgreement(
        title_da="Strategisk samarbejdsaftale", title_en="Strategic agreement"
    )
    db.session.add(period)
    _sync_rows(period, data, actor)
    db.session.flush()
    _audit(
        "period.create",
        "funding_period",
        period.id,
        actor,
        themes=len(period.themes),
        goals=len(period.goals),
        partners=len(period.partners),
        current=period.is_current,
    )
    return period


def update_period(period: FundingPeriod, data: dict, version, actor) -> list[str]:
    """Change a period's names, dates, themes, goals and partners; refuses a stale version.

    A theme with a delaftale or tagged work, or a goal with tagged work, cannot be removed (rename it).
    """
    _check_manager(actor)
    _check_open(period)
    if version is not None and version != period.version:
        raise StaleVersion()
    changed = _set_period_fields(period, data) + _sync_rows(period, data, actor)
    if changed:
        db.session.flush()
        _audit("period.update", "funding_period", period.id, actor, fields=sorted(changed))
    return changed


PERIOD_FIELDS = ("name_da", "name_en", "funder", "grant_name", "starts_on", "ends_on")


def _set_period_fields(period: FundingPeriod, data: dict) -> list[str]:
    changed = []
    for name in PERIOD_FIELDS:
        value = data.get(name) if name in ("starts_on", "ends_on") else _text(data.get(name))
        if getattr(period, name) != value:
            setattr(period, name, value)
            changed.append(name)
    return changed


def _sync_rows(period: FundingPeriod, data: dict, actor) -> list[str]:
    """Bring the period's themes, goals and partners in line with the form's rows; names of what changed."""
    problems: dict[str, str] = {}
    changed = []
    if _sync(
        period.themes,
        filled(data.get("themes", [])),
        PlanTheme,
        "themes",
        problems,
        in_use=_theme_in_use,
        fields=("name_da", "name_en"),
    ):
        changed.append("themes")
    if _sync(
        period.goals,
        filled(data.get("goals", [])),
        MunicipalGoal,
        "goals",
        problems,
        in_use=_goal_in_use,
        fields=("name_da", "name_en"),
    ):
        changed.append("goals")
    partners = [row for row in filled(data.get("partners", [])) if _text(row.get("name"))]
    for index, row in enumerate(partners):
        if row.get("kind") not in PARTNER_KINDS:
            problems[f"partners-{index}-kind"] = _l("Choose the kind of partner.")
    if _sync(
        period.partners,
        partners,
        FundingPartner,
        "partners",
        problems,
        in_use=None,
        fields=("name", "kind", "share_percent"),
    ):
        changed.append("partners")
    if problems:
        raise InvalidInput(problems)
    return changed


def _sync(existing: list, rows: list[dict], model, name: str, problems: dict, *, in_use, fields) -> bool:
    """Update, add and remove child rows by their hidden ids, keeping the order the rows were given in."""
    by_id = {str(item.id): item for item in existing}
    kept, changed = [], False
    for position, row in enumerate(rows):
        item = by_id.pop(str(row.get("id") or ""), None)
        values = {f: (_text(row.get(f)) if f != "share_percent" else row.get(f)) for f in fields}
        if item is None:
            if row.get("id") and not any(values.values()):
                continue  # an unknown row left empty
            item, changed = model(**values), True
        elif not any(v for k, v in values.items() if k in ("name_da", "name")):
            by_id[str(item.id)] = item  # emptied: removed below
            continue
        for field, value in values.items():
            if getattr(item, field) != value:
                setattr(item, field, value)
                changed = True
        if item.position != position:
            item.position, changed = position, True
        kept.append(item)
    for item in by_id.values():
        if in_use is not None and in_use(item):
            problems[name] = _l(
                "“%(name)s” is in use (a partial agreement or tagged work) and cannot be removed; rename it instead.",
                name=item.name_da,
            )
            kept.append(item)
        else:
            changed = True
    existing[:] = kept
    return changed


def _theme_in_use(theme: PlanTheme) -> bool:
    return theme.id is not None and (theme.agreement is not None or _tagged(PlanTag.theme_id, theme.id))


def _goal_in_use(goal: MunicipalGoal) -> bool:
    return goal.id is not None and _tagged(PlanTag.goal_id, goal.id)


def _tagged(column, value) -> bool:
    return db.session.scalar(select(PlanTag.id).where(column == value).limit(1)) is not None


def make_current(period: FundingPeriod, actor) -> None:
    """Make the period the current one (new tags go to it); every record keeps the tags it has."""
    _check_manager(actor)
    if period.is_current:
        return
    previous = db.session.scalar(select(FundingPeriod.id).where(FundingPeriod.is_current.is_(True)))
    db.session.execute(
        update(FundingPeriod)
        .where(FundingPeriod.is_current.is_(True), FundingPeriod.id != period.id)
        .values(is_current=False, version=FundingPeriod.version + 1)
        .execution_options(synchronize_session="fetch")
    )
    period.is_current = True
    db.session.flush()
    _audit("period.make_current", "funding_period", period.id, actor, previous=previous)


def set_theme_mapping(period: FundingPeriod, continues: dict[int, list[int]], actor) -> int:
    """For each theme of the period, the earlier periods' themes whose work it continues. Changes made."""
    _check_manager(actor)
    _check_open(period)
    allowed = {t.id: t for t in earlier_themes_than(period)}
    changes = 0
    for theme in period.themes:
        wanted = {int(i) for i in continues.get(theme.id, []) if int(i) in allowed}
        current = {t.id for t in theme.continues}
        if wanted != current:
            theme.continues = [allowed[i] for i in sorted(wanted)]
            changes += len(wanted ^ current)
    if changes:
        db.session.flush()
        _audit("theme_mapping.update", "funding_period", period.id, actor, changes=changes)
    return changes


def earlier_themes_than(period: FundingPeriod) -> list[PlanTheme]:
    return list(
        db.session.scalars(
            select(PlanTheme)
            .join(FundingPeriod)
            .where(FundingPeriod.starts_on < period.starts_on)
            .order_by(FundingPeriod.starts_on, PlanTheme.position)
        )
    )


def update_strategic_agreement(strategic: StrategicAgreement, data: dict, version, actor) -> list[str]:
    _check_manager(actor)
    _check_open(strategic.period)
    if version is not None and version != strategic.version:
        raise StaleVersion()
    changed = []
    for name in ("title_da", "title_en", "parties", "agreed_on"):
        value = data.get(name) if name == "agreed_on" else _text(data.get(name))
        if getattr(strategic, name) != value:
            setattr(strategic, name, value)
            changed.append(name)
    if changed:
        db.session.flush()
        _audit("strategic_agreement.update", "plan_strategic_agreement", strategic.id, actor, fields=changed)
    return changed


# Delaftaler: every change appends a version

HEADER_FIELDS = ("title_da", "title_en", "parties", "agreed_on", "approval_state", "summary_da", "summary_en")


def create_agreement(theme: PlanTheme, data: dict, actor) -> PartialAgreement:
    """The delaftale of a theme, as its version 1."""
    _check_manager(actor)
    _check_open(theme.period)
    if theme.agreement is not None:
        raise Refused(_l("The theme already has a partial agreement."))
    strategic = theme.period.strategic_agreement
    agreement = PartialAgreement(strategic_agreement=strategic, theme=theme)
    db.session.add(agreement)
    db.session.flush()
    _append_version(agreement, _header(data), _text(data.get("change_note")) or _danish(_l("Created")), actor)
    _audit("agreement.create", "plan_agreement", agreement.id, actor, theme_id=theme.id)
    return agreement


def revise_agreement(agreement: PartialAgreement, data: dict, version, actor) -> PartialAgreementVersion | None:
    """A new version with the changed title, parties, date, approval state or content (None: nothing changed)."""
    _check_manager(actor)
    _check_open(agreement.theme.period)
    _check_latest(agreement, version)
    header = _header(data)
    current = agreement.current
    changed = [name for name in HEADER_FIELDS if getattr(current, name) != header[name]]
    if not changed:
        return None
    made = _append_version(agreement, header, _text(data.get("change_note")), actor)
    _audit("agreement.revise", "plan_agreement", agreement.id, actor, version=made.number, fields=changed)
    return made


def _header(data: dict) -> dict:
    state = data.get("approval_state") or "draft"
    if state not in APPROVAL_STATES:
        raise InvalidInput({"approval_state": _l("Choose the approval state.")})
    return {
        "title_da": _text(data.get("title_da")),
        "title_en": _text(data.get("title_en")),
        "parties": _text(data.get("parties")),
        "agreed_on": data.get("agreed_on"),
        "approval_state": state,
        "summary_da": _text(data.get("summary_da")),
        "summary_en": _text(data.get("summary_en")),
    }


def _check_latest(agreement: PartialAgreement, version) -> None:
    if version is not None and version != agreement.latest_number:
        raise StaleVersion()


def _append_version(agreement: PartialAgreement, header: dict, note: str, actor) -> PartialAgreementVersion:
    """Append the delaftale as it now stands (its header and every delmål with its targets) as a new version."""
    db.session.flush()
    db.session.expire(agreement, ["subgoals"])
    number = (
        db.session.scalar(
            select(func.max(PartialAgreementVersion.number)).where(PartialAgreementVersion.agreement_id == agreement.id)
        )
        or 0
    ) + 1
    made = PartialAgreementVersion(
        agreement_id=agreement.id,
        number=number,
        **header,
        change_note=note[:300],
        subgoals=[_subgoal_snapshot(s) for s in agreement.subgoals],
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(made)
    agreement.latest_number = number
    db.session.flush()
    db.session.expire(agreement, ["versions"])
    return made


def _subgoal_snapshot(subgoal: PlanSubgoal) -> dict:
    return {
        "id": subgoal.id,
        "name_da": subgoal.name_da,
        "name_en": subgoal.name_en,
        "targets": [
            {
                "id": t.id,
                "measure_da": t.measure_da,
                "measure_en": t.measure_en,
                "unit_da": t.unit_da,
                "unit_en": t.unit_en,
                "baseline": t.baseline,
                "target_value": t.target_value,
                "deadline": t.deadline.isoformat(),
            }
            for t in subgoal.targets
        ],
    }


def _content_changed(
    agreement: PartialAgreement, note: str, actor, action: str, object_type: str, object_id, **detail
) -> PartialAgreementVersion:
    """A delmål or target changed: a new version, back in draft (what was approved was the earlier text)."""
    current = agreement.current
    header = {name: getattr(current, name) for name in HEADER_FIELDS} | {"approval_state": "draft"}
    made = _append_version(agreement, header, note, actor)
    _audit(action, object_type, object_id, actor, agreement_id=agreement.id, version=made.number, **detail)
    return made


def add_subgoal(agreement: PartialAgreement, data: dict, version, actor) -> PlanSubgoal:
    _check_manager(actor)
    _check_open(agreement.theme.period)
    _check_latest(agreement, version)
    position = max((s.position for s in agreement.subgoals), default=-1) + 1
    subgoal = PlanSubgoal(
        agreement=agreement, name_da=_text(data.get("name_da")), name_en=_text(data.get("name_en")), position=position
    )
    db.session.add(subgoal)
    db.session.flush()
    _content_changed(
        agreement,
        _note(data, _l("Sub-goal added: %(name)s"), subgoal.name_da),
        actor,
        "subgoal.create",
        "plan_subgoal",
        subgoal.id,
    )
    return subgoal


def update_subgoal(subgoal: PlanSubgoal, data: dict, version, actor) -> list[str]:
    _check_manager(actor)
    _check_open(subgoal.agreement.theme.period)
    agreement = subgoal.agreement
    _check_latest(agreement, version)
    changed = []
    for name in ("name_da", "name_en"):
        if getattr(subgoal, name) != _text(data.get(name)):
            setattr(subgoal, name, _text(data.get(name)))
            changed.append(name)
    if changed:
        _content_changed(
            agreement,
            _note(data, _l("Sub-goal changed: %(name)s"), subgoal.name_da),
            actor,
            "subgoal.update",
            "plan_subgoal",
            subgoal.id,
            fields=changed,
        )
    return changed


def remove_subgoal(subgoal: PlanSubgoal, data: dict, version, actor) -> None:
    """Remove a delmål nothing is tagged to (with its targets); tagged work keeps a delmål in place."""
    _check_manager(actor)
    _check_open(subgoal.agreement.theme.period)
    agreement = subgoal.agreement
    _check_latest(agreement, version)
    if _tagged(PlanTag.subgoal_id, subgoal.id):
        raise Refused(
            _l(
                "Work is tagged to this sub-goal, so it cannot be removed. "
                "Rename it instead, or move the work to another sub-goal first."
            )
        )
    name, subgoal_id = subgoal.name_da, subgoal.id
    db.session.delete(subgoal)
    _content_changed(
        agreement,
        _note(data, _l("Sub-goal removed: %(name)s"), name),
        actor,
        "subgoal.delete",
        "plan_subgoal",
        subgoal_id,
    )


TARGET_FIELDS = ("measure_da", "measure_en", "unit_da", "unit_en", "baseline", "target_value", "deadline")


def _target_values(subgoal: PlanSubgoal, data: dict) -> dict:
    values = {
        name: data.get(name) if name in ("baseline", "target_value", "deadline") else _text(data.get(name))
        for name in TARGET_FIELDS
    }
    period = subgoal.agreement.theme.period
    deadline = values["deadline"]
    if not isinstance(deadline, date):
        raise InvalidInput({"deadline": _l("Enter the deadline.")})
    if not period.starts_on <= deadline <= period.ends_on:
        raise InvalidInput(
            {
                "deadline": _l(
                    "The deadline must lie within the funding period (%(start)s–%(end)s).",
                    start=format_date(period.starts_on),
                    end=format_date(period.ends_on),
                )
            }
        )
    return values


def add_target(subgoal: PlanSubgoal, data: dict, version, actor) -> PlanTarget:
    _check_manager(actor)
    _check_open(subgoal.agreement.theme.period)
    agreement = subgoal.agreement
    _check_latest(agreement, version)
    values = _target_values(subgoal, data)
    target = PlanTarget(subgoal=subgoal, position=max((t.position for t in subgoal.targets), default=-1) + 1, **values)
    db.session.add(target)
    db.session.flush()
    _content_changed(
        agreement,
        _note(data, _l("Target added: %(name)s"), target.measure_da),
        actor,
        "target.create",
        "plan_target",
        target.id,
    )
    return target


def update_target(target: PlanTarget, data: dict, version, actor) -> list[str]:
    _check_manager(actor)
    _check_open(target.subgoal.agreement.theme.period)
    agreement = target.subgoal.agreement
    _check_latest(agreement, version)
    values = _target_values(target.subgoal, data)
    changed = [name for name, value in values.items() if getattr(target, name) != value]
    for name in changed:
        setattr(target, name, values[name])
    if changed:
        _content_changed(
            agreement,
            _note(data, _l("Target changed: %(name)s"), target.measure_da),
            actor,
            "target.update",
            "plan_target",
            target.id,
            fields=changed,
        )
    return changed


def remove_target(target: PlanTarget, data: dict, version, actor) -> None:
    _check_manager(actor)
    _check_open(target.subgoal.agreement.theme.period)
    agreement = target.subgoal.agreement
    _check_latest(agreement, version)
    measure, target_id = target.measure_da, target.id
    target.subgoal.targets.remove(target)
    _content_changed(
        agreement,
        _note(data, _l("Target removed: %(name)s"), measure),
        actor,
        "target.delete",
        "plan_target",
        target_id,
    )
