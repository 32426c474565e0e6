"""The dashboard's charts: drawn on the server as SVG by caseapp.charts (pygal),
with the same numbers in the table beside each."""

from __future__ import annotations

from tests.reports import factories as f


def test_each_chart_is_an_accessible_svg_beside_its_table(app, client, login_as):
    login_as("leader")
    f.plan(app)
    f.indicator(app, kind="records")
    html = client.get("/reports/?period=2026-H1").get_data(as_text=True)
    figure = html[html.index('<figure class="report-chart"') :]
    figure = figure[: figure.index("</figure>")]
    assert 'class="pygal-chart caseapp-chart"' in figure and 'role="img"' in figure and "<table" in figure
    assert "<script" not in figure and " style=" not in figure
