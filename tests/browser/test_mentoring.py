"""Mentoring in a real browser at tablet size: a leader proposes a match from the suggestions, the mentor
accepts, logs a meeting, records a leisure job as an outcome, and the follow-up shows as due when its
date comes; the pages on the way pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from caseapp.clock import local_today
from caseapp.extensions import db
from tests.browser.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser
TABLET = {"width": 820, "height": 1180}


def _setup(live_app, leader, mentor) -> tuple[str, int]:
    from caseapp.domains.mentoring import services
    from caseapp.domains.mentoring.inputs import MentorInput, ProgrammeInput
    from caseapp.models.users import User
    from caseapp.register import services as people

    with live_app.app_context():
        actor = db.session.get(User, leader.id)
        programme = services.save_programme(ProgrammeInput("leisure_job", "Fritidsjob med accept", 13, 17, True), actor)
        services.save_mentor(
            MentorInput(capacity=4, languages=("da",), focus_areas=("leisure_job",), user_id=mentor.id), actor
        )
        person = people.build_person(
            people.PersonInput(first_name="Yusuf", last_name="Browser", cpr="0103114123", area="Bøgeparken"), actor.id
        )
        db.session.commit()
        ids = (str(person.id), programme.id)
        db.session.remove()
    return ids


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_leader_matches_mentor_accepts_logs_meeting_and_follow_up_falls_due(
    browser, live_server, live_app, make_staff, browser_login
):
    leader = make_staff("leader", name="Lene Leder")
    mentor = make_staff("mentor", name="Mads Mentor")
    person_id, programme_id = _setup(live_app, leader, mentor)

    def tab():
        context = browser.new_context(
            base_url=live_server,
            locale="da-DK",
            viewport=TABLET,
            extra_http_headers={"Accept-Language": "da-DK,da;q=0.9"},
        )
        return context, context.new_page()

    context, page = tab()
    browser_login(page, leader)
    page.goto(f"/mentoring/match?person_id={person_id}&programme_id={programme_id}")
    expect(page.locator("ol.suggestions")).to_contain_text("Mads Mentor")
    expect(page.locator("ol.suggestions")).to_contain_text("ledige")
    assert_accessible(page)
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Foreslå").click()
    expect(page.locator(".flash")).to_contain_text("Matchet er foreslået")
    expect(page.locator("dd.state")).to_contain_text("Foreslået")
    relationship_url = page.url
    context.close()

    context, page = tab()
    browser_login(page, mentor)
    expect(page.locator(".my-mentees")).to_contain_text("Yusuf Browser")
    page.goto(relationship_url)
    page.locator("#answer-answer").select_option("accept")
    page.locator("#form-answer ~ form button[type=submit]").click()
    expect(page.locator("dd.state")).to_contain_text("Aktiv")
    assert_accessible(page)
    _no_sideways_scroll(page)

    page.locator("#meeting-mode").select_option("in_person")
    page.locator("#meeting-notes").fill("Vi talte om at søge job i Netto.")
    page.locator("#form-meeting ~ form button[type=submit]").click()
    expect(page.locator("li.meeting")).to_contain_text("Vi talte om at søge job i Netto.")

    started = local_today().replace(day=1)
    month = started.month - 3
    started = started.replace(year=started.year + (month - 1) // 12, month=(month - 1) % 12 + 1)
    page.locator("#outcome-kind").select_option("leisure_job")
    page.locator("#outcome-starts_on").fill(started.isoformat())
    page.locator("#outcome-verified_by").select_option("employer")
    page.locator("#form-outcome ~ form button[type=submit]").click()
    expect(page.locator("li.followup").first).to_contain_text("Forfalden")
    expect(page.locator("li.followup").nth(1)).to_contain_text("ikke forfalden endnu")
    assert_accessible(page)
    page.goto("/")
    expect(page.locator(".followups-due")).to_contain_text("Yusuf Browser")
    context.close()
