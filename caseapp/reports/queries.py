"""The one computation of every report: the union of the named measures' rows (and the anonymous rows
kept from erased persons), filtered by dates and plan tags, joined to the register for the breakdowns,
grouped in SQL. The dashboard, the exports, the API and frozen reports all call `figures`.

A row counts under the plan tag its record carries in the scope's funding period (a left join: without
a theme or delmål filter untagged records count too). Breakdowns read the register as it stands (birth
year, gender, housing section); an erased person's rows carry the values they had at erasure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from flask import current_app
from sqlalchemy import (
    Date,
    Float,
    Integer,
    String,
    Uuid,
    and_,
    bindparam,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql.sqltypes import NullType

from caseapp.domain import all_measures
from caseapp.extensions import db
from caseapp.plan.models import FundingPeriod, PlanTag
from caseapp.register.models import Person
from caseapp.reports.bands import UNKNOWN, age_bands_from, band_code
from caseapp.reports.models import ErasedRow, ErasedTag


@dataclass(frozen=True)
class Scope:
    """What a report counts: records dated within the dates, tagged (in the funding period) to the theme
    or delmål when given."""

    starts_on: date
    ends_on: date
    period_id: int | None = None  # the funding period whose tags count; None: the one the dates end in
    theme_ids: tuple[int, ...] = ()
    subgoal_ids: tuple[int, ...] = ()

    def tag_period(self) -> int | None:
        if self.period_id is not None:
            return self.period_id
        return _tag_period_of(self.ends_on)

    def resolved(self) -> Scope:
        """The scope with its funding period looked up once."""
        return replace(self, period_id=self.tag_period())


def _tag_period_of(day: date) -> int | None:
    """The funding period whose tags count for a report ending on `day`."""
    return db.session.scalar(
        select(FundingPeriod.id)
        .where(FundingPeriod.starts_on <= day, FundingPeriod.ends_on >= day)
        .order_by(FundingPeriod.starts_on.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Selection:
    """Which rows of which measures: an indicator's numerator or denominator."""

    measures: tuple[str, ...]
    outcomes: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    months: int | None = None


@dataclass
class Counts:
    """One selection counted in one scope: the value (persons, records or an amount, by kind) and the
    persons behind it (what suppression protects), in total and per category of each breakdown."""

    value: float = 0
    persons: int = 0
    breakdowns: dict[str, dict[str, tuple[float, int]]] = field(default_factory=dict)


def declared() -> dict:
    return {m.code: m for m in all_measures()}


def as_record_text(column, dialect: str):
    """A column as the text PlanTag.record_id holds (str() of the value: a UUID with its dashes)."""
    if isinstance(column.type, Uuid):
        if dialect == "sqlite":  # stored as 32 hex digits
            return func.lower(
                func.substr(column, 1, 8)
                + "-"
                + func.substr(column, 9, 4)
                + "-"
                + func.substr(column, 13, 4)
                + "-"
                + func.substr(column, 17, 4)
                + "-"
                + func.substr(column, 21, 12)
            )
        return cast(column, String)
    return cast(column, String)


def _optional(columns, name: str, type_):
    return cast(columns[name], type_) if name in columns else cast(null(), type_)


def person_column(columns):
    """A measure's person_id, typed: a bare NULL (rows that name nobody) as a NULL UUID, so PostgreSQL
    can compare it with the register's ids."""
    if isinstance(columns.person_id.type, NullType):
        return cast(null(), Person.id.type)
    return columns.person_id


def person_key(person_id, dialect: str):
    """A person's key in the rows: 32 lowercase hex digits (uuid.hex), the text SQLite stores, so rows
    kept from a retention purge (ErasedRow.token = the person's uuid.hex) count as the same person."""
    if dialect == "postgresql":
        return func.replace(cast(person_id, String), "-", "")
    return cast(person_id, String)


def _live_branch(measure, period_id: int | None, dialect: str):
    src = measure.rows().subquery()
    c = src.c
    person_id = person_column(c)
    record_text = as_record_text(c.record_id, dialect)
    tag_join = and_(
        PlanTag.record_type == c.tag_type,
        PlanTag.record_id == as_record_text(c.tag_id, dialect),
        PlanTag.period_id == (period_id if period_id is not None else -1),
    )
    erased = exists().where(ErasedRow.measure == measure.code, ErasedRow.record_id == record_text)
    return (
        select(
            literal(measure.code, String).label("measure"),
            person_key(person_id, dialect).label("person_key"),
            c.day.label("day"),
            cast(c.programme, String).label("programme"),
            cast(c.outcome, String).label("outcome"),
            cast(c.headcount, Integer).label("headcount"),
            _optional(c, "quantity", Float).label("quantity"),
            _optional(c, "months", Integer).label("months"),
            Person.birth_year.label("birth_year"),
            func.coalesce(Person.gender, _optional(c, "gender", String)).label("gender"),
            Person.area.label("area"),
            _optional(c, "resident", Integer).label("resident"),
            _optional(c, "age_band", String).label("tally_band"),
            PlanTag.theme_id.label("theme_id"),
            PlanTag.subgoal_id.label("subgoal_id"),
        )
        .select_from(src)
        .outerjoin(Person, Person.id == person_id)
        .outerjoin(PlanTag, tag_join)
        # An erased person's rows that a domain kept anonymously are counted from the erased copy instead.
        .where(or_(person_id.is_not(None), ~erased))
    )


def _erased_branch(codes: Sequence[str], period_id: int | None):
    return (
        select(
            ErasedRow.measure.label("measure"),
            ErasedRow.token.label("person_key"),
            ErasedRow.day.label("day"),
            ErasedRow.programme.label("programme"),
            ErasedRow.outcome.label("outcome"),
            ErasedRow.headcount.label("headcount"),
            cast(ErasedRow.quantity, Float).label("quantity"),
            ErasedRow.months.label("months"),
            ErasedRow.birth_year.label("birth_year"),
            ErasedRow.gender.label("gender"),
            ErasedRow.area.label("area"),
            cast(null(), Integer).label("resident"),
            cast(null(), String).label("tally_band"),
            ErasedTag.theme_id.label("theme_id"),
            ErasedTag.subgoal_id.label("subgoal_id"),
        )
        .outerjoin(
            ErasedTag,
            and_(ErasedTag.row_id == ErasedRow.id, ErasedTag.period_id == (period_id if period_id is not None else -1)),
        )
        .where(one_of(ErasedRow.measure, codes))
    )


def rows(codes: Sequence[str], period_id: int | None):
    """The union of the measures' rows (of those the domains declare) and their erased copies, a subquery.

    Built once per app, measures and funding period: the statement is immutable (dates are bound later),
    and building it, with its column collection, is most of a report's Python time."""
    made = current_app.extensions.setdefault("caseapp.reports.rows", {})
    key = (tuple(codes), period_id, db.session.get_bind().dialect.name)
    if key not in made:
        made[key] = _rows(codes, period_id)
    return made[key]


def _rows(codes: Sequence[str], period_id: int | None):
    known = declared()
    dialect = db.session.get_bind().dialect.name
    branches = [_live_branch(known[code], period_id, dialect) for code in codes if code in known]
    branches.append(_erased_branch([c for c in codes if c in known], period_id))
    return union_all(*branches).subquery("measure_rows")


def _age_band(r):
    bands = age_bands_from(current_app.config)
    age = bindparam("age_year", type_=Integer) - r.c.birth_year
    whens = [
        ((age >= low) if high is None else and_(age >= low, age <= high), literal(band_code(low, high)))
        for low, high in bands
    ]
    return case((r.c.birth_year.is_(None), func.coalesce(r.c.tally_band, UNKNOWN)), *whens, else_=UNKNOWN)


def _month(column, dialect: str):
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _category(name: str, r, scope: Scope, dialect: str):
    """A row's category in a breakdown (new or returning is count_many's: it needs the first days)."""
    areas = tuple(current_app.config["AREAS"])
    if name == "age_band":
        return _age_band(r)
    if name == "gender":
        return func.coalesce(r.c.gender, UNKNOWN)
    if name == "resident":
        return case(
            (r.c.resident == 1, "resident"),
            (r.c.resident == 0, "not_resident"),
            (one_of(r.c.area, areas), "resident"),
            (r.c.area.is_not(None), "not_resident"),
            else_=UNKNOWN,
        )
    if name == "housing_section":
        return func.coalesce(r.c.area, UNKNOWN)
    if name == "theme":
        return func.coalesce(cast(r.c.theme_id, String), "none")
    if name == "programme":
        return func.coalesce(r.c.programme, UNKNOWN)
    if name == "outcome":
        return func.coalesce(r.c.outcome, UNKNOWN)
    if name == "month":
        return _month(r.c.day, dialect)
    raise ValueError(f"no breakdown {name!r}")


def one_of(column, values):
    """column IN (values) as equalities: a report's statement holds hundreds of these, and SQLAlchemy
    re-renders the whole statement for each expanding IN parameter."""
    values = list(values)
    return or_(*(column == value for value in values)) if values else false()


def _selected(r, selection: Selection) -> list:
    where = [one_of(r.c.measure, selection.measures)]
    if selection.outcomes:
        where.append(one_of(r.c.outcome, selection.outcomes))
    if selection.programmes:
        where.append(one_of(r.c.programme, selection.programmes))
    if selection.months is not None:
        where.append(r.c.months == selection.months)
    return where


def _in_scope(r, scope: Scope, which: str) -> list:
    """The scope's rows; its dates are parameters (`<which>_start`, `<which>_end`), so the statement is
    built once per report shape and reused."""
    start, end = bindparam(f"{which}_start", type_=Date), bindparam(f"{which}_end", type_=Date)
    where = [r.c.day >= start, r.c.day <= end]
    if scope.theme_ids:
        where.append(one_of(r.c.theme_id, scope.theme_ids))
    if scope.subgoal_ids:
        where.append(one_of(r.c.subgoal_id, scope.subgoal_ids))
    return where


TOTAL = "__total__"


AMOUNT_KINDS = ("records", "quantity")  # a value other than the persons counted


def _persons(r, condition):
    """The distinct persons of the rows meeting `condition` (and anonymous tallies' headcounts), as an
    aggregate column of a grouped SELECT."""
    key = case((condition, r.c.person_key))
    anonymous = func.coalesce(func.sum(case((and_(condition, r.c.person_key.is_(None)), r.c.headcount), else_=0)), 0)
    return cast(func.count(func.distinct(key)) + anonymous, Integer)


def _amount(kind: str, r, condition):
    """The records (summed headcounts) or the summed quantity of the rows meeting `condition`."""
    summed = r.c.headcount if kind == "records" else r.c.quantity
    return cast(func.coalesce(func.sum(case((condition, summed), else_=0)), 0), Float)


@dataclass(frozen=True)
class _Layout:
    """The aggregate columns of count_many's statement, each computed once however many selections share
    it: one persons column per distinct Selection (an indicator's numerator is often another's
    denominator), one amount column per distinct (Selection, records or quantity); and for each
    selection's key its persons column and its value column (the persons column for persons-kinds)."""

    selections: tuple[Selection, ...]
    amounts: tuple[tuple[Selection, str], ...]
    columns: dict  # key -> (persons column, value column), positions after breakdown and category

    @classmethod
    def of(cls, selections: dict) -> _Layout:
        distinct = list(dict.fromkeys(sel for sel, _kind in selections.values()))
        amounts = list(dict.fromkeys((sel, kind) for sel, kind in selections.values() if kind in AMOUNT_KINDS))
        columns = {}
        for key, (sel, kind) in selections.items():
            persons = distinct.index(sel)
            value = len(distinct) + amounts.index((sel, kind)) if kind in AMOUNT_KINDS else persons
            columns[key] = (persons, value)
        return cls(tuple(distinct), tuple(amounts), columns)


def count_many(
    selections: dict, scope: Scope, breakdowns: Sequence[str] = (), earlier: Scope | None = None
) -> tuple[dict, dict]:
    """Each selection ({key: (Selection, kind)}) counted in the scope, in total and per category of each
    breakdown, and its total in `earlier` (a year before): ({key: Counts}, {key: Counts}).

    One statement: the measures' rows give the rows in scope (a CTE, read once); each breakdown is one
    SELECT grouped by its category with every selection's value and persons as conditional aggregates,
    the breakdowns joined by UNION ALL, so the database reads the records once however many numbers a
    report holds. The total and the breakdowns by a person's own attributes sum the rows folded per
    person (`_per_person`); the others count distinct persons. New or returning: the person had a row
    of the same measure before the period."""
    current = {key: Counts() for key in selections}
    before = {key: Counts() for key in selections}
    known = declared()
    codes = sorted({c for sel, _k in selections.values() for c in sel.measures if c in known})
    if not codes:
        return current, before
    period_id = scope.tag_period()
    dialect = db.session.get_bind().dialect.name
    together = earlier is not None and earlier.tag_period() == period_id
    shape = (
        tuple(selections.values()),
        tuple(breakdowns),
        period_id,
        dialect,
        scope.theme_ids,
        scope.subgoal_ids,
        (earlier.theme_ids, earlier.subgoal_ids) if together else None,
    )
    made = current_app.extensions.setdefault("caseapp.reports.statements", {})
    if shape not in made:
        if len(made) > 256:  # report shapes are few; the bound keeps odd requests from growing it
            made.clear()
        made[shape] = _statement(selections, codes, scope, breakdowns, earlier if together else None, period_id)
    params = {"now_start": scope.starts_on, "now_end": scope.ends_on, "age_year": scope.ends_on.year}
    if together:
        params |= {"before_start": earlier.starts_on, "before_end": earlier.ends_on}
    columns = _Layout.of(selections).columns
    for row in db.session.execute(made[shape], params):
        breakdown, category = row[0], row[1]
        for key, (p, v) in columns.items():
            value, persons = float(row[2 + v] or 0), int(row[2 + p] or 0)
            if breakdown == TOTAL:
                current[key].value, current[key].persons = value, persons
            elif breakdown == "before":
                before[key].value, before[key].persons = value, persons
            elif value or persons:
                current[key].breakdowns.setdefault(breakdown, {})[str(category)] = (value, persons)
    for counts in current.values():
        for name in breakdowns:
            counts.breakdowns.setdefault(name, {})
    if earlier is not None and not together:
        before, _ = count_many(selections, earlier)
    return current, before


def _statement(selections: dict, codes, scope: Scope, breakdowns, earlier: Scope | None, period_id):
    """count_many's one statement for a report's shape; its dates are parameters."""
    dialect = db.session.get_bind().dialect.name
    base = rows(codes, period_id)
    if earlier is not None or "new_returning" in breakdowns:
        # Read more than once (the period, the year before, who was seen before): computed once, as a
        # CTE read twice is materialised.
        base = select(base).cte("measure_rows_once")
    scoped = select(base).where(*_in_scope(base, scope, "now")).cte("scoped")
    earlier_rows = select(base).where(*_in_scope(base, earlier, "before")).cte("earlier") if earlier else None
    layout = _Layout.of(selections)

    def grouped(r, label: str, category, source=None):
        columns = [literal(label).label("breakdown"), cast(category, String).label("category")]
        columns += [_persons(r, and_(*_selected(r, sel))).label(f"p{n}") for n, sel in enumerate(layout.selections)]
        columns += [
            _amount(kind, r, and_(*_selected(r, sel))).label(f"v{n}") for n, (sel, kind) in enumerate(layout.amounts)
        ]
        return select(*columns).select_from(r if source is None else source)

    # The total and the breakdowns by the person's own attributes sum one pass folded per person.
    units = _per_person(scoped, layout)

    def summed(label: str, category):
        columns = [literal(label).label("breakdown"), cast(category, String).label("category")]
        columns += [cast(func.coalesce(func.sum(units.c[f"p{n}"]), 0), Integer) for n in range(len(layout.selections))]
        columns += [cast(func.coalesce(func.sum(units.c[f"v{n}"]), 0), Float) for n in range(len(layout.amounts))]
        return select(*columns).select_from(units)

    parts = [summed(TOTAL, literal(""))]
    if earlier_rows is not None:
        parts.append(grouped(earlier_rows, "before", literal("")))
    for name in breakdowns:
        if name in PERSON_BREAKDOWNS:
            category = _category(name, units, scope, dialect)
            parts.append(summed(name, category).group_by(category))
        elif name == "new_returning":
            # Returning: the person had a row of the same measure (any tag) before the period starts.
            seen = (
                select(base.c.person_key, base.c.measure)
                .where(base.c.person_key.is_not(None), base.c.day < bindparam("now_start", type_=Date))
                .distinct()
                .subquery("seen_before")
            )
            category = case(
                (scoped.c.person_key.is_(None), UNKNOWN),
                (seen.c.person_key.is_not(None), "returning"),
                else_="new",
            )
            source = scoped.outerjoin(
                seen, and_(seen.c.person_key == scoped.c.person_key, seen.c.measure == scoped.c.measure)
            )
            parts.append(grouped(scoped, name, category, source).group_by(category))
        else:
            category = _category(name, scoped, scope, dialect)
            parts.append(grouped(scoped, name, category).group_by(category))
    return union_all(*parts)


# Breakdowns by what a person is (their register values, or an erased person's kept copy), the same on
# every row of theirs; the others (theme, programme, outcome, new or returning) vary from row to row.
PERSON_BREAKDOWNS = ("age_band", "gender", "resident", "housing_section")
_PERSON_COLUMNS = ("birth_year", "gender", "area", "resident", "tally_band")


def _per_person(r, layout: _Layout):
    """The rows in scope folded to one row per person, and one per cell of the anonymous tallies: for each
    distinct selection, 1 if the person has a row in it (a tally cell: its headcount), and each amount
    summed. Counting persons is then a sum, so the total and every breakdown by the person's own
    attributes share this one pass instead of a count(DISTINCT …) per selection each. A person's
    attributes are the same on all their rows (PERSON_BREAKDOWNS), so min() picks them."""

    def flags(aggregate):
        return [aggregate(and_(*_selected(r, sel))).label(f"p{n}") for n, sel in enumerate(layout.selections)]

    amounts = [
        _amount(kind, r, and_(*_selected(r, sel))).label(f"v{n}") for n, (sel, kind) in enumerate(layout.amounts)
    ]
    people = (
        select(
            *(func.min(r.c[name]).label(name) for name in _PERSON_COLUMNS),
            *flags(lambda condition: func.max(case((condition, 1), else_=0))),
            *amounts,
        )
        .where(r.c.person_key.is_not(None))
        .group_by(r.c.person_key)
    )
    tallies = (
        select(
            *(r.c[name] for name in _PERSON_COLUMNS),
            *flags(lambda condition: func.sum(case((condition, r.c.headcount), else_=0))),
            *amounts,
        )
        .where(r.c.person_key.is_(None))
        .group_by(*(r.c[name] for name in _PERSON_COLUMNS))
    )
    return union_all(people, tallies).cte("per_person")


def count(selection: Selection, kind: str, scope: Scope, breakdowns: Sequence[str] = ()) -> Counts:
    """One selection's value in the scope (see count_many)."""
    return count_many({0: (selection, kind)}, scope, breakdowns)[0][0]


def period_dates(text: str) -> tuple[date, date] | None:
    """A report period as the pages and the API name it: "2026-H1", "2026", or "2026-01-01/2026-03-31"
    (a board meeting's dates); None when it is none of these."""
    text = (text or "").strip()
    try:
        if "/" in text:
            start, end = (date.fromisoformat(part) for part in text.split("/", 1))
            return (start, end) if start <= end else None
        if text[:4].isdigit() and 1900 < int(text[:4]) < 2200:
            year = int(text[:4])
            if text[4:] == "":
                return date(year, 1, 1), date(year, 12, 31)
            if text[4:] == "-H1":
                return date(year, 1, 1), date(year, 6, 30)
            if text[4:] == "-H2":
                return date(year, 7, 1), date(year, 12, 31)
    except ValueError:
        return None
    return None


def half_year_of(day: date) -> str:
    return f"{day.year}-H{1 if day.month <= 6 else 2}"
