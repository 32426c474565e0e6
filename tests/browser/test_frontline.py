"""Issue 17 in a real browser, at a phone (390×844) and a tablet (820×1180): no sideways scrolling and
axe-clean pages, Back after a search shows the results, the error summary lists and links the fields and
takes focus, the concern person picker works by tapping and by keyboard, a filer sees the notification."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SIZES, assert_axe_clean, assert_no_sideways_scroll, assigned_person, filed_concern

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", list(SIZES))
def test_main_pages_reflow_and_pass_axe(sized, size, live_app, make_staff, browser_login):
    worker = make_staff("social_worker", name="Sofie Rådgiver")
    assigned_person(live_app, worker, "counselling", "Amina", "Khalil", "010190-1234")
    page = sized(size)
    browser_login(page, worker)
    for url in ("/", "/people/", "/people/search", "/week/", "/notifications/", "/concerns/new", "/counselling/"):
        page.goto(url)
        assert_no_sideways_scroll(page)
        assert_axe_clean(page)


@pytest.mark.parametrize("size", list(SIZES))
def test_leader_pages_reflow_and_the_audit_log_filters_by_name(sized, size, make_staff, browser_login):
    leader = make_staff("leader", name="Lone Leder")
    other = make_staff("social_worker", name="Birthe Sørensen")
    page = sized(size)
    browser_login(page, leader)
    page.goto("/audit/")
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)
    page.get_by_label("Medarbejder").select_option(value=str(other.id))
    assert page.get_by_label("Medarbejder").locator("option:checked").inner_text().startswith("Birthe Sørensen")
    page.get_by_label("Periode").select_option(label="Denne måned")
    page.get_by_role("button", name="Filtrér").click()
    expect(page).to_have_url(re.compile(rf"actor={other.id}"))
    assert_no_sideways_scroll(page)
    page.goto("/week/")
    assert_no_sideways_scroll(page)


def test_back_after_a_header_search_shows_the_results(sized, live_app, make_staff, browser_login):
    worker = make_staff("social_worker", name="Sofie Rådgiver")
    pid = assigned_person(live_app, worker, "counselling", "Yasmin", "Haddad", "020290-1234")
    page = sized("tablet")
    browser_login(page, worker)
    page.goto("/week/")
    page.get_by_role("search", name="Find en beboer").get_by_label("Hurtigsøgning (navn eller CPR)").fill("020290-1234")
    page.get_by_role("search", name="Find en beboer").get_by_role("button", name="Søg").click()
    expect(page).to_have_url(re.compile(r"/people/search/[A-Za-z0-9_-]{22}$"))
    assert "020290" not in page.url
    page.get_by_role("link", name="Yasmin Haddad").click()
    expect(page).to_have_url(re.compile(pid))
    page.go_back()
    expect(page.get_by_role("link", name="Yasmin Haddad")).to_be_visible()
    expect(page.locator("main h1")).to_have_text("Søg efter beboere")


def test_error_summary_lists_links_and_takes_focus(sized, live_app, make_staff, browser_login):
    ssp = make_staff("ssp", name="Sami SSP")
    page = sized("phone")
    browser_login(page, ssp)
    page.goto("/concerns/new")
    page.get_by_role("button", name="Indgiv bekymringen").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.locator("a")
    assert links.count() >= 3
    summary.get_by_role("link", name=re.compile("^Resumé")).click()
    expect(page.locator("#summary")).to_be_focused()
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)


def test_ssp_files_a_concern_with_the_picker_by_tapping_and_keyboard(sized, live_app, make_staff, browser_login):
    ssp = make_staff("ssp", name="Sami SSP")
    young = assigned_person(live_app, ssp, "concerns", "Omar", "Said", "050510-5123")
    assigned_person(live_app, ssp, "concerns", "Ida", "Berg", "060611-5124")
    adult = assigned_person(live_app, ssp, "concerns", "Karl", "Madsen", "010180-1233")
    page = sized("phone", touch=True)
    browser_login(page, ssp)
    # From the landing page: the form, then the filed concern (2 page loads).
    page.goto("/concerns/new")
    picker = page.locator("fieldset[data-picker]").first
    picker.get_by_label("Skriv en del af et navn for at indsnævre listen").fill("karl")
    expect(picker.locator(f"input[value='{young}']")).to_be_hidden()
    picker.locator(f"label:has(input[value='{adult}'])").tap()
    expect(picker.locator(".picker-warning")).to_be_visible()
    # Keyboard: clear the filter and choose the young person with the arrow keys' radio group.
    picker.get_by_label("Skriv en del af et navn for at indsnævre listen").fill("omar")
    picker.locator(f"input[value='{young}']").focus()
    page.keyboard.press("Space")
    expect(picker.locator(f"input[value='{young}']")).to_be_checked()
    expect(picker.locator(".picker-warning")).to_be_hidden()
    involved = page.locator("fieldset[data-picker]").nth(1)
    involved.locator("label", has_text="Ida Berg").tap()
    expect(involved.locator("input:checked")).to_have_count(1)
    page.get_by_label("Iagttaget den").fill(date.today().isoformat())
    page.get_by_label("Hvor (boligafdeling)").select_option(label="Granparken")
    page.get_by_label("Kilde").select_option(index=1)
    page.get_by_label("Kategori").select_option(index=1)
    page.get_by_label("Alvor").select_option(index=1)
    page.get_by_label("Resumé").fill("Skolen ringede om fravær")
    page.get_by_label("Beskrivelse").fill("Skolen fortæller om fravær i tre uger")
    page.get_by_role("button", name="Indgiv bekymringen").click()
    expect(page.locator("main h1")).to_contain_text("Bekymring")
    assert_no_sideways_scroll(page)


def test_a_filer_sees_the_status_change_notification(sized, live_app, make_staff, browser_login):
    mentor, ssp = make_staff("mentor", name="Mads Mentor"), make_staff("ssp", name="Sami SSP")
    young = assigned_person(live_app, mentor, "mentoring", "Noor", "Ali", "070712-5123")
    concern_id = filed_concern(live_app, mentor, young, triaged_by=ssp)
    page = sized("phone")
    browser_login(page, mentor)
    bell = page.get_by_role("link", name=re.compile("^Notifikationer"))
    expect(bell).to_contain_text("1")
    bell.click()
    page.get_by_role("button", name=re.compile("En bekymring, du har indsendt, er nu")).click()
    expect(page).to_have_url(re.compile(concern_id))
    expect(page.get_by_role("link", name=re.compile("^Notifikationer"))).not_to_contain_text("1")
