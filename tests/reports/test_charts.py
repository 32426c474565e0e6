"""The dashboard's charts: drawn on the server as SVG by caseapp.charts (the main session's pygal module),
with the same numbers in the table beside each. Pending until that module is merged into this branch."""

from __future__ import annotations

import pytest

from tests.reports import factories as f


def test_each_chart_is_an_accessible_svg_beside_its_table(app, client, login_as):
    pytest.importorskip("caseapp.charts", reason="caseapp.charts arrives with the merge of main")
    login_as("leader")
    f.plan(app)
    f.indicator(app, kind="records")
    html = client.get("/reports/?period=2026-H1").get_data(as_text=True)
    figure = html[html.index('<figure class="report-chart"') :]
    figure = figure[: figure.index("</figure>")]
    assert "<svg" in figure and "<title" in figure and "<table" in figure
    assert "<script" not in figure and " style=" not in figure
