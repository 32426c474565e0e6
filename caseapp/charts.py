"""Charts drawn on the server as SVG by pygal, made fit for the app's Content-Security-Policy and for
screen readers.

pygal writes a `<style>` and a `<script>` into every SVG; the policy allows neither inline. So each chart
is rendered, its style, script, comments and tooltips (with their data; they need the script) are removed, and the style
every chart shares is served once as a stylesheet (`stylesheet()`, at /charts.css). Each chart is a
`role="img"` with its title and a description pointing to the table beside it: a chart is never the only
way to read its numbers, so the caller always shows them in a table too.
"""

from __future__ import annotations

import re
import sys
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Collection, Sequence
from functools import lru_cache

import pygal
from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup
from pygal.style import Style

# pygal appends an import hook for its map plugins (unused here) that has only the legacy find_module:
# Python warns about it on every later import that reaches it. Without the maps it finds nothing anyway.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

Series = Sequence[tuple[str, Sequence[float | None]]]

# Colours of Det Fælles Designsystem (primary blue, then contrasting tones); text in the page's font.
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#545454",
    colors=("#0059b3", "#b0292e", "#358000", "#8a5a00", "#5e2b7e", "#006b6b"),
    font_family="inherit",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    legend_font_size=13,
    title_font_size=15,
    opacity="1",
    opacity_hover="1",
)
CLASS = "caseapp-chart"
_PREFIX = re.compile(r"#chart-[0-9a-f-]+")


def _config(chart_class, title: str, unit: str, **options):
    return chart_class(
        style=STYLE,
        title=title,
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        width=640,
        height=300 if not options.get("horizontal") else 340,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        print_values=True,
        print_zeroes=True,
        value_formatter=lambda v: f"{_number(v)}{unit}",
        formatter=lambda v: f"{_number(v)}{unit}" if v is not None else "–",
        truncate_label=-1,
        x_label_rotation=0,
        margin=12,
        **{k: v for k, v in options.items() if k != "horizontal"},
    )


def _number(value) -> str:
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0.#")


def _finish(chart, title: str, meaning: str = "") -> Markup:
    """The chart's SVG without style, script, comments or tooltip; labelled for assistive technology."""
    root = chart.render_tree()
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""  # comments have a function as their tag
            classes = child.get("class", "").split()
            tooltip = "tooltip" in classes or "tooltip-overlay" in classes or (tag == "desc" and classes)
            if tag in ("style", "script", "") or tooltip:
                parent.remove(child)
        parent.attrib.pop("style", None)
    for own_title in root.findall("title"):  # pygal's; the accessible name and description go first instead
        root.remove(own_title)
    chart_id = f"chart-{uuid.uuid4().hex[:12]}"
    root.set("id", chart_id)
    root.set("class", f"pygal-chart {CLASS}")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    desc = ET.Element("desc", id=f"{chart_id}-desc")
    desc.text = " ".join(filter(None, (_("Chart; the same numbers are in the table beside it."), meaning)))
    heading = ET.Element("title", id=f"{chart_id}-title")
    heading.text = title
    root.insert(0, desc)
    root.insert(0, heading)
    return Markup(ET.tostring(root, encoding="unicode"))


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Series,
    *,
    unit: str = "",
    horizontal: bool = False,
    stacked: bool = False,
    maximum: float | None = None,
    marked: Collection[int] = (),
    marked_meaning: str = "",
) -> Markup:
    """Bars per label, one colour per series; `stacked` puts a label's series in one bar. The bars at the
    label positions in `marked` are drawn in the warning colour and their values end in "!" (never colour
    alone); `marked_meaning` says what the mark means, in the chart's description."""
    if stacked:
        kind = pygal.HorizontalStackedBar if horizontal else pygal.StackedBar
    else:
        kind = pygal.HorizontalBar if horizontal else pygal.Bar
    options = {"range": (0, maximum)} if maximum else {}
    chart = _config(kind, title, unit, horizontal=horizontal, show_legend=len(series) > 1, **options)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, [_marked(v, unit) if i in marked else v for i, v in enumerate(values)])
    return _finish(chart, title, marked_meaning)


def _marked(value, unit: str) -> dict:
    return {
        "value": value,
        "node": {"class": "rect reactive marked"},
        "formatter": lambda v: f"{_number(v)}{unit} !",
    }


def line_chart(title: str, labels: Sequence[str], series: Series, *, unit: str = "") -> Markup:
    """A line per series over the labels (periods), for a development over time."""
    chart = _config(pygal.Line, title, unit, show_legend=len(series) > 1, dots_size=4)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _finish(chart, title)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The style pygal gives every chart, scoped to `.caseapp-chart` instead of one chart's id."""
    chart = _config(pygal.Bar, "", "")
    chart.add("", [1])
    root = chart.render_tree()
    css = "".join(el.text or "" for el in root.iter() if isinstance(el.tag, str) and el.tag.endswith("style"))
    own = (
        f".{CLASS} {{ width: 100%; height: auto; max-width: 40rem; }}\n"
        f".{CLASS} .series .bar rect.marked {{ fill: #b0292e; stroke: #b0292e; }}\n"
    )
    return _PREFIX.sub(f".{CLASS}", css) + "\n" + own
