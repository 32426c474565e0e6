"""Youth courses in a real browser at tablet size (portrait): a course leader creates a course with weekly
sessions, enrols demo participants until one is waiting-listed, fills in two registers for 15 participants
by tapping (one page load and 15 taps each, counted), loses the connection during a register without
losing a saved mark, and sees completion computed. The pages on the way pass axe."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_sideways_scroll, open_section
from tests.browser.test_accessibility import assert_accessible
from tests.people.factories import make_person

pytestmark = pytest.mark.browser
TABLET = {"width": 820, "height": 1180}


def _youth(live_app, n: int, last_name: str, leader=None, age: int = 16) -> list[str]:
    """Young people in the register; with `leader`, in that leader's caseload (as after an earlier course)."""
    year = date.today().year - age
    return [
        make_person(
            live_app,
            first_name=f"Ung{i:02d}",
            last_name=last_name,
            cpr=f"{i % 28 + 1:02d}02{year % 100:02d}4{i:03d}",
            assign_to=[(leader, "courses")] if leader else (),
        )
        for i in range(n)
    ]


def _new_course(page, title: str, *, days: int, ages: tuple[int, int] | None = None) -> None:
    """Create a course through its form: starting today, weekly on today's weekday 16-18."""
    today = date.today()
    page.goto("/courses/new")
    page.locator("#title").fill(title)
    page.locator("#starts_on").fill(today.isoformat())
    page.locator("#ends_on").fill((today + timedelta(days=days)).isoformat())
    if ages is not None:
        page.locator("#age_min").fill(str(ages[0]))
        page.locator("#age_max").fill(str(ages[1]))
    page.locator("#pattern_weekday").select_option(str(today.weekday()))
    page.locator("#pattern_starts_at").fill("16:00")
    page.locator("#pattern_ends_at").fill("18:00")
    page.get_by_role("button", name="Gem").click()


def _take_register(page, register_url: str, *, reason: str | None = None, offline_at: int | None = None) -> int:
    """Open the register once and tap "Mødt" for every participant; returns the taps made."""
    loads = []

    def loaded(_page):
        loads.append(1)

    page.on("load", loaded)
    page.goto(register_url)
    assert_accessible(page)
    rows = page.locator(".register-row")
    assert rows.count() == 15
    if reason:
        page.locator("#amend-reason").fill(reason)
    taps = 0
    for i in range(15):
        row = rows.nth(i)
        if offline_at is not None and i == offline_at:
            page.context.set_offline(True)
        row.locator("button.mark-present").click()
        taps += 1
        if offline_at is not None and i == offline_at:
            expect(row.locator(".result")).to_contain_text("Ingen forbindelse")
            page.context.set_offline(False)
            page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(row.locator(".result")).to_have_text("Gemt")
        expect(row.locator("button.mark-present")).to_have_attribute("aria-pressed", "true")
    page.remove_listener("load", loaded)
    assert len(loads) == 1, "the register took more than one page load"
    return taps


def test_course_leader_runs_a_course_at_tablet_size(page, live_app, make_staff, browser_login):
    page.set_viewport_size(TABLET)
    leader = make_staff("course_leader", name="Karim Kursusleder")
    _youth(live_app, 16, "Testholm", leader)
    browser_login(page, leader)

    open_section(page, "Udviklingsforløb for unge")
    assert_accessible(page)
    page.get_by_role("link", name="Nyt forløb").click()
    today = date.today()
    start = today - timedelta(days=7)
    page.locator("#title").fill("Fremtidsværkstedet")
    page.locator("#starts_on").fill(start.isoformat())
    page.locator("#ends_on").fill((today + timedelta(days=20)).isoformat())
    page.locator("#capacity").fill("15")
    page.locator("#age_min").fill("14")
    page.locator("#age_max").fill("18")
    page.locator("#min_attendance_pct").fill("50")
    page.locator("#partner_kind").select_option("municipal")
    page.locator("#partner_name").fill("Ungdomsskolen")
    page.locator("#pattern_weekday").select_option(str(today.weekday()))
    page.locator("#pattern_starts_at").fill("16:00")
    page.locator("#pattern_ends_at").fill("18:00")
    page.locator("#pattern_topic").fill("Holdgang")
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()
    expect(page.locator("main h1")).to_have_text("Fremtidsværkstedet")
    assert_accessible(page)
    course_url = page.url
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("link", name="Tilmeld deltagere").click()
    assert_accessible(page)
    for _ in range(16):  # one tap on the first person in the picker, one on the button
        page.locator("[data-picker] .picker-list label").first.click()
        page.get_by_role("button", name="Tilmeld", exact=True).click()
        page.wait_for_load_state()
    expect(page.locator(".flash-warning")).to_contain_text("nummer 1 på ventelisten")

    page.goto(course_url)
    expect(page.locator("ol.waiting-list li")).to_have_count(1)
    expect(page.locator("#participants-count")).to_contain_text("15")
    registers = page.locator("#session-table a", has_text="Deltagerliste")
    past_url, today_url = registers.nth(0).get_attribute("href"), registers.nth(1).get_attribute("href")

    taps = _take_register(page, past_url, reason="Registreret efter holdgangen")
    assert taps == 15
    taps = _take_register(page, today_url, offline_at=5)
    assert taps == 15
    page.reload()  # every mark, including the one made offline, was saved
    expect(page.locator('button.mark-present[aria-pressed="true"]')).to_have_count(15)

    page.goto(course_url)
    expect(page.locator("#completed-count")).to_contain_text("15")
    expect(page.locator("table.participants")).to_contain_text("Reglen opfyldt")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_register_works_with_the_keyboard(page, live_app, make_staff, browser_login):
    page.set_viewport_size(TABLET)
    leader = make_staff("course_leader", name="Katja Kursusleder")
    _youth(live_app, 1, "Tastatur", age=15)  # not in the leader's caseload: found by CPR number
    browser_login(page, leader)
    today = date.today()
    _new_course(page, "Tastaturholdet", days=14)
    page.get_by_role("link", name="Tilmeld deltagere").click()
    page.locator("#cpr").fill(f"0102{(today.year - 15) % 100:02d}-4000")
    page.keyboard.press("Enter")
    expect(page.locator("[data-picker] input:checked")).to_have_count(1)
    page.get_by_role("button", name="Tilmeld", exact=True).press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".flash-success")).to_be_visible()
    page.get_by_role("link", name="Tilbage til forløbet").click()
    page.locator("#session-table a", has_text="Deltagerliste").first.click()
    button = page.locator(".register-row button.mark-excused")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".register-row .result")).to_have_text("Gemt")
    expect(button).to_have_attribute("aria-pressed", "true")


def test_course_leader_enrols_a_youth_outside_the_age_band_by_tapping(sized, live_app, make_staff, browser_login):
    """On a touch phone: type part of a name to narrow the picker, tap the person, see the age-band warning,
    be refused without the confirmation (what was chosen and typed kept), confirm and enrol."""
    page = sized("phone", touch=True)
    leader = make_staff("course_leader", name="Pia Picker")
    _youth(live_app, 3, "Yngre", leader)
    _youth(live_app, 1, "Ældre", leader, age=19)
    browser_login(page, leader)
    _new_course(page, "Pigeholdet", days=30, ages=(13, 17))
    page.get_by_role("link", name="Tilmeld deltagere").click()

    picker = page.locator("[data-picker]")
    expect(picker.locator(".picker-list li:visible")).to_have_count(4)
    page.locator("#person_id-filter").fill("ældre")
    expect(picker.locator(".picker-list li:visible")).to_have_count(1)
    warning = picker.locator(".picker-warning")
    expect(warning).to_be_hidden()
    picker.locator(".picker-list label", has_text="Ældre").tap()
    expect(warning).to_be_visible()
    assert_accessible(page)
    page.locator("#age_reason").fill("Storesøster til en deltager")
    page.get_by_role("button", name="Tilmeld", exact=True).tap()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("19 år")
    expect(summary).to_be_focused()
    expect(picker.locator("input:checked")).to_have_count(1)
    expect(page.locator("#age_reason")).to_have_value("Storesøster til en deltager")
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.locator("label[for=confirm_age]").tap()
    page.get_by_role("button", name="Tilmeld", exact=True).tap()
    expect(page.locator(".flash-success")).to_be_visible()
    page.get_by_role("link", name="Tilbage til forløbet").tap()
    expect(page.locator("table.participants")).to_contain_text("Ældre")
    expect(page.locator("table.participants")).to_contain_text("Uden for aldersgruppen")
