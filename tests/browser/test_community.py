"""Civil society in a real browser: a coordinator registers a volunteer, records a head count on the grid,
and the pages are accessible (axe-core) and fit a tablet and a phone without sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import assert_accessible
from tests.community import factories as f

pytestmark = pytest.mark.browser


def test_a_coordinator_records_a_head_count_and_a_volunteer(page, live_app, make_staff, browser_login):
    coordinator = make_staff("coordinator")
    aid = f.activity(live_app, coordinator, title="Lektiecafé i Granparken")
    f.association(live_app, coordinator, name="Lektiehjælpen")
    browser_login(page, coordinator)
    assert_accessible(page)  # the landing page with the coordinator's panel
    page.goto(f"/community/activities/{aid}/occurrences/new")
    assert_accessible(page)
    page.get_by_label("6–14 år, Kvinde").first.fill("5")
    page.get_by_label("6–14 år, Mand").first.fill("3")
    page.get_by_label("Fremmødte i alt").fill("8")
    page.get_by_role("button", name="Gem").click()
    expect(page.locator("table").first).to_contain_text("8")
    page.goto("/community/volunteers/new")
    assert_accessible(page)
    page.get_by_label("Fornavn").fill("Leyla")
    page.get_by_label("Efternavn").fill("Ahmadi")
    page.get_by_label("Lektiehjælpen").check()
    page.get_by_role("button", name="Gem").click()
    expect(page.locator("h1")).to_have_text("Leyla Ahmadi")
    assert_accessible(page)
    for url in ("/community/", "/community/associations", "/community/volunteers", f"/community/activities/{aid}"):
        page.goto(url)
        assert_accessible(page)


@pytest.mark.parametrize("width", [820, 390])
def test_the_pages_fit_tablets_and_phones(page, live_app, make_staff, browser_login, width):
    coordinator = make_staff("coordinator")
    aid = f.activity(live_app, coordinator)
    vid = f.volunteer(live_app, coordinator)
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, coordinator)
    wide = []
    for url in (
        "/community/",
        f"/community/activities/{aid}",
        f"/community/activities/{aid}/occurrences/new",
        "/community/associations",
        "/community/volunteers",
        f"/community/volunteers/{vid}",
    ):
        page.goto(url)
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"):
            wide.append(url)
    assert wide == []
