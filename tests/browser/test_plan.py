"""The plan in a real browser: a leader creates a funding period with its themes, a delaftale with one
delmål and a target; a social worker then opens a counselling case tagged to that delmål. The pages on
the way pass axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_section
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_counselling import _demo_family

pytestmark = pytest.mark.browser

THEMES = (
    "Uddannelse og livschancer",
    "Beskæftigelse",
    "Kriminalitetsforebyggelse",
    "Sammenhængskraft og medborgerskab",
    "Sundhed og trivsel",
)


def test_leader_builds_a_period_with_a_delaftale_and_a_case_is_tagged_to_it(page, live_app, make_staff, browser_login):
    leader = make_staff("leader", name="Lene Leder")
    browser_login(page, leader)
    open_section(page, "Helhedsplanen")
    expect(page.locator("main h1")).to_have_text("Helhedsplanen")
    page.get_by_role("link", name="Ny støtteperiode").click()
    name = f"Helhedsplan 2019–26 (browsertest {leader.id})"
    page.get_by_label("Navn på dansk").first.fill(name)
    page.get_by_label("Navn på engelsk").first.fill(f"Master plan 2019–26 (browser test {leader.id})")
    page.get_by_label("Bevillingsgiverens midler (fx 2019–26)").fill("2019–26")
    page.get_by_label("Starter").fill("2019-01-01")
    page.get_by_label("Slutter").fill("2026-12-31")
    for number, theme in enumerate(THEMES, start=1):
        page.locator("fieldset", has_text=f"Indsatsområde {number}").get_by_label("Navn på dansk").fill(theme)
    page.locator("fieldset", has_text="Mål 1").get_by_label("Navn på dansk").fill("Højere uddannelsesniveau")
    partner = page.locator("fieldset", has_text="Partner 1")
    partner.get_by_label("Partner", exact=True).fill("Civica")
    partner.get_by_label("Type af partner").select_option(label="Boligorganisation")
    partner.get_by_label("Andel af medfinansieringen (%)").fill("60")
    partner = page.locator("fieldset", has_text="Partner 2")
    partner.get_by_label("Partner", exact=True).fill("Odense Kommune")
    partner.get_by_label("Type af partner").select_option(label="Kommunen")
    partner.get_by_label("Andel af medfinansieringen (%)").fill("40")
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()
    expect(page.locator(".flash")).to_contain_text("Støtteperioden er oprettet")
    expect(page.locator("main h1")).to_contain_text(name)
    make_current = page.get_by_role("button", name="Gør denne til den aktuelle periode")
    if make_current.count():  # another test's period may be current in the live database
        make_current.click()
        expect(page.locator(".flash")).to_contain_text("er nu den aktuelle støtteperiode")
    assert_accessible(page)

    page.get_by_role("row", name=re.compile("Sundhed og trivsel")).get_by_role("link", name="Opret delaftalen").click()
    page.get_by_label("Parter").fill("Civica\nOdense Kommune")
    page.get_by_label("Indhold på dansk").fill("Sundhedsindsatser for familier.")
    page.get_by_role("button", name="Opret").click()
    expect(page.locator(".flash")).to_contain_text("Delaftalen er oprettet som version 1")
    page.get_by_role("link", name="Tilføj et delmål").click()
    page.get_by_label("Delmål på dansk").fill("Flere familier bruger sundhedsplejen")
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("link", name="Tilføj et måltal").click()
    page.get_by_label("Hvad der tælles (dansk)").fill("antal familier henvist til sundhedsplejen")
    page.get_by_label("Enhed (dansk)").fill("familier")
    page.get_by_label("Baseline").fill("10")
    page.get_by_label("Måltal").fill("45")
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()
    subgoal = page.locator("section.subgoal", has_text="Flere familier bruger sundhedsplejen")
    expect(subgoal).to_contain_text("antal familier henvist til sundhedsplejen")
    expect(subgoal).to_contain_text("45")
    expect(page.locator("main")).to_contain_text("Version 3")
    assert_accessible(page)
    page.get_by_role("button", name="Log ud").click()

    worker = make_staff("social_worker", name="Sofie Rådgiver")
    parent_id, parent_name, _child = _demo_family(live_app, worker)
    browser_login(page, worker)
    page.goto(f"/counselling/cases/new?person_id={parent_id}")
    page.get_by_label("Sprogudvikling").check()
    page.get_by_label("Indsatsområde").select_option(label="Sundhed og trivsel")
    page.get_by_label("Delmål").select_option(label="Flere familier bruger sundhedsplejen")
    page.get_by_label("Kommunalt mål").select_option(label="Højere uddannelsesniveau")
    assert_accessible(page)
    page.get_by_role("button", name="Opret forløbet").click()
    expect(page.locator("main h1")).to_contain_text(f"Forløb for {parent_name}")
    tags = page.locator("dl.plan-tags")
    expect(tags).to_contain_text(name)
    expect(tags).to_contain_text("Sundhed og trivsel")
    expect(tags).to_contain_text("Delmål: Flere familier bruger sundhedsplejen")
    expect(tags).to_contain_text("Kommunalt mål: Højere uddannelsesniveau")
