"""Mentoring in a real browser. At tablet size: a leader proposes a match from the suggestions, the mentor
accepts, logs a meeting, records a leisure job as an outcome, and the follow-up shows as due when its
date comes. At phone and tablet size: the mentor's main path (landing panel, relationship, log a meeting,
update a goal), and the mentor and guidance pages. Every page on the way passes axe and fits the width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from caseapp.clock import local_today
from caseapp.extensions import db
from tests.browser.conftest import SIZES, assert_axe_clean, assert_no_sideways_scroll

pytestmark = pytest.mark.browser
TABLET = SIZES["tablet"]


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
    assert_axe_clean(page)
    assert_no_sideways_scroll(page)
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
    assert_axe_clean(page)
    assert_no_sideways_scroll(page)

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
    assert_axe_clean(page)
    page.goto("/")
    expect(page.locator(".followups-due")).to_contain_text("Yusuf Browser")
    context.close()


def _active_mentee(live_app, leader, mentor, cpr: str) -> str:
    """An active relationship of the mentor with a goal, made through the verbs; its id."""
    from caseapp.domains.mentoring import services
    from caseapp.domains.mentoring.inputs import GoalInput, MentorInput, ProgrammeInput, ProposalInput
    from caseapp.models.users import User
    from caseapp.register import services as people

    with live_app.app_context():
        actor = db.session.get(User, leader.id)
        programme = services.save_programme(ProgrammeInput("job_mentoring", f"Jobmentor {cpr}", 18, 64, False), actor)
        profile = services.save_mentor(
            MentorInput(capacity=3, languages=("da",), focus_areas=("job",), user_id=mentor.id), actor
        )
        person = people.build_person(
            people.PersonInput(first_name="Hanan", last_name="Telefon", cpr=cpr, area="Granparken"), actor.id
        )
        db.session.flush()
        rel = services.propose(ProposalInput(person.id, programme.id, profile.id, purpose="Job i detailhandlen"), actor)
        services.add_goal(
            rel, GoalInput("cv", "Et CV til detailhandlen", None, "planned"), db.session.get(User, mentor.id)
        )
        db.session.commit()
        rid = str(rel.id)
        db.session.remove()
    return rid


@pytest.mark.parametrize("size", list(SIZES))
def test_the_mentors_main_path_at_phone_and_tablet_size(sized, size, live_app, make_staff, browser_login):
    leader = make_staff("leader", name="Lene Leder")
    mentor = make_staff("mentor", name="Malik Mentor")
    rel_id = _active_mentee(live_app, leader, mentor, "0101901678" if size == "phone" else "0202901678")
    page = sized(size, touch=True)
    browser_login(page, mentor)
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)
    page.locator(".my-mentees").get_by_role("link", name="Hanan Telefon").click()
    expect(page).to_have_url(re.compile(f"/mentoring/relationships/{rel_id}$"))
    expect(page.locator("dd.state")).to_contain_text("Aktiv")
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)

    page.locator("#meeting-mode").select_option("phone")
    page.locator("#meeting-notes").fill("Gennemgik CV'et i telefonen.")
    page.locator("#form-meeting ~ form button[type=submit]").click()
    expect(page.locator(".flash")).to_contain_text("Gemt")
    expect(page.locator("li.meeting")).to_contain_text("Gennemgik CV'et i telefonen.")

    goal = page.locator("li.goal").first
    goal.locator("summary").click()
    goal.locator("select[id$='-status']").select_option("in_progress")
    goal.locator("textarea[id$='-progress_note']").fill("Første udkast er skrevet.")
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)
    goal.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(f"/mentoring/relationships/{rel_id}#goals$"))
    expect(page.locator("li.goal .goal-status").first).to_contain_text("I gang")
    expect(page.locator("li.goal .progress-notes").first).to_contain_text("Første udkast er skrevet.")
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)

    # The mentor's own profile and the open guidance page, at the same size.
    page.goto("/mentoring/mentors")
    expect(page.locator("table.mentors")).to_contain_text("Malik Mentor")
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)
    page.locator("table.mentors").get_by_role("link", name=re.compile("Malik Mentor")).click()
    expect(page.locator("dd.load")).to_contain_text("1 af 3")
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)
    page.goto("/mentoring/mentors/new")
    expect(page.locator("#capacity")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)
    page.goto("/mentoring/guidance")
    page.locator("#place").fill("Granparkens Skole")
    page.locator("#headcount").fill("14")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("table.guidance")).to_contain_text("Granparkens Skole")
    assert_no_sideways_scroll(page)
    assert_axe_clean(page)


def test_the_match_pickers_age_warning_follows_the_programme(sized, live_app, make_staff, browser_login):
    """On a touch tablet: the mentee's age is checked against the band of the programme chosen above the
    picker, and the warning follows when the leader changes the programme."""
    from caseapp.domains.mentoring import services
    from caseapp.domains.mentoring.inputs import ProgrammeInput
    from caseapp.models.users import User

    leader = make_staff("leader", name="Lis Leder")
    person_id, leisure_id = _setup(live_app, leader, make_staff("mentor"))
    with live_app.app_context():
        adults = services.save_programme(
            ProgrammeInput("job_mentoring", "Jobmentor for voksne", 18, 64, True), db.session.get(User, leader.id)
        )
        db.session.commit()
        adults_id = adults.id
        db.session.remove()
    page = sized("tablet", touch=True)
    browser_login(page, leader)
    page.goto(f"/mentoring/match?programme_id={adults_id}")
    picker = page.locator("fieldset[data-picker]")
    warning = picker.locator(".picker-warning")
    picker.locator(f"label:has(input[value='{person_id}'])").tap()  # 15 years old: outside 18–64
    expect(warning).to_be_visible()
    page.locator("#programme_id").select_option(str(leisure_id))  # 13–17
    expect(warning).to_be_hidden()
    page.locator("#programme_id").select_option(str(adults_id))
    expect(warning).to_be_visible()
    assert_axe_clean(page)
    page.get_by_role("button", name="Vis forslag").tap()
    # The proposal form asks for the confirmation, and says why.
    expect(page.locator("main")).to_contain_text("Jobmentor for voksne er for 18–64 år")
    expect(page.locator("#confirm_age")).to_be_visible()
