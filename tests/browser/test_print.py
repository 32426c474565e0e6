"""Paper (issue 17): a case, a concern and a chronology print as content only (the print stylesheet:
no header, menu, forms or buttons; the person header and tables whole), and the favicon is served."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assigned_person, filed_concern
from tests.browser.test_scripted_tasks import _open_case

pytestmark = pytest.mark.browser

_HIDDEN = """() => ['.header', '.site-footer', 'main form', 'main button']
  .flatMap(s => [...document.querySelectorAll(s)])
  .filter(e => getComputedStyle(e).display !== 'none').map(e => e.tagName + '.' + e.className)"""
_CLIPPED = """() => [...document.querySelectorAll('.table--responsive-scroll')]
  .filter(e => getComputedStyle(e).overflowX !== 'visible').length"""


def _printed(page, url) -> None:
    page.emulate_media(media="print")
    page.goto(url)
    assert page.evaluate(_HIDDEN) == [], f"{url}: controls left on paper"
    assert page.evaluate(_CLIPPED) == 0, f"{url}: a table is clipped by its scroll region"
    expect(page.locator("main h1")).to_be_visible()


def test_a_case_a_concern_and_a_chronology_print_as_content(page, live_app, make_staff, browser_login):
    worker = make_staff("social_worker", name="Sofie Rådgiver")
    parent = assigned_person(live_app, worker, "counselling", "Rana", "Aziz", "070780-1234")
    child = assigned_person(live_app, worker, "counselling", "Ali", "Aziz", "070712-1235")
    case_id = _open_case(live_app, worker, parent, child)
    concern_id = filed_concern(live_app, worker, child, description="Set ved stationen sent om aftenen")
    browser_login(page, worker)
    _printed(page, f"/counselling/cases/{case_id}")
    expect(page.locator(".person-header")).to_be_visible()
    _printed(page, f"/concerns/{concern_id}")
    _printed(page, f"/concerns/people/{child}/chronology")


def test_the_favicon_is_linked_and_served(page, live_server):
    page.goto("/login")
    href = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(live_server + href)
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in response.text()
