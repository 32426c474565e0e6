"""A report as one JSON-ready document: each indicator's definition, its value in the period and a year
earlier, every breakdown and the months of the period, suppressed together (`suppression.protect`).

Suppressed cells carry no number at all (value None): what a page, an export, the API or a frozen
report shows of a suppressed document cannot leak a small count. Only `unsuppressed=True` (leaders,
audited by the caller) keeps the numbers, with the statuses beside them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import format_decimal
from sqlalchemy import select

from caseapp.extensions import db
from caseapp.plan.models import PlanTheme
from caseapp.reports import queries, suppression
from caseapp.reports.bands import BREAKDOWNS, CATEGORY_LABELS, band_label
from caseapp.reports.queries import Counts, Scope, Selection
from caseapp.reports.suppression import SHOWN, Cell

SHARE_KINDS = ("share", "retention")
ALL_BREAKDOWNS = tuple(BREAKDOWNS)


@dataclass(frozen=True)
class Definition:
    """What an indicator counts, as stored in a frozen report (so a recomputation uses what was submitted)."""

    id: int | None
    key: str | None
    name_da: str
    name_en: str
    kind: str
    measures: tuple[str, ...]
    outcomes: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    months: int | None = None
    denominator_measures: tuple[str, ...] = ()
    denominator_outcomes: tuple[str, ...] = ()
    target: dict | None = None

    @classmethod
    def of(cls, indicator) -> Definition:
        target = indicator.target
        return cls(
            id=indicator.id,
            key=indicator.key,
            name_da=indicator.name_da,
            name_en=indicator.name_en or "",
            kind=indicator.kind,
            measures=tuple(indicator.measures or ()),
            outcomes=tuple(indicator.outcomes or ()),
            programmes=tuple(indicator.programmes or ()),
            months=indicator.months,
            denominator_measures=tuple(indicator.denominator_measures or ()),
            denominator_outcomes=tuple(indicator.denominator_outcomes or ()),
            target=None
            if target is None
            else {
                "id": target.id,
                "measure_da": target.measure_da,
                "unit_da": target.unit_da,
                "baseline": target.baseline,
                "target_value": target.target_value,
                "deadline": target.deadline.isoformat(),
                "subgoal_da": target.subgoal.name_da,
            },
        )

    @classmethod
    def from_json(cls, data: dict) -> Definition:
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**fields)

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "key": self.key,
            "name_da": self.name_da,
            "name_en": self.name_en,
            "kind": self.kind,
            "measures": list(self.measures),
            "outcomes": list(self.outcomes),
            "programmes": list(self.programmes),
            "months": self.months,
            "denominator_measures": list(self.denominator_measures),
            "denominator_outcomes": list(self.denominator_outcomes),
            "target": self.target,
        }

    @property
    def numerator(self) -> Selection:
        return Selection(self.measures, self.outcomes, self.programmes, self.months)

    @property
    def denominator(self) -> Selection:
        if self.kind == "retention":  # every follow-up at the months, whatever its result
            return Selection(self.denominator_measures or self.measures, self.denominator_outcomes, (), self.months)
        return Selection(self.denominator_measures, self.denominator_outcomes)

    def available(self, declared) -> bool:
        needed = self.measures + (self.denominator_measures if self.kind == "share" else ())
        return bool(needed) and all(code in declared for code in needed)


def threshold() -> int:
    return suppression.threshold_from(current_app.config)


def year_earlier(scope: Scope) -> Scope:
    def back(day: date) -> date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day - timedelta(days=365)

    from caseapp.plan.tagging import earlier_themes

    themes = tuple(sorted({t for theme in scope.theme_ids for t in earlier_themes(theme)}))
    return Scope(back(scope.starts_on), back(scope.ends_on), None, themes, scope.subgoal_ids)


def _protected(counts: Counts, names, limit: int) -> suppression.Protected:
    """Suppression runs on the persons behind each cell; the cell's value (persons, records, hours) follows."""
    return suppression.protect(
        counts.persons, {n: {c: p for c, (_v, p) in counts.breakdowns.get(n, {}).items()} for n in names}, limit
    )


def _cell(value, status: str, limit: int, unsuppressed: bool, *, percent: bool = False) -> dict:
    shown = status == SHOWN or unsuppressed
    cell = {"value": (round(value, 1) if percent else value) if shown else None, "status": status}
    if shown and value is not None:
        cell["display"] = (
            format_decimal(value, format="#,##0.0") + " %" if percent else format_decimal(value, "#,##0.#")
        )
    else:
        cell["display"] = suppression.mark(status, limit) if status != SHOWN else "–"
    return cell


def _labels(name: str, categories, declared, cache: dict) -> dict[str, str]:
    if name not in cache:
        cache[name] = _all_labels(name, declared)
    known = cache[name]
    if name == "age_band":
        return {c: known.get(c) or band_label(c) for c in categories}
    if name == "theme":
        missing = [int(c) for c in categories if c.isdigit() and c not in known]
        if missing:
            known.update(
                {str(t.id): t.name for t in db.session.scalars(select(PlanTheme).where(PlanTheme.id.in_(missing)))}
            )
    return {c: known.get(c, c) for c in categories}


def _all_labels(name: str, declared) -> dict[str, str]:
    """Every label a breakdown's categories can have (the themes' are read when met)."""
    labels = {c: str(label) for c, label in CATEGORY_LABELS.items()}
    if name in ("age_band", "theme"):
        return labels
    source = "outcomes" if name == "outcome" else "programmes"
    return {k: str(v) for m in declared.values() for k, v in getattr(m, source).items()} | labels


def _sort_key(name: str, category: str):
    if name == "age_band":
        head = category.replace("_", "-").split("-")[0].rstrip("+")
        return (0, int(head)) if head.isdigit() else (1, 0)
    return (1 if category in ("unknown", "none") else 0, category)


def _figure(
    defn: Definition, num: Counts, den: Counts | None, wanted, limit: int, unsuppressed: bool, declared, labels: dict
) -> dict:
    """One indicator in one scope: total and breakdowns, suppressed."""
    num_p = _protected(num, wanted, limit)
    result: dict = {"breakdowns": {}}
    if defn.kind in SHARE_KINDS:
        den_p = _protected(den, wanted, limit)

        def share(n: Cell, d: Cell) -> dict:
            status = suppression.protect_share(n, d, limit)
            value = 100.0 * n.value / d.value if d.value else None
            cell = _cell(value, status, limit, unsuppressed, percent=True)
            if value is None and status == SHOWN:
                cell["display"] = "–"
            cell["denominator"] = d.value if (d.status == SHOWN or unsuppressed) else None
            return cell

        result["total"] = share(num_p.total, den_p.total)
        for name in wanted:
            cats = set(den_p.breakdowns.get(name, {}))
            cells = {}
            for cat in cats:
                n = num_p.breakdowns.get(name, {}).get(cat, Cell(0))
                cells[cat] = share(n, den_p.breakdowns[name][cat])
            result["breakdowns"][name] = cells
    else:
        result["total"] = _cell(num.value, num_p.total.status, limit, unsuppressed)
        for name in wanted:
            cells = {}
            for cat, (value, _persons) in num.breakdowns.get(name, {}).items():
                cells[cat] = _cell(value, num_p.breakdowns[name][cat].status, limit, unsuppressed)
            result["breakdowns"][name] = cells
    for name, cells in result["breakdowns"].items():
        named = _labels(name, cells, declared, labels) if name != "month" else {c: c for c in cells}
        result["breakdowns"][name] = [
            {"category": cat, "label": named[cat], **cells[cat]}
            for cat in sorted(cells, key=lambda c: _sort_key(name, c))
        ]
    return result


def build(
    definitions,
    scope: Scope,
    *,
    title: str = "",
    breakdowns=ALL_BREAKDOWNS,
    unsuppressed: bool = False,
    compare: bool = True,
) -> dict:
    """The report document (see the module's docstring)."""
    limit = threshold()
    declared = queries.declared()
    scope = scope.resolved()
    earlier = year_earlier(scope).resolved() if compare else None
    wanted = (*breakdowns, "month")
    selections = {}
    for n, defn in enumerate(definitions):
        if defn.available(declared):
            numerator_kind = "persons" if defn.kind in SHARE_KINDS else defn.kind
            selections[(n, "num")] = (defn.numerator, numerator_kind)
            if defn.kind in SHARE_KINDS:
                selections[(n, "den")] = (defn.denominator, "persons")
    now, before = queries.count_many(selections, scope, wanted, earlier)
    labels: dict = {}
    items = []
    for n, defn in enumerate(definitions):
        item = {"definition": defn.as_json(), "available": defn.available(declared)}
        if item["available"]:
            den_now, den_before = now.get((n, "den")), before.get((n, "den"))
            item["current"] = _figure(defn, now[(n, "num")], den_now, wanted, limit, unsuppressed, declared, labels)
            if earlier is not None:
                item["year_earlier"] = _figure(
                    defn, before[(n, "num")], den_before, (), limit, unsuppressed, declared, labels
                )["total"]
        items.append(item)
    return {
        "title": title,
        "scope": {
            "starts_on": scope.starts_on.isoformat(),
            "ends_on": scope.ends_on.isoformat(),
            "period_id": scope.tag_period(),
            "theme_ids": list(scope.theme_ids),
            "subgoal_ids": list(scope.subgoal_ids),
        },
        "year_earlier": None
        if earlier is None
        else {"starts_on": earlier.starts_on.isoformat(), "ends_on": earlier.ends_on.isoformat()},
        "breakdowns": list(breakdowns),
        "suppression": {"threshold": limit, "applied": not unsuppressed},
        "indicators": items,
    }


def canonical(document: dict) -> str:
    """The document as canonical JSON (sorted keys, no spaces, UTF-8 as is): what a frozen report hashes."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def differences(submitted: dict, now: dict) -> list[dict]:
    """Every cell whose shown text differs between a submitted report and its recomputation."""

    def cells(document: dict) -> dict:
        found = {}
        for item in document["indicators"]:
            name = item["definition"]["name_da"]
            current = item.get("current")
            if not current:
                continue
            found[(name, "", "")] = current["total"]["display"]
            for breakdown, rows in current["breakdowns"].items():
                for row in rows:
                    found[(name, breakdown, row["label"])] = row["display"]
        return found

    before, after = cells(submitted), cells(now)
    return [
        {
            "indicator": key[0],
            "breakdown": key[1],
            "category": key[2],
            "submitted": before.get(key, "–"),
            "now": after.get(key, "–"),
        }
        for key in sorted(set(before) | set(after))
        if before.get(key, "–") != after.get(key, "–")
    ]
