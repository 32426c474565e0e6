"""Small-cell suppression: no cell under the threshold is shown, and none can be recovered by any
subtraction from the total, nor from a second breakdown of the same report. The attack tries every
assignment of values to the suppressed cells that agrees with what is shown; a cell is recoverable
when all those assignments give it the same value."""

from __future__ import annotations

from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseapp.reports.suppression import HIDDEN, SHOWN, SMALL, protect, protect_group, protect_share, threshold_from
from config import ConfigError

THRESHOLD = 5


def attack(total, cells, threshold=THRESHOLD):
    """{category: the values it could hold} to someone who sees the total, the shown cells and the marks."""
    shown_sum = sum(c.value for c in cells.values() if c.status == SHOWN)
    hidden = [k for k, c in cells.items() if c.status != SHOWN]
    left = total - shown_sum
    ranges = [
        range(1, threshold) if cells[k].status == SMALL else range(threshold, max(left, threshold) + 1) for k in hidden
    ]
    possible = {k: set() for k in hidden}
    for values in product(*ranges):
        if sum(values) == left:
            for k, v in zip(hidden, values, strict=True):
                possible[k].add(v)
    return possible


def subtractions(total, cells):
    """Every value total − (a subset of the shown cells) gives: a suppressed cell must never be one of
    them when it is the only suppressed cell outside the subset."""
    shown = [k for k, c in cells.items() if c.status == SHOWN]
    suppressed = [k for k, c in cells.items() if c.status != SHOWN]
    found = []
    for n in range(len(shown) + 1):
        for subset in combinations(shown, n):
            rest = [k for k in cells if k not in subset]
            if len(rest) == 1 and rest[0] in suppressed:
                found.append(rest[0])
    return found


def test_a_small_cell_is_marked_and_a_second_cell_hidden_beside_it():
    cells = protect_group({"a": 3, "b": 12, "c": 30}, THRESHOLD)
    assert cells["a"].status == SMALL and cells["b"].status == HIDDEN and cells["c"].status == SHOWN
    assert all(len(v) > 1 for v in attack(45, cells).values())


def test_two_small_cells_that_together_would_give_their_values_away_get_a_third():
    # 1 + 1 = 2 gives both away (each is at least 1), so a shown cell is hidden too.
    cells = protect_group({"a": 1, "b": 1, "c": 9, "d": 20}, THRESHOLD)
    assert cells["c"].status == HIDDEN
    assert all(len(v) > 1 for v in attack(31, cells).values())


def test_a_small_total_suppresses_every_breakdown():
    report = protect(4, {"gender": {"f": 2, "m": 2}, "age": {"13-17": 4}}, THRESHOLD)
    assert report.total.status == SMALL
    assert all(c.status != SHOWN for group in report.breakdowns.values() for c in group.values())


def test_a_breakdown_that_cannot_be_protected_hides_the_total_and_the_other_breakdowns():
    # 1 + 5 = 6: hiding the 5 as well still gives the 1 away (the 5 is at least 5), and nothing else is left.
    report = protect(6, {"resident": {"yes": 1, "no": 5}, "gender": {"f": 3, "m": 3}}, THRESHOLD)
    assert report.total.status == HIDDEN
    # Otherwise the gender row (shown) would give the total back, and the total the hidden cell.
    assert all(c.status != SHOWN for group in report.breakdowns.values() for c in group.values() if c.value)


def test_zero_is_shown_and_never_chosen_to_hide():
    cells = protect_group({"a": 0, "b": 2, "c": 8, "d": 40}, THRESHOLD)
    assert cells["a"].status == SHOWN and cells["c"].status == HIDDEN


def test_a_share_with_a_small_denominator_is_suppressed():
    from caseapp.reports.suppression import Cell

    assert protect_share(Cell(2), Cell(4, SMALL), THRESHOLD) == SMALL
    assert protect_share(Cell(10), Cell(20), THRESHOLD) == SHOWN
    assert protect_share(Cell(3, SMALL), Cell(20), THRESHOLD) == SMALL


@pytest.mark.parametrize("value", [0, 1, 2, "two"])
def test_a_threshold_under_three_is_refused(value):
    with pytest.raises(ConfigError, match="REPORTS_SMALL_CELL"):
        threshold_from({"REPORTS_SMALL_CELL": value})
    assert threshold_from({"REPORTS_SMALL_CELL": 3}) == 3 and threshold_from({}) == 5


def test_the_app_refuses_to_start_with_a_threshold_under_three():
    from caseapp import create_app

    with pytest.raises(ConfigError, match="REPORTS_SMALL_CELL"):
        create_app({"ENV": "testing", "REPORTS_SMALL_CELL": 2})


group_values = st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 14), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(group_values, min_size=1, max_size=3))
def test_no_suppressed_cell_is_recoverable_by_any_subtraction(groups):
    """Each group is a breakdown of one total (the cells sum to it, as an age breakdown does)."""
    # Breakdowns of one total must sum to it: scale every group to the first one's total.
    total = sum(groups[0].values())
    breakdowns = {}
    for n, values in enumerate(groups):
        diff = total - sum(values.values())
        values = dict(values)
        key = "rest"
        values[key] = values.get(key, 0) + diff if diff >= 0 else None
        if values[key] is None:
            continue
        breakdowns[f"b{n}"] = values
    report = protect(total, breakdowns, THRESHOLD)
    for values in breakdowns.values():
        assert sum(values.values()) == total
    for name, cells in report.breakdowns.items():
        for key, cell in cells.items():
            if 0 < cell.value < THRESHOLD:
                assert cell.status != SHOWN, (name, key)  # never shown
        if report.total.status != SHOWN:
            assert all(c.status != SHOWN for c in cells.values() if c.value), name
            continue
        assert not subtractions(total, cells), (name, cells)
        for key, values in attack(total, cells).items():
            assert len(values) > 1, (name, key, cells)
    # Across breakdowns: the total is one; when it is suppressed no breakdown gives it back.
    if report.total.status != SHOWN:
        for cells in report.breakdowns.values():
            assert sum(c.value for c in cells.values() if c.status == SHOWN) < total or total == 0


def test_the_attack_itself_finds_a_recoverable_cell():
    """The test's attacker works: a lone suppressed cell is found."""
    from caseapp.reports.suppression import Cell

    cells = {"a": Cell(3, SMALL), "b": Cell(10), "c": Cell(20)}
    assert subtractions(33, cells) == ["a"] and attack(33, cells) == {"a": {3}}
