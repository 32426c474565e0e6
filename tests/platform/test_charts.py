"""Charts (caseapp/charts.py): pygal's SVG made fit for the policy (no inline style or script), labelled
for screen readers, marked values not told by colour alone, and the shared style served as a stylesheet."""

from __future__ import annotations

import re

from caseapp import charts


def test_a_chart_has_nothing_the_policy_forbids_and_is_labelled(app):
    with app.test_request_context():
        svg = str(charts.bar_chart("Fremmøde", ["aug 26", "sep 26"], [("Fremmøde", [95, 71.5])], unit=" %"))
        line = str(charts.line_chart("Deltagere", ["2025", "2026"], [("A", [3, 4]), ("B", [None, 2])]))
    for markup in (svg, line):
        assert "<style" not in markup and "<script" not in markup and "<!--" not in markup
        assert not re.search(r"\sstyle=", markup)  # style attributes are inline style too
        assert 'class="tooltip' not in markup and "<desc class=" not in markup  # tooltips need pygal's script
        chart_id = re.search(r'<svg [^>]*id="(chart-[0-9a-f]+)"', markup).group(1)
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in markup and 'role="img"' in markup
        assert markup.index(f'<title id="{chart_id}-title">') < markup.index("<g")  # the accessible name, first
    assert "Fremmøde</title>" in svg and "95 %" in svg and "71,5 %" in svg  # Danish numbers
    assert "A</text>" in line and "B</text>" in line  # a legend when there are several series


def test_marked_bars_are_marked_in_text_and_described(app):
    with app.test_request_context():
        svg = str(
            charts.bar_chart("x", ["a", "b", "c"], [("s", [1, 2, 3])], marked={1}, marked_meaning="! er bekymring.")
        )
    assert svg.count('class="rect reactive marked"') == 1
    assert "2 !" in svg and "1 !" not in svg and "3 !" not in svg
    assert "! er bekymring." in svg.split("<desc")[1].split("</desc>")[0]


def test_the_shared_style_is_served_scoped_and_cacheable(client):
    response = client.get("/charts.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert ".caseapp-chart .axis" in css and "#chart-" not in css
    assert "no-store" not in response.headers["Cache-Control"] and "max-age" in response.headers["Cache-Control"]
