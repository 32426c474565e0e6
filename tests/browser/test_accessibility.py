"""axe-core (bundled by axe-playwright-python) on the login, two-factor and landing pages:
no violation of serious or critical impact."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import switch_language

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
_axe = Axe()


def assert_accessible(page) -> None:
    page.wait_for_load_state("load")
    results = _axe.run(page)
    found = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    report = "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:5]}" for v in found
    )
    assert not found, f"axe found serious or critical violations on {page.url}:\n{report}"


def test_login_page(page):
    page.goto("/login")
    assert_accessible(page)


def test_login_page_with_errors(page):
    page.goto("/login")
    page.locator("input[name=email]").fill("nobody@browser.test.dk")
    page.locator("input[name=password]").fill("not the password at all")
    page.locator("main button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("forkert")
    assert_accessible(page)


def test_login_page_in_english(page):
    page.goto("/login")
    switch_language(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)


def test_two_factor_pages(page, make_staff):
    enrolling = make_staff("leader", two_factor=False)
    page.goto("/login")
    page.locator("input[name=email]").fill(enrolling.email)
    page.locator("input[name=password]").fill(enrolling.password)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/account/2fa/setup$"))
    assert_accessible(page)


@pytest.mark.parametrize("role", ["social_worker", "admin", "leader"])
def test_landing_page(page, make_staff, browser_login, role):
    browser_login(page, make_staff(role))
    assert_accessible(page)


def test_landing_page_in_english(page, make_staff, browser_login):
    browser_login(page, make_staff("social_worker"))
    switch_language(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)
