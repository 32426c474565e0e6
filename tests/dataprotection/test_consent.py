"""The consent register: who may record and withdraw, validation, and that withdrawal stops at once every
share resting on the consent, with the reason shown to the staff who relied on it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from caseapp.domains.concerns.models import ConcernShare
from caseapp.extensions import db
from caseapp.privacy.consent import Consent, has_active_consent
from tests.conftest import bearer, log_in
from tests.dataprotection.conftest import add_consent
from tests.people.factories import make_person

FORM = {
    "purpose": "photos",
    "given_by": "parent",
    "giver_name": "Hanne Hansen",
    "method": "signed_form",
    "witness": "",
    "given_on": (date.today() - timedelta(days=1)).isoformat(),
    "expires_on": "",
}


def test_assigned_social_worker_records_a_consent(app, client, make_user):
    worker = make_user("social_worker")
    person_id = make_person(app, assign_to=[(worker, "counselling")])
    log_in(client, worker)
    response = client.submit(f"/data-protection/people/{person_id}/consents", FORM)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Hanne Hansen" in page
    with app.app_context():
        assert has_active_consent(uuid.UUID(person_id), "photos")
        assert not has_active_consent(uuid.UUID(person_id), "share_school")


def test_invalid_consent_comes_back_with_messages_and_the_typing_kept(app, client, make_user):
    worker = make_user("social_worker")
    person_id = make_person(app, assign_to=[(worker, "counselling")])
    log_in(client, worker)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = client.submit(
        f"/data-protection/people/{person_id}/consents",
        {**FORM, "method": "oral_witness", "given_on": tomorrow, "giver_name": "Hanne Hansen"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "navnet på vidnet" in html and "fremtiden" in html
    assert 'value="Hanne Hansen"' in html
    with app.app_context():
        assert db.session.scalar(select(Consent)) is None


def test_who_may_record_consents(app, client, make_user, login_as):
    worker = make_user("social_worker")
    person_id = make_person(app, assign_to=[(worker, "counselling")])
    stranger = make_user("social_worker")
    log_in(client, stranger)
    assert client.get(f"/data-protection/people/{person_id}/consents").status_code == 404
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    mentor = make_user("mentor")
    other_id = make_person(app, cpr="0202904321", assign_to=[(mentor, "mentoring")])
    log_in(client, mentor)
    page = client.get(f"/data-protection/people/{other_id}/consents")
    assert page.status_code == 200 and "Registrér et samtykke" not in page.get_data(as_text=True)
    url = f"/data-protection/people/{other_id}/consents"
    forbidden = client.post(url, data={**FORM, "csrf_token": client.csrf_token(url)})
    assert forbidden.status_code == 403
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    login_as("leader")
    assert client.submit(f"/data-protection/people/{person_id}/consents", FORM).status_code == 302


def test_expired_future_and_withdrawn_consents_are_not_active(app, make_user):
    worker = make_user("social_worker")
    person_id = make_person(app, assign_to=[(worker, "counselling")])
    add_consent(
        app,
        person_id,
        worker,
        purpose="share_school",
        given_on=date.today() - timedelta(days=400),
        expires_on=date.today() - timedelta(days=1),
    )
    with app.app_context():
        pid = uuid.UUID(person_id)
        assert not has_active_consent(pid, "share_school")
        assert has_active_consent(pid, "share_school", on=date.today() - timedelta(days=2))
        db.session.add(
            Consent(
                person_id=pid,
                purpose="mentoring",
                given_by="person",
                method="signed_form",
                given_on=date.today() + timedelta(days=3),
            )
        )
        db.session.commit()
        assert not has_active_consent(pid, "mentoring")


def test_withdrawal_ends_every_share_resting_on_it_and_staff_see_why(app, client, make_user, everywhere):
    ids, worker = everywhere["ids"], everywhere["worker"]
    with app.app_context():
        share = db.session.get(ConcernShare, uuid.UUID(ids["share"]))
        assert share.ended_at is None and share.legal_basis == "consent"
    log_in(client, worker)
    url = f"/data-protection/consents/{ids['consent']}/withdraw"
    response = client.submit(url, {"reason": "Forældrene ønsker ikke længere deling med politiet", "version": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        active = db.session.scalars(
            select(ConcernShare).where(
                ConcernShare.person_id == uuid.UUID(ids["person"]), ConcernShare.ended_at.is_(None)
            )
        ).all()
        assert active == [], "withdrawal left an active share"
        share = db.session.get(ConcernShare, uuid.UUID(ids["share"]))
        assert "ønsker ikke længere" in (share.end_reason or "")
        assert not has_active_consent(uuid.UUID(ids["person"]), "share_ssp")
    # The staff who relied on it see it and why: on their landing page and on the person page.
    landing = client.get("/").get_data(as_text=True)
    assert "ønsker ikke længere deling med politiet" in landing
    person_page = client.get(f"/people/{ids['person']}").get_data(as_text=True)
    assert "ønsker ikke længere deling med politiet" in person_page
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    log_in(client, everywhere["ssp"])
    assert "ønsker ikke længere deling med politiet" in client.get("/").get_data(as_text=True)


def test_a_stale_withdrawal_overwrites_nothing(app, client, everywhere):
    ids = everywhere["ids"]
    log_in(client, everywhere["worker"])
    url = f"/data-protection/consents/{ids['consent']}/withdraw"
    with app.app_context():
        consent = db.session.get(Consent, uuid.UUID(ids["consent"]))
        consent.expires_on = date.today() + timedelta(days=300)  # someone else changed it meanwhile
        db.session.commit()
    response = client.submit(url, {"reason": "Mundtlig tilbagekaldelse", "version": "1"})
    assert response.status_code == 409
    assert "Mundtlig tilbagekaldelse" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Consent, uuid.UUID(ids["consent"])).withdrawn_at is None


def test_consents_by_api(app, client, make_user, api_token):
    worker = make_user("social_worker")
    person_id = make_person(app, assign_to=[(worker, "counselling")])
    token = api_token(worker)
    bad = client.post(
        f"/api/v1/people/{person_id}/consents",
        json={**FORM, "given_by": "parent", "giver_name": ""},
        headers=bearer(token),
    )
    assert bad.status_code == 422 and "giver_name" in bad.get_json()["error"]["fields"]
    made = client.post(f"/api/v1/people/{person_id}/consents", json=FORM, headers=bearer(token))
    assert made.status_code == 201
    consent = made.get_json()
    assert consent["status"] == "active" and consent["giver_name"] == "Hanne Hansen"
    listed = client.get(f"/api/v1/people/{person_id}/consents", headers=bearer(token)).get_json()
    assert [c["id"] for c in listed["items"]] == [consent["id"]]
    stale = client.post(
        f"/api/v1/consents/{consent['id']}/withdraw", json={"reason": "Nej tak", "version": 7}, headers=bearer(token)
    )
    assert stale.status_code == 409
    done = client.post(
        f"/api/v1/consents/{consent['id']}/withdraw", json={"reason": "Nej tak", "version": 1}, headers=bearer(token)
    )
    assert done.status_code == 200 and done.get_json()["status"] == "withdrawn"
    stranger = api_token(make_user("social_worker"))
    assert client.get(f"/api/v1/people/{person_id}/consents", headers=bearer(stranger)).status_code == 404
    police = api_token(make_user("police"))
    assert client.get(f"/api/v1/people/{person_id}/consents", headers=bearer(police)).status_code == 403
