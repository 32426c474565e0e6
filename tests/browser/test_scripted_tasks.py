"""The frontline's everyday tasks, scripted in a real browser and counted in page loads from the landing
page (issue 17): a home visit with a note and an agreed action in at most 3, a concern filed by an SSP
worker in at most 2, a person found by CPR from any page in at most 2. A page load is a document the
browser loads (a form posted and redirected is one)."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from caseapp.extensions import db
from tests.browser.conftest import assigned_person

pytestmark = pytest.mark.browser


class Loads:
    """Counts the main frame's document loads from the moment it is started."""

    def __init__(self, page):
        self.count = 0
        page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self.count += 1

    def start(self, page) -> None:
        """Count from now: the current page has finished loading (its own load event is not counted)."""
        page.wait_for_load_state("load")
        self.count = 0


def _open_case(live_app, worker, parent: str, child: str) -> str:
    from caseapp.domains.counselling import cases
    from caseapp.domains.counselling.inputs import CaseOpening
    from caseapp.models.users import User
    from caseapp.register.models import Household, HouseholdMember

    with live_app.app_context():
        household = Household(area="Granparken")
        household.members = [
            HouseholdMember(person_id=uuid.UUID(parent), relation="parent"),
            HouseholdMember(person_id=uuid.UUID(child), relation="child"),
        ]
        db.session.add(household)
        db.session.flush()
        case = cases.open_case(
            CaseOpening(
                person_id=uuid.UUID(parent),
                started_on=date.today(),
                focus_areas=("language",),
                children=(uuid.UUID(child),),
                only_household=True,
            ),
            db.session.get(User, worker.id),
        )
        db.session.commit()
        case_id = str(case.id)
        db.session.remove()
        return case_id


def test_a_home_visit_with_a_note_and_an_agreed_action_in_three_page_loads(page, live_app, make_staff, browser_login):
    worker = make_staff("social_worker", name="Sofie Rådgiver")
    parent = assigned_person(live_app, worker, "counselling", "Hiba", "Karimi", "030385-1234")
    child = assigned_person(live_app, worker, "counselling", "Adam", "Karimi", "030316-1235")
    case_id = _open_case(live_app, worker, parent, child)
    loads = Loads(page)
    browser_login(page, worker)
    loads.start(page)
    page.locator("section.my-work").get_by_role("link", name="Hiba Karimi").click()  # 1: the case
    expect(page).to_have_url(re.compile(case_id))
    page.get_by_role("link", name="Notér en samtale").click()  # 2: the session form
    page.get_by_label("Samtaleform").select_option(label="Hjemmebesøg")
    page.get_by_label("Notat").fill("Hjemmebesøg: vi talte om lektier og sovetider.")
    row = page.locator("fieldset", has_text="Handling 1")
    row.get_by_label("Aftalt handling").fill("Ringe til skolen om lektiecaféen")
    row.get_by_label("Ansvarlig").select_option(label="Rådgiver")
    row.get_by_label("Frist").fill((date.today() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Gem samtalen").click()  # 3: saved, back on the case
    expect(page.locator("#sessions")).to_contain_text("vi talte om lektier")
    expect(page.locator("main")).to_contain_text("Ringe til skolen om lektiecaféen")
    assert loads.count <= 3, f"{loads.count} page loads"


def test_an_ssp_worker_files_a_concern_in_two_page_loads(page, live_app, make_staff, browser_login):
    ssp = make_staff("ssp", name="Sami SSP")
    young = assigned_person(live_app, ssp, "concerns", "Malik", "Omar", "040409-5123")
    loads = Loads(page)
    browser_login(page, ssp)
    loads.start(page)
    page.get_by_role("link", name="Indgiv en bekymring").click()  # 1: the form, from the landing page
    page.locator(f"label:has(input[value='{young}'])").first.click()
    page.get_by_label("Iagttaget den").fill(date.today().isoformat())
    page.get_by_label("Hvor (boligafdeling)").select_option(label="Granparken")
    page.get_by_label("Kilde").select_option(index=1)
    page.get_by_label("Kategori").select_option(index=1)
    page.get_by_label("Alvor").select_option(index=1)
    page.get_by_label("Resumé").fill("Skolen ringede om fravær")
    page.get_by_label("Beskrivelse").fill("Skolen fortæller om fravær i to uger")
    page.get_by_role("button", name="Indgiv bekymringen").click()  # 2: the filed concern
    expect(page.locator("main h1")).to_contain_text("Malik Omar")
    assert loads.count <= 2, f"{loads.count} page loads"


@pytest.mark.parametrize("start", ["/", "/week/", "/notifications/"])
def test_a_person_is_found_by_cpr_from_any_page_in_two_page_loads(page, live_app, make_staff, browser_login, start):
    worker = make_staff("social_worker", name="Sofie Rådgiver")
    cpr = f"05058{next(_cprs)}-1234"
    pid = assigned_person(live_app, worker, "counselling", "Leila", "Nasser", cpr)
    browser_login(page, worker)
    loads = Loads(page)
    page.goto(start)
    loads.start(page)
    search = page.get_by_role("search", name="Find en beboer")
    search.get_by_label("Hurtigsøgning (navn eller CPR)").fill(cpr)
    search.get_by_role("button", name="Søg").click()  # 1: the results (or the person)
    if pid not in page.url:
        page.get_by_role("link", name="Leila Nasser").click()  # 2: the person
    expect(page).to_have_url(re.compile(pid))
    expect(page.locator("main h1")).to_have_text("Leila Nasser")
    assert loads.count <= 2, f"{loads.count} page loads"


_cprs = iter(range(10))
