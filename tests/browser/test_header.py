"""The design system's header (DKFDS 11, issue 17): on a phone the navigation waits behind the menu button
and opens as the mobile drawer (a link in it works, the close button and Escape close it); on a desktop
(the `page` fixture's 1280 px) the navigation is the horizontal menu, without the button, its overflow
behind a "More" button named in the page's language; the search, My week and notifications stay in view
at every size."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_axe_clean, assert_no_sideways_scroll, switch_language

pytestmark = pytest.mark.browser


def test_on_a_phone_the_navigation_opens_behind_the_menu_button(sized, make_staff, browser_login):
    worker = make_staff("social_worker", name="Sofie Rådgiver")
    page = sized("phone", touch=True)
    browser_login(page, worker)
    page.wait_for_load_state()  # the design system's script has bound the menu button
    menu_button = page.get_by_role("button", name="Menu", exact=True)
    expect(menu_button).to_be_visible()
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_have_count(0)  # neither menu shows
    expect(page.get_by_role("button", name="Log ud")).to_have_count(0)
    # What a phone keeps in view: the search, My week and the notifications.
    expect(page.get_by_role("search", name="Find en beboer").get_by_role("button", name="Søg")).to_be_visible()
    expect(page.get_by_role("link", name="Min uge", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Notifikationer"))).to_be_visible()

    menu_button.tap()
    nav = page.get_by_role("navigation", name="Hovedmenu")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Overblik")).to_have_attribute("aria-current", "page")
    close = page.get_by_role("button", name="Luk", exact=True)
    expect(close).to_be_focused()
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)

    close.tap()
    expect(nav).to_be_hidden()
    expect(menu_button).to_be_focused()

    menu_button.tap()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()

    menu_button.tap()
    nav.get_by_role("link", name="Beboere").tap()
    expect(page).to_have_url(re.compile(r"/people/$"))
    page.wait_for_load_state()
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_have_count(0)  # the new page starts closed
    menu_button.tap()
    expect(nav.get_by_role("link", name="Beboere")).to_have_attribute("aria-current", "page")


def test_on_a_desktop_the_navigation_shows_without_the_button(page, make_staff, browser_login):
    worker = make_staff("social_worker", name="Sofie Rådgiver")
    browser_login(page, worker)
    page.keyboard.press("Tab")  # the skip link comes first and shows when focused
    expect(page.get_by_role("link", name="Gå til indhold")).to_be_focused()
    expect(page.get_by_role("link", name="Gå til indhold")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Menu", exact=True)).to_be_hidden()
    nav = page.get_by_role("navigation", name="Hovedmenu")
    expect(nav).to_have_count(1)
    expect(nav.get_by_role("link", name="Overblik")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("banner")).to_contain_text("Sofie Rådgiver")
    expect(page.get_by_role("link", name="Konto", exact=True)).to_be_visible()
    nav.get_by_role("link", name="Beboere").click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(nav.get_by_role("link", name="Beboere")).to_have_attribute("aria-current", "page")
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)


def test_a_long_navigation_overflows_behind_more_named_in_the_pages_language(page, make_staff, browser_login):
    """A leader has more sections than a desktop row holds: DKFDS moves the rest behind its overflow
    button, which app.js names in the page's language (DKFDS writes "Mere" whatever the language)."""
    leader = make_staff("leader", name="Lone Leder")
    browser_login(page, leader)
    nav = page.get_by_role("navigation", name="Hovedmenu")
    more = nav.get_by_role("button", name="Mere", exact=True)
    expect(more).to_be_visible()
    more.click()
    nav.get_by_role("link", name="Logning").click()
    expect(page).to_have_url(re.compile(r"/audit/$"))
    switch_language(page)
    english_nav = page.get_by_role("navigation", name="Main menu")
    expect(english_nav.get_by_role("button", name="More", exact=True)).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)


def test_signed_out_the_header_has_the_language_switch_and_no_menu(sized):
    page = sized("phone")
    page.goto("/login")
    expect(page.get_by_role("button", name="Menu", exact=True)).to_have_count(0)
    switch_language(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)
