"""Small server-rendered SVG bar charts of a child's attendance: no script, no inline style (CSP), and
the same numbers in a table beside them, so the chart is never the only way to read them."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH, HEIGHT = 480, 190
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 22, 34
MAX_BARS = 12


@dataclass(frozen=True)
class Point:
    label: str
    value: float
    concern: bool


def _number(value: float) -> str:
    return f"{value:g}"


def bar_chart(points: list[Point], *, chart_id: str, title: str, unit: str, maximum: float | None = None) -> Markup:
    """An accessible SVG bar chart: <title> and <desc> name it; concern bars are marked with "!" as well as colour."""
    points = points[-MAX_BARS:]
    top = maximum or max([p.value for p in points] + [1]) * 1.2
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    bar_w = min(36, slot * 0.6)
    description = _("Bar chart; the same numbers are in the table below.")
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for fraction in (0, 0.5, 1):
        y = TOP + plot_h * (1 - fraction)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c9d1da"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{_number(round(top * fraction))}</text>')
    for index, point in enumerate(points):
        height = plot_h * min(point.value, top) / top if top else 0
        x = LEFT + slot * index + (slot - bar_w) / 2
        y = TOP + plot_h - height
        css = "bar bar-concern" if point.concern else "bar"
        label = f"{_number(point.value)}{unit}" + (" !" if point.concern else "")
        parts.append(f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{max(height, 1):.1f}">'
                     f'<title>{escape(point.label)}: {escape(label)}</title></rect>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{escape(label)}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                     f'{escape(point.label)}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#4a5561"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def attendance_charts(child_key: str, child_name: str, records) -> list[Markup]:
    """Up to two charts for one child: attendance percentage, and days absent, over the periods recorded."""
    charts = []
    percent = [Point(format_date(r.period_start, "MMM yy"), r.percent, r.concern) for r in records
               if r.percent is not None]
    absent = [Point(format_date(r.period_start, "MMM yy"), float(r.absent), r.concern) for r in records
              if r.absent is not None]
    if percent:
        charts.append(bar_chart(percent, chart_id=f"attendance-{child_key}-percent", unit=" %", maximum=100,
                                title=_("Attendance of %(name)s (%%)", name=child_name)))
    if absent:
        charts.append(bar_chart(absent, chart_id=f"attendance-{child_key}-absent", unit="",
                                title=_("Days absent for %(name)s", name=child_name)))
    return charts
