"""An indicator's value agrees with the records it counts: the numbers are computed here, independently,
from the seeded records, per breakdown, and compared with the one computation (unsuppressed), and the
suppressed document shows "<5" without the number for every small cell."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pytest

from caseapp.reports import document, services
from caseapp.reports.queries import Scope
from tests.reports import factories as f

AREAS_IN = "Bøgeparken"
SPECS = [
    # birth year, gender, area, [(day, category, severity, theme index)]
    (2010, "female", "Bøgeparken", [(date(2026, 2, 3), "crime", "high", 0), (date(2026, 3, 9), "violence", "low", 0)]),
    (2010, "male", "Bøgeparken", [(date(2026, 1, 20), "crime", "acute", 0)]),
    (2009, "male", "Egeparken", [(date(2026, 4, 1), "crime", "high", 1), (date(2025, 11, 2), "crime", "low", 1)]),
    (2008, "female", None, [(date(2026, 5, 5), "violence", "medium", None)]),
    (1990, None, "Egeparken", [(date(2026, 6, 30), "crime", "high", 0), (date(2026, 7, 1), "crime", "high", 0)]),
    (None, "male", "Bøgeparken", [(date(2025, 3, 3), "crime", "high", 0)]),
]
SPECS += [(2011, "female", "Granparken", [(date(2026, 2, 1 + n), "crime", "high", 0)]) for n in range(6)]
SPECS += [(2004, "male", "Bøgeparken", [(date(2026, 3, 1 + n), "violence", "low", 1)]) for n in range(5)]


def age_band(birth_year, end):
    if birth_year is None:
        return "unknown"
    age = end.year - birth_year
    for low, high in ((0, 5), (6, 12), (13, 17), (18, 24), (25, 29), (30, 64)):
        if low <= age <= high:
            return f"{low}-{high}"
    return "65+"


def expected(seeded, start, end, breakdown, *, persons, theme=None):
    """{category: value} of the seeded concerns in [start, end], computed here from the records."""
    rows = [s for s in seeded if start <= s.day <= end and (theme is None or s.theme == theme)]
    first_day = defaultdict(lambda: date.max)
    for s in seeded:
        first_day[s.person] = min(first_day[s.person], s.day)

    def category(s):
        return {
            "age_band": lambda: age_band(s.birth_year, end),
            "gender": lambda: s.gender or "unknown",
            "resident": lambda: "unknown" if s.area is None else "resident",
            "housing_section": lambda: s.area or "unknown",
            "new_returning": lambda: "returning" if first_day[s.person] < start else "new",
            "theme": lambda: str(s.theme) if s.theme else "none",
            "programme": lambda: s.category,
            "outcome": lambda: s.severity,
            "month": lambda: s.day.strftime("%Y-%m"),
        }[breakdown]()

    if persons:
        groups = defaultdict(set)
        for s in rows:
            groups[category(s)].add(s.person)
        return {k: len(v) for k, v in groups.items()}
    return dict(Counter(category(s) for s in rows))


@pytest.fixture
def seeded(app, make_user):
    filer = make_user("mentor")
    plan = f.plan(app)
    rows = f.seed_concerns(app, filer, SPECS, plan)
    records = f.indicator(app, name_da="Bekymringshenvendelser", kind="records")
    persons = f.indicator(app, name_da="Unge med bekymringer", kind="persons")
    return {"rows": rows, "plan": plan, "records": records, "persons": persons}


def _build(app, scope, *, unsuppressed):
    with app.test_request_context():
        return document.build(
            [document.Definition.of(i) for i in services.indicators()], scope, unsuppressed=unsuppressed
        )


def _values(item, breakdown):
    return {row["category"]: row["value"] for row in item["current"]["breakdowns"][breakdown] if row["value"]}


@pytest.mark.parametrize("breakdown", [*document.ALL_BREAKDOWNS, "month"])
def test_every_breakdown_agrees_with_the_records(app, seeded, breakdown):
    start, end = f.PERIOD
    doc = _build(app, Scope(start, end), unsuppressed=True)
    records, persons = doc["indicators"]
    rows = seeded["rows"]
    assert records["current"]["total"]["value"] == sum(1 for s in rows if start <= s.day <= end)
    assert persons["current"]["total"]["value"] == len({s.person for s in rows if start <= s.day <= end})
    assert _values(records, breakdown) == expected(rows, start, end, breakdown, persons=False)
    assert _values(persons, breakdown) == expected(rows, start, end, breakdown, persons=True)


def test_a_theme_counts_only_its_tagged_records_and_a_year_earlier_stands_beside(app, seeded):
    start, end = f.PERIOD
    theme = seeded["plan"]["themes"][1]
    doc = _build(app, Scope(start, end, None, (theme,)), unsuppressed=True)
    records = doc["indicators"][0]
    assert records["current"]["total"]["value"] == sum(
        1 for s in seeded["rows"] if start <= s.day <= end and s.theme == theme
    )
    earlier = [s for s in seeded["rows"] if date(2025, 1, 1) <= s.day <= date(2025, 6, 30) and s.theme == theme]
    assert records["year_earlier"]["value"] == len(earlier)
    assert doc["year_earlier"] == {"starts_on": "2025-01-01", "ends_on": "2025-06-30"}


def test_small_cells_are_shown_as_under_the_threshold_without_their_number(app, seeded):
    start, end = f.PERIOD
    doc = _build(app, Scope(start, end), unsuppressed=False)
    persons = doc["indicators"][1]
    truth = expected(seeded["rows"], start, end, "gender", persons=True)
    shown = {row["category"]: row for row in persons["current"]["breakdowns"]["gender"]}
    for category, value in truth.items():
        if 0 < value < 5:
            assert shown[category]["display"] == "<5" and shown[category]["value"] is None
    assert "<5" in document.canonical(doc)
    for item in doc["indicators"]:
        for rows in item["current"]["breakdowns"].values():
            for row in rows:
                assert row["status"] == "shown" or row["value"] is None


def test_an_indicator_naming_a_code_no_domain_declares_is_not_available(app, seeded):
    f.indicator(app, name_da="Noget andet", kind="persons", measures=["nowhere.thing"])
    start, end = f.PERIOD
    doc = _build(app, Scope(start, end), unsuppressed=False)
    missing = [i for i in doc["indicators"] if i["definition"]["name_da"] == "Noget andet"][0]
    assert missing["available"] is False and "current" not in missing


def test_a_share_divides_the_persons_of_its_numerator_by_its_denominator(app, seeded):
    f.indicator(
        app,
        name_da="Andel med alvorlig bekymring",
        kind="share",
        measures=["concerns.concern"],
        outcomes=["high", "acute"],
        denominator_measures=["concerns.concern"],
    )
    start, end = f.PERIOD
    doc = _build(app, Scope(start, end), unsuppressed=True)
    share = doc["indicators"][-1]["current"]["total"]
    rows = [s for s in seeded["rows"] if start <= s.day <= end]
    numerator = len({s.person for s in rows if s.severity in ("high", "acute")})
    denominator = len({s.person for s in rows})
    assert share["value"] == round(100 * numerator / denominator, 1)
    assert share["denominator"] == denominator


def test_the_age_bands_follow_the_configuration(app, seeded, other_app):
    start, end = f.PERIOD
    changed = other_app(REPORTS_AGE_BANDS=("0-15", "16-"))
    with changed.test_request_context():
        doc = document.build(
            [document.Definition.of(i) for i in services.indicators()], Scope(start, end), unsuppressed=True
        )
    bands = {row["category"] for row in doc["indicators"][0]["current"]["breakdowns"]["age_band"]}
    assert bands <= {"0-15", "16+", "unknown"} and "16+" in bands


def test_a_share_with_an_empty_denominator_reads_as_a_dash_also_unsuppressed(app, seeded):
    f.indicator(
        app,
        name_da="Andel uden nævner",
        kind="share",
        measures=["concerns.concern"],
        denominator_measures=["concerns.concern"],
        denominator_outcomes=["no-such-outcome"],  # a denominator that counts no one
    )
    start, end = f.PERIOD
    for unsuppressed in (False, True):  # a leader's unsuppressed view divided by nothing was a 500
        total = _build(app, Scope(start, end), unsuppressed=unsuppressed)["indicators"][-1]["current"]["total"]
        assert total["value"] is None and total["display"] in ("–", "<5", "×")


def test_a_selection_shared_by_several_numbers_is_counted_once_per_pass(app, seeded):
    """An indicator's numerator is often another's denominator, and a persons and a records indicator may
    count the same rows: each distinct selection is one distinct count in the statement, not one per use."""
    from sqlalchemy import event

    from caseapp.extensions import db
    from caseapp.reports import queries

    same = queries.Selection(("concerns.concern",))
    other = queries.Selection(("concerns.concern",), outcomes=("high",))
    selections = {"a": (same, "persons"), "b": (same, "records"), "c": (same, "persons"), "d": (other, "persons")}
    with app.test_request_context():
        statements = []

        def capture(_conn, _cursor, statement, *_rest):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            now, _before = queries.count_many(selections, Scope(*f.PERIOD), ("gender", "theme"))
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
    sql = max(statements, key=len).lower()
    # Two distinct selections: two flags in the pass folded per person (which the total and the gender
    # breakdown sum), and two distinct counts in the theme pass (a person's rows differ in theme).
    assert sql.count("max(case") == 2
    assert sql.count("count(distinct") == 2
    rows = [s for s in seeded["rows"] if f.PERIOD[0] <= s.day <= f.PERIOD[1]]
    assert now["a"].value == now["c"].value == now["b"].persons == len({s.person for s in rows})
    assert now["b"].value == len(rows)
    assert now["d"].persons == len({s.person for s in rows if s.severity == "high"})
