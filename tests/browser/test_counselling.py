"""Parent counselling in a real browser: a social worker opens a case for a demo family, logs a home
visit with an agreed action, sees it due on the landing page, and records attendance that shows in the
chart; the pages on the way pass axe."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from caseapp.extensions import db
from tests.browser.conftest import open_section
from tests.browser.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser


def _demo_family(live_app, staff) -> tuple[str, str, str]:
    """Seed demo residents assigned to `staff`; returns (parent id, parent name, child name) of a family."""
    from caseapp.models.users import User
    from caseapp.register import demo as demo_people
    from caseapp.register.models import Assignment, Household, HouseholdMember

    with live_app.app_context():
        user = db.session.get(User, staff.id)
        demo_people.seed(staff={"social_worker": [user]}, count=12, seed=staff.id)
        mine = db.select(Assignment.person_id).where(Assignment.user_id == staff.id)
        for household in db.session.scalars(
            db.select(Household).join(HouseholdMember).where(HouseholdMember.person_id.in_(mine)).distinct()
        ):
            parents = [m.person for m in household.members if m.relation == "parent"]
            children = [m.person for m in household.members if m.relation == "child"]
            # The test finds the child by name: a family whose children share a name would be ambiguous.
            if parents and children and len({c.full_name for c in children}) == len(children):
                result = (str(parents[0].id), parents[0].full_name, children[0].full_name)
                db.session.remove()
                return result
    raise AssertionError("the demo seed made no family with a parent and a child")


def test_social_worker_opens_case_logs_visit_sees_it_due_and_records_attendance(
    page, live_app, make_staff, browser_login
):
    worker = make_staff("social_worker", name="Sofie Rådgiver")
    parent_id, parent_name, child_name = _demo_family(live_app, worker)
    browser_login(page, worker)

    open_section(page, "Forældrerådgivning")
    page.get_by_role("link", name="Opret et forløb").click()
    # The shared person picker: type part of the name, tap the parent.
    page.get_by_label("Skriv en del af et navn for at indsnævre listen").fill(parent_name.split()[0])
    page.locator(f"label:has(input[value='{parent_id}'])").click()
    page.get_by_role("button", name="Fortsæt").click()
    expect(page.locator("main h1")).to_have_text(f"Opret forløb for {parent_name}")
    page.get_by_label(re.compile(re.escape(child_name))).check()
    page.get_by_label("Sprogudvikling").check()
    page.get_by_label("Fremmøde").check()
    assert_accessible(page)
    page.get_by_role("button", name="Opret forløbet").click()
    expect(page.locator("main h1")).to_contain_text(f"Forløb for {parent_name}")
    expect(page.locator(".flash")).to_contain_text("Forløbet er oprettet")
    case_url = page.url

    page.get_by_role("link", name="Notér en samtale").click()
    page.get_by_label("Samtaleform").select_option(label="Hjemmebesøg")
    page.get_by_label("Notat").fill("Hjemmebesøg: vi talte om godnatlæsning og om fraværet om mandagen.")
    row = page.locator("fieldset", has_text="Handling 1")
    row.get_by_label("Aftalt handling").fill("Ringe til skolen om fraværet")
    row.get_by_label("Ansvarlig").select_option(label="Rådgiver")
    row.get_by_label("Frist").fill(date.today().isoformat())
    page.get_by_label("Næste opfølgning").fill((date.today() + timedelta(days=7)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Gem samtalen").click()
    expect(page.locator("#sessions")).to_contain_text("vi talte om godnatlæsning")
    expect(page.locator("#sessions")).to_contain_text("Hjemmebesøg")

    page.get_by_role("link", name="Overblik").click()
    panel = page.locator("section.my-work")
    expect(panel).to_contain_text(parent_name)
    expect(panel.locator("ul.due")).to_contain_text("Ringe til skolen om fraværet")

    page.goto(case_url)
    page.get_by_role("link", name=f"Registrér fremmøde for {child_name}").click()
    page.get_by_label("Institution", exact=True).select_option(label="Skole")
    page.get_by_label("Periode fra").fill("2026-09-01")
    page.get_by_label("Periode til").fill("2026-09-30")
    page.get_by_label("Fremmøde (%)").fill("83")
    page.get_by_label("Fremmødet giver anledning til bekymring").check()
    page.get_by_role("button", name="Gem").click()
    chart = page.locator("#attendance svg.caseapp-chart").first
    expect(chart).to_be_visible()
    expect(chart.locator("rect.marked")).to_have_count(1)  # the period that gives cause for concern
    expect(chart).to_contain_text("83 %")
    expect(page.locator("#attendance table")).to_contain_text("83 %")
    assert_accessible(page)
