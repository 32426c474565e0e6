"""Concerns in a real browser: a mentor files an acute concern; an SSP user sees the alert, triages it
and shares the summary with the police under § 115; the police liaison, logged in with 2FA, sees
exactly the summary and nothing else. The pages on the way pass axe."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from caseapp.extensions import db
from tests.browser.conftest import open_section
from tests.browser.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser

SUMMARY = "Truet med kniv ved stationen"
DESCRIPTION = "Ifølge to beboere truede han en jævnaldrende med en kniv og tog hans telefon"
NOTE = "Visiteres straks; forebyggelsesbetjenten orienteres"


def _mentee(live_app, mentor) -> tuple[str, str]:
    """A young person assigned to the mentor in the live database: (id, name)."""
    from caseapp.register.models import Assignment
    from caseapp.register.services import PersonInput, build_person

    with live_app.app_context():
        person = build_person(
            PersonInput(first_name="Noah", last_name=f"Madsen{mentor.id}", cpr="120310-5123", area="Granparken"),
            mentor.id,
        )
        db.session.flush()
        db.session.add(Assignment(user_id=mentor.id, person_id=person.id, programme="mentoring"))
        db.session.commit()
        result = (str(person.id), person.full_name)
        db.session.remove()
        return result


def _log_out(page) -> None:
    page.get_by_role("button", name="Log ud").click()
    expect(page.locator("main h1")).to_have_text("Log ind")


def test_acute_concern_from_filing_to_police_summary(page, live_app, make_staff, browser_login):
    mentor = make_staff("mentor", name="Mads Mentor")
    person_id, name = _mentee(live_app, mentor)

    # A mentor files an acute concern.
    browser_login(page, mentor)
    open_section(page, "Bekymringer")
    page.get_by_role("link", name="Indgiv en bekymring").click()
    page.locator(f"input[name=person_id][value='{person_id}']").check()
    page.get_by_label("Iagttaget den").fill(date.today().isoformat())
    page.get_by_label("Hvor (boligafdeling)").select_option(label="Granparken")
    page.get_by_label("Kilde").select_option(label="En beboer")
    page.get_by_label("Kategori").select_option(label="Vold")
    page.get_by_label("Alvor").select_option(label="Akut")
    page.get_by_label("Resumé").fill(SUMMARY)
    page.get_by_label("Beskrivelse").fill(DESCRIPTION)
    assert_accessible(page)
    page.get_by_role("button", name="Indgiv bekymringen").click()
    expect(page.locator(".flash")).to_contain_text("Bekymringen er indgivet")
    expect(page.locator("main h1")).to_have_text(f"Bekymring om {name}")
    expect(page.locator("main")).to_contain_text("Ny")
    concern_url = page.url
    _log_out(page)

    # SSP sees the alert on the landing page, triages the concern and shares the summary with the police.
    ssp = make_staff("ssp", name="Sara SSP")
    browser_login(page, ssp)
    alert = page.locator("section.alert-acute")
    expect(alert).to_contain_text("Akutte bekymringer, der venter på vurdering")
    expect(alert).not_to_contain_text(name)  # the alert carries no personal data
    assert_accessible(page)
    alert.locator(f"a[href='/{concern_url.split('/', 3)[3]}']").click()
    expect(page).to_have_url(concern_url)
    expect(page.locator("main")).to_contain_text(DESCRIPTION)
    page.get_by_label("Flyt til").select_option(label="Under vurdering")
    page.get_by_label("Notat").fill(NOTE)
    page.get_by_role("button", name="Gem statusskiftet").click()
    expect(page.locator(".flash")).to_contain_text("Bekymringen har skiftet status")
    expect(page.locator("main dl.facts")).to_contain_text("Under vurdering")
    assert_accessible(page)

    page.get_by_role("link", name="Videregiv", exact=True).click()
    page.get_by_label("Modtager").select_option(label="Forebyggelsesbetjent")
    page.get_by_label("Retsgrundlag").select_option(label="Retsplejelovens § 115 (SSP-samarbejde)")
    page.get_by_label("Formål").fill("Forebyggelsesbetjenten tager kontakt til familien")
    page.get_by_label("Resumé", exact=True).check()
    page.get_by_label("Udløber efter").fill((date.today() + timedelta(days=14)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Videregiv", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("Videregivelsen er registreret")
    expect(page.locator("#shares")).to_contain_text("Forebyggelsesbetjent")
    page.goto("/")
    expect(page.locator("section.alert-acute")).to_have_count(0)  # triage has started
    _log_out(page)

    # The police liaison logs in with 2FA and sees exactly the summary, and nothing else.
    police = make_staff("police", name="Peter Politi")
    assert police.totp_secret
    browser_login(page, police)
    expect(page.locator("main")).to_contain_text("Bekymringer delt med dig: 1")
    page.get_by_role("link", name="Se dem").click()
    page.get_by_role("link", name=name).click()
    expect(page).to_have_url(concern_url)
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text(f"Bekymring om {name}")
    expect(main.locator(".concern-summary")).to_have_text(SUMMARY)
    text = main.inner_text()
    for hidden in (
        DESCRIPTION,
        NOTE,
        "Vold",
        "Akut",
        "Under vurdering",
        "En beboer",
        "Granparken",
        "120310-5123",
        "Mads Mentor",
    ):
        assert hidden not in text, hidden
    expect(main.locator("section")).to_have_count(2)  # the share it rests on, and the summary
    expect(main.locator("dl.facts dt")).to_have_text(["Navn", "Født"])
    assert_accessible(page)

    # And no other record of the young person.
    page.goto(f"/people/{person_id}")
    expect(page.locator("main h1")).to_have_text(re.compile("Ikke tilladt|Ikke fundet"))
