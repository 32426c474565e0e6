"""Small-cell suppression: pure functions over counts, no database, no Flask.

A count of 1 to threshold−1 persons is *small*: shown as "<5" (primary suppression). So that no small
value can be recovered by subtraction, more cells are *hidden* (secondary suppression, shown as "×"):
in each breakdown (a row of cells under one total) the hidden cells are chosen, the smallest first,
until every suppressed cell could still hold at least two values given the total and every shown
cell. An attacker who knows the marks knows a small cell holds 1..threshold−1 and a hidden one at
least the threshold; `feasible_range` is exactly what they can infer, and it must never be one value.

Every breakdown of a report shares its total: when the total itself is small (or a breakdown cannot
be protected otherwise), the total is suppressed and so is every non-zero cell of every breakdown,
since a fully shown second breakdown would give the total back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SHOWN, SMALL, HIDDEN = "shown", "small", "hidden"
LOWEST_THRESHOLD = 3  # below this a "small" cell is no protection (config refuses it)


@dataclass(frozen=True)
class Cell:
    value: float
    status: str = SHOWN

    @property
    def suppressed(self) -> bool:
        return self.status != SHOWN


def mark(status: str, threshold: int) -> str:
    """What a suppressed cell shows in place of its number."""
    return f"<{threshold}" if status == SMALL else "×"


def is_small(value: float, threshold: int) -> bool:
    return 0 < value < threshold


def feasible_range(cells: Mapping[object, Cell], key, threshold: int) -> tuple[int, int]:
    """The values a suppressed cell could hold, to someone who knows the sum of the suppressed cells
    (total − shown cells) and that small cells hold 1..threshold−1 and hidden ones at least threshold."""
    suppressed = {k: c for k, c in cells.items() if c.suppressed}
    known_sum = int(sum(c.value for c in suppressed.values()))

    def bounds(cell: Cell) -> tuple[int, int]:
        return (1, threshold - 1) if cell.status == SMALL else (threshold, known_sum)

    low, high = bounds(suppressed[key])
    others = [bounds(c) for k, c in suppressed.items() if k != key]
    low = max(low, known_sum - sum(h for _l, h in others))
    high = min(high, known_sum - sum(lo for lo, _h in others))
    return low, high


def recoverable(cells: Mapping[object, Cell], threshold: int) -> list:
    """The suppressed cells whose value subtraction from the total would pin down."""
    found = []
    for key, cell in cells.items():
        if cell.suppressed:
            low, high = feasible_range(cells, key, threshold)
            if low >= high:
                found.append(key)
    return found


def protect_group(values: Mapping[object, float], threshold: int) -> dict[object, Cell] | None:
    """The cells of one breakdown under a shown total, small ones marked and enough others hidden; None
    when no choice of hidden cells protects them (then the caller suppresses the total)."""
    cells = {k: Cell(v, SMALL if is_small(v, threshold) else SHOWN) for k, v in values.items()}
    if not any(c.suppressed for c in cells.values()):
        return cells
    while recoverable(cells, threshold):
        candidates = sorted((c.value, str(k), k) for k, c in cells.items() if not c.suppressed and c.value > 0)
        if not candidates:
            return None
        key = candidates[0][2]
        cells[key] = Cell(cells[key].value, HIDDEN)
    return cells


@dataclass(frozen=True)
class Protected:
    """A report's total and its breakdowns ({name: {category: Cell}}), suppressed together."""

    total: Cell
    breakdowns: dict[str, dict[object, Cell]]


def protect(total: float, breakdowns: Mapping[str, Mapping[object, float]], threshold: int) -> Protected:
    """Suppress a total and every breakdown of it as one report."""
    groups: dict[str, dict[object, Cell]] = {}
    total_hidden = is_small(total, threshold)
    if not total_hidden:
        for name, values in breakdowns.items():
            protected = protect_group(values, threshold)
            if protected is None:
                total_hidden = True
                break
            groups[name] = protected
    if total_hidden:
        return Protected(
            Cell(total, SMALL if is_small(total, threshold) else HIDDEN),
            {
                name: {
                    k: Cell(v, SHOWN if v == 0 else (SMALL if is_small(v, threshold) else HIDDEN))
                    for k, v in values.items()
                }
                for name, values in breakdowns.items()
            },
        )
    return Protected(Cell(total), groups)


def protect_share(numerator: Cell, denominator: Cell, threshold: int) -> str:
    """A share's status: suppressed when its denominator is under the threshold or either part is suppressed."""
    if denominator.suppressed or numerator.suppressed or denominator.value < threshold:
        return SMALL if denominator.value < threshold or numerator.status == SMALL else HIDDEN
    return SHOWN


def threshold_from(config: Mapping) -> int:
    """REPORTS_SMALL_CELL (default 5); refused below 3 (ConfigError names the setting)."""
    from config import ConfigError

    value = config.get("REPORTS_SMALL_CELL", 5)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"CASEAPP_REPORTS_SMALL_CELL must be a whole number, not {value!r}") from None
    if number < LOWEST_THRESHOLD:
        raise ConfigError(
            f"CASEAPP_REPORTS_SMALL_CELL is {number}: suppress small numbers below at least {LOWEST_THRESHOLD}"
        )
    return number
