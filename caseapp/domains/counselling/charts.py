"""A child's attendance drawn as charts (caseapp.charts): percentages and days absent per period, the
periods that give cause for concern marked. The case page shows the same numbers in the table beside them."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from caseapp.charts import bar_chart

MAX_PERIODS = 12


def _chart(records, value, title: str, name: str, **options) -> Markup | None:
    shown = [r for r in records if value(r) is not None][-MAX_PERIODS:]
    if not shown:
        return None
    return bar_chart(
        title,
        [format_date(r.period_start, "MMM yy") for r in shown],
        [(name, [value(r) for r in shown])],
        marked={i for i, r in enumerate(shown) if r.concern},
        marked_meaning=_("Bars marked ! give cause for concern."),
        **options,
    )


def attendance_charts(child_name: str, records) -> list[Markup]:
    """Up to two charts for one child: attendance percentage, and days absent, over the periods recorded."""
    charts = [
        _chart(
            records,
            lambda r: r.percent,
            _("Attendance of %(name)s (%%)", name=child_name),
            _("Attendance"),
            unit=" %",
            maximum=100,
        ),
        _chart(
            records,
            lambda r: None if r.absent is None else float(r.absent),
            _("Days absent for %(name)s", name=child_name),
            _("Days absent"),
        ),
    ]
    return [chart for chart in charts if chart is not None]
