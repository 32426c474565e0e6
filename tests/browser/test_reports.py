"""Funder reporting in a real browser: a leader opens the dashboard for the current half-year, sees a
chart and the table beside it, exports XLSX and CSV (real downloads), and freezes the half-year report.
The pages pass axe, at tablet and phone widths."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from caseapp.extensions import db
from caseapp.reports import services
from tests.browser.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser


def _half_year(today: date) -> str:
    return f"{today.year}-H{1 if today.month <= 6 else 2}"


def test_a_leader_reads_exports_and_freezes_the_half_year_report(page, live_app, make_staff, browser_login):
    with live_app.app_context():
        if not services.indicators():
            services.adopt_ready_made(None)
            db.session.commit()
    leader = make_staff("leader")
    page.set_viewport_size({"width": 820, "height": 1180})
    browser_login(page, leader)
    expect(page.locator("#panel-progress")).to_be_visible()  # the landing page opens on the progress
    page.goto("/reports/")
    expect(page.locator("main h1")).to_have_text("Rapporter")
    assert_accessible(page)
    figure = page.locator("figure.report-chart").first
    expect(figure.locator("table")).to_be_visible()
    expect(figure.locator("figcaption")).to_contain_text("pr. måned")
    try:
        import caseapp.charts  # noqa: F401 (the chart is drawn once the charting module is in this build)
    except ImportError:
        pass
    else:
        expect(figure.locator("svg")).to_be_visible()

    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Regneark (XLSX)").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")
    with open(xlsx.value.path(), "rb") as handle:
        assert handle.read(2) == b"PK"
    with page.expect_download() as csv_file:
        page.get_by_role("link", name="CSV (semikolon, til dansk Excel)").click()
    with open(csv_file.value.path(), "rb") as handle:
        text = handle.read().decode("utf-8")
    assert text.startswith("\ufeff") and ";" in text and "diskretioneret" in text

    page.locator("#title").fill(f"Halvårsrapport {_half_year(date.today())}")
    page.get_by_role("button", name="Indsend og frys").click()
    expect(page.locator("main h1")).to_have_text(f"Halvårsrapport {_half_year(date.today())}")
    expect(page.locator("code.hash")).to_be_visible()
    expect(page.get_by_text("passer med det gemte indhold")).to_be_visible()
    assert_accessible(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/reports/?breakdown=gender")
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the dashboard scrolls sideways at phone width ({width}px)"
