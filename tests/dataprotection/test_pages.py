"""Every data-protection page renders in Danish for who may use it, and lists page at 25."""

from __future__ import annotations

from sqlalchemy import select

from caseapp.extensions import db
from caseapp.privacy.consent import Consent
from tests.conftest import log_in
from tests.dataprotection.conftest import PERSON


def test_leader_pages(app, client, login_as, everywhere):
    login_as("leader")
    person_id = everywhere["ids"]["person"]
    for url, expected in (
        ("/data-protection/", "En beboers rettigheder"),
        (f"/data-protection/people/{person_id}", "Indsigt"),
        (f"/data-protection/people/{person_id}/consents", "Registrér et samtykke"),
        (f"/data-protection/people/{person_id}/erase", "Slet beboeren endeligt"),
        ("/data-protection/processing", "Sikkerhedsforanstaltninger"),
        ("/data-protection/retention", "Konfigurerede frister"),
        ("/data-protection/erasures", "Ingen er slettet"),
        ("/data-protection/emergency-access/review", "Gennemgang af nødadgang"),
        ("/data-protection/log-review", "Loggennemgang"),
        (f"/people/{person_id}", "Indsigt og sletning"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.get_data(as_text=True), url
    assert "Databeskyttelse" in client.get("/").get_data(as_text=True)  # the landing panel


def test_lookup_by_cpr_is_posted(client, login_as, everywhere):
    login_as("leader")
    found = client.submit("/data-protection/lookup", {"cpr": PERSON["cpr"]}, token_from="/data-protection/")
    assert found.status_code == 302
    assert found.location.endswith(f"/data-protection/people/{everywhere['ids']['person']}")
    missing = client.submit("/data-protection/lookup", {"cpr": "0101010101"}, token_from="/data-protection/")
    assert missing.location.endswith("/data-protection/")


def test_withdraw_page_for_the_assigned_social_worker(app, client, everywhere):
    log_in(client, everywhere["worker"])
    with app.app_context():
        consent_id = db.session.scalar(select(Consent.id).where(Consent.purpose == "photos"))
    page = client.get(f"/data-protection/consents/{consent_id}/withdraw")
    assert page.status_code == 200 and "Træk samtykket tilbage" in page.get_data(as_text=True)
    empty = client.submit(f"/data-protection/consents/{consent_id}/withdraw", {"reason": "", "version": "1"})
    assert empty.status_code == 422


def test_other_roles_see_no_data_protection_menu(client, login_as):
    login_as("social_worker")
    assert client.get("/data-protection/").status_code == 403
    assert '/data-protection/"' not in client.get("/").get_data(as_text=True)
