"""Data protection in a real browser: a social worker records and withdraws a consent and sees why on
the landing page; a mentor breaks the glass and sees the resident in red; a leader hands over the
access document and erases the resident. The pages on the way pass axe."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from caseapp.extensions import db
from tests.browser.conftest import open_section
from tests.browser.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser


def _resident(live_app, staff=None, programme="counselling", **fields) -> tuple[str, str]:
    """A resident (id, CPR) with a unique CPR, assigned to `staff` when given."""
    import random

    from caseapp.register import services
    from caseapp.register.demo import fake_cpr
    from caseapp.register.models import Assignment

    with live_app.app_context():
        rng = random.Random()
        cpr = fake_cpr(rng, date(1990, 1, 1) + timedelta(days=rng.randint(0, 9000)))
        person = services.build_person(
            services.PersonInput(
                first_name=fields.get("first_name", "Leyla"), last_name=fields.get("last_name", "Østergaard"), cpr=cpr
            ),
            None,
        )
        db.session.flush()
        if staff is not None:
            db.session.add(Assignment(user_id=staff.id, person_id=person.id, programme=programme))
        db.session.commit()
        result = (str(person.id), cpr)
        db.session.remove()
    return result


def test_consent_is_recorded_and_withdrawn_and_staff_see_why(page, live_app, make_staff, browser_login):
    worker = make_staff("social_worker", name="Sofie Rådgiver")
    person_id, _cpr = _resident(live_app, worker)
    browser_login(page, worker)
    page.goto(f"/people/{person_id}")
    page.get_by_role("link", name="Registrér eller træk samtykker tilbage").click()
    page.get_by_label("Hvad samtykket gælder").select_option("share_school")
    page.get_by_label("Givet af").select_option("parent")
    page.get_by_label("Navn på forælderen eller værgen").fill("Hanne Østergaard")
    page.get_by_label("Hvordan det blev givet").select_option("oral_witness")
    page.get_by_label("Dato for samtykket").fill(date.today().isoformat())
    page.get_by_role("button", name="Registrér samtykket").click()
    expect(page.locator(".flash-error")).to_be_visible()  # an oral consent needs a witness
    expect(page.locator("main")).to_contain_text("navnet på vidnet")
    expect(page.get_by_label("Navn på forælderen eller værgen")).to_have_value("Hanne Østergaard")
    assert_accessible(page)
    page.get_by_label("Vidne (ved mundtligt samtykke)").fill("Birgitte Holm")
    page.get_by_role("button", name="Registrér samtykket").click()
    expect(page.locator(".flash-success")).to_contain_text("Samtykket er registreret")
    expect(page.locator("main table")).to_contain_text("Gældende")

    page.get_by_role("link", name="Træk tilbage").click()
    page.get_by_label("Hvorfor samtykket trækkes tilbage").fill("Mor ringede: skolen må ikke længere få oplysninger")
    assert_accessible(page)
    page.get_by_role("button", name="Træk samtykket tilbage").click()
    expect(page.locator(".flash-success")).to_contain_text("Samtykket er trukket tilbage")
    expect(page.locator("main table")).to_contain_text("skolen må ikke længere")
    page.goto("/")
    expect(page.locator("main")).to_contain_text("Samtykker trukket tilbage")
    expect(page.locator("main")).to_contain_text("skolen må ikke længere få oplysninger")


def test_mentor_breaks_the_glass_and_sees_the_resident_in_red(page, live_app, make_staff, browser_login):
    mentor = make_staff("mentor", name="Mads Mentor")
    person_id, cpr = _resident(live_app, first_name="Idris", last_name="Karlsen")
    browser_login(page, mentor)
    response = page.goto(f"/people/{person_id}")
    assert response.status == 404
    page.goto("/")
    page.get_by_role("link", name="Nødadgang").last.click()
    page.get_by_label("Beboerens CPR-nummer").fill(cpr)
    page.get_by_label("Nødsituationen").fill("Idris er meldt savnet, og hans kontaktperson kan ikke nås")
    page.get_by_label("30 minutter").check()
    assert_accessible(page)
    page.get_by_role("button", name="Åbn nødadgang").click()
    expect(page).to_have_url(re.compile(f"/people/{person_id}$"))
    expect(page.locator("main h1")).to_have_text("Idris Karlsen")
    banner = page.locator("section.break-glass")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("nødadgang")
    color = banner.evaluate("el => getComputedStyle(el).borderTopColor")
    assert color == "rgb(164, 22, 26)", color  # the danger red of the layout
    banner.get_by_role("button", name="Luk nødadgangen nu").click()
    response = page.goto(f"/people/{person_id}")
    assert response.status == 404


def test_leader_hands_over_the_access_document_and_erases_the_resident(page, live_app, make_staff, browser_login):
    worker = make_staff("social_worker", name="Karoline Sagsbehandler")
    person_id, cpr = _resident(live_app, worker, first_name="Nadia", last_name="Rasmussen")
    leader = make_staff("leader", name="Lene Leder")
    browser_login(page, leader)
    open_section(page, "Databeskyttelse")
    assert_accessible(page)
    page.get_by_label("CPR-nummer").fill(cpr)
    page.get_by_role("button", name="Find").click()
    expect(page.locator("main h1")).to_have_text("Databeskyttelse: Nadia Rasmussen")
    page.get_by_role("button", name="Åbn dokumentet til udskrift").click()
    expect(page.locator("main h1")).to_have_text("Oplysninger, vi har registreret om dig")
    expect(page.locator("main")).to_contain_text("Nadia")
    expect(page.locator("main")).to_contain_text("Hvornår dine oplysninger er brugt")
    assert "Karoline Sagsbehandler" not in page.content() and "Lene Leder" not in page.content()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Slet beboeren").click()
    page.get_by_label("Grundlag for sletningen").select_option("request")
    page.get_by_label("Begrundelse (gemmes efter sletningen)").fill("Anmodning modtaget pr. brev")
    page.get_by_label("Jeg forstår, at sletningen ikke kan fortrydes").check()
    assert_accessible(page)
    page.get_by_role("button", name="Slet beboeren endeligt").click()
    expect(page.locator(".flash-success")).to_contain_text("Personen er slettet")
    expect(page.locator("main")).to_contain_text("Anmodning modtaget pr. brev")
    response = page.goto(f"/people/{person_id}")
    assert response.status == 404
