"""The platform in a real browser: login with 2FA (enrolment and a returning login), the language switch,
and each role's landing page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import conftest

pytestmark = pytest.mark.browser


def switch_language(page, label: str) -> None:
    conftest.switch_language(page)
    expect(page.locator("form.lang-switch button:visible")).not_to_have_text(label)


def test_admin_enrols_2fa_switches_language_and_reaches_landing_page(page, make_staff, browser_login):
    admin = make_staff("admin", two_factor=False)
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.locator("main h1")).to_have_text("Log ind")

    browser_login(page, admin)  # enrols through the QR page: 2FA is mandatory for admin
    assert admin.totp_secret
    expect(page.locator("main h1")).to_contain_text("Godt at se dig")
    expect(page.locator("main")).to_contain_text("Administrator")
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_contain_text("Medarbejderkonti")

    switch_language(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_contain_text("Good to see you")
    expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("Staff accounts")
    expect(page).to_have_url(re.compile(r"/$"))

    switch_language(page, "Dansk")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.locator("main h1")).to_contain_text("Godt at se dig")


def test_admin_with_2fa_logs_in_again_after_logout(page, make_staff, browser_login):
    admin = make_staff("admin")
    browser_login(page, admin)
    page.get_by_role("button", name="Log ud").click()
    expect(page.locator("main h1")).to_have_text("Log ind")
    expect(page.locator(".flash")).to_contain_text("logget ud")

    # A page behind login now sends the browser back to the login form.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    browser_login(page, admin)
    expect(page.locator("main h1")).to_contain_text("Godt at se dig")


def test_wrong_two_factor_code_is_refused(page, make_staff):
    admin = make_staff("admin")
    page.goto("/login")
    page.locator("input[name=email]").fill(admin.email)
    page.locator("input[name=password]").fill(admin.password)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login/2fa$"))
    wrong = f"{(int(admin.totp()) + 500_000) % 1_000_000:06d}"
    page.locator("input[name=code]").fill(wrong)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login/2fa$"))
    expect(page.locator("main")).to_contain_text("Koden er ikke gyldig")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/2fa$"))


def test_social_worker_reaches_landing_page_in_danish(page, make_staff, browser_login):
    worker = make_staff("social_worker")
    assert worker.totp_secret is None  # no 2FA required for this role
    browser_login(page, worker)
    expect(page.locator("main h1")).to_contain_text("Godt at se dig")
    expect(page.locator("main")).to_contain_text("Socialrådgiver")
    nav = page.get_by_role("navigation", name="Hovedmenu")
    expect(nav).to_contain_text("Overblik")
    expect(nav).not_to_contain_text("Medarbejderkonti")
