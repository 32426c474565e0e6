"""Sharing: a legal basis is required, consent must be on record and active, withdrawal ends shares."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest

from caseapp.domains.concerns.models import ConcernShare, local_today
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from tests.concerns import factories as f
from tests.conftest import bearer, log_in


@pytest.fixture
def triaged(app, make_user):
    mentor, ssp = make_user("mentor"), make_user("ssp")
    person_id = f.subject(app, (mentor, "mentoring"))
    concern_id = f.file(app, mentor, person_id)
    f.move(app, ssp, concern_id, "in_triage")
    return {"ssp": ssp, "person_id": person_id, "concern_id": concern_id}


def body(**overrides) -> dict:
    return {
        "recipient": "police",
        "legal_basis": "ssp_115",
        "purpose": "Koordinering i SSP-gruppen",
        "parts": ["summary"],
        "expires_on": (local_today() + timedelta(days=30)).isoformat(),
    } | overrides


def post_share(client, token, concern_id, **overrides):
    return client.post(f"/api/v1/concerns/{concern_id}/shares", json=body(**overrides), headers=bearer(token))


def shares(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(ConcernShare))


@pytest.mark.parametrize("basis", [None, "", "because", "consent_maybe"])
def test_a_share_without_a_legal_basis_is_refused(basis, app, client, api_token, triaged):
    token = api_token(triaged["ssp"])
    overrides = {"legal_basis": basis} if basis is not None else {}
    data = body(**overrides)
    if basis is None:
        del data["legal_basis"]
    response = client.post(f"/api/v1/concerns/{triaged['concern_id']}/shares", json=data, headers=bearer(token))
    assert response.status_code == 422
    assert "legal_basis" in response.get_json()["error"]["fields"]
    assert shares(app) == 0


def test_the_share_page_refuses_without_legal_basis_and_keeps_the_input(app, client, triaged):
    log_in(client, triaged["ssp"])
    url = f"/concerns/{triaged['concern_id']}/share"
    response = client.submit(
        url,
        {
            "recipient": "police",
            "legal_basis": "",
            "purpose": "Mit formål",
            "parts": ["summary", "description"],
            "expires_on": (local_today() + timedelta(days=5)).isoformat(),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "En videregivelse kræver hjemmel." in html and "Mit formål" in html
    assert re.search(r'<input checked[^>]*value="description"', html)  # the ticks are kept too
    assert shares(app) == 0
    ok = client.submit(
        url,
        {
            "recipient": "police",
            "legal_basis": "ssp_115",
            "purpose": "Mit formål",
            "parts": ["summary"],
            "expires_on": (local_today() + timedelta(days=5)).isoformat(),
        },
    )
    assert ok.status_code == 302 and shares(app) == 1


@pytest.mark.parametrize("consent", ["absent", "withdrawn", "other_purpose", "expired"])
def test_a_share_on_consent_that_is_not_active_is_refused(consent, app, client, api_token, triaged):
    if consent == "withdrawn":
        f.give_consent(app, triaged["person_id"], "share_ssp", withdrawn=True)
    elif consent == "other_purpose":
        f.give_consent(app, triaged["person_id"], "share_school")
    elif consent == "expired":
        from caseapp.privacy.consent import Consent

        f.give_consent(app, triaged["person_id"], "share_ssp")
        with app.app_context():
            db.session.execute(db.update(Consent).values(expires_on=local_today() - timedelta(days=1)))
            db.session.commit()
    response = post_share(client, api_token(triaged["ssp"]), triaged["concern_id"], legal_basis="consent")
    assert response.status_code == 422
    assert "no active consent" in response.get_json()["error"]["message"]
    assert shares(app) == 0


def test_a_share_on_active_consent_is_accepted_and_ends_when_it_is_withdrawn(
    app, client, api_token, triaged, make_user
):
    from caseapp.privacy.consent import Consent

    f.give_consent(app, triaged["person_id"], "share_ssp")
    made = post_share(client, api_token(triaged["ssp"]), triaged["concern_id"], legal_basis="consent")
    assert made.status_code == 201 and made.get_json()["consent_purpose"] == "share_ssp"
    school = post_share(
        client, api_token(triaged["ssp"]), triaged["concern_id"], legal_basis="ssp_115", recipient="school"
    )
    assert school.status_code == 201

    police = make_user("police")
    log_in(client, police)
    assert client.get(f"/concerns/{triaged['concern_id']}").status_code == 200

    from caseapp.domains.concerns.services import end_shares_resting_on_consent

    hooks = [h for p in app.extensions["caseapp.domains"] for h in p.consent_withdrawal]
    assert end_shares_resting_on_consent in hooks  # the data-protection domain calls it
    with app.app_context():
        consent = db.session.scalar(db.select(Consent))
        consent.withdrawn_at = db.func.now()
        ended = sum(hook(uuid.UUID(triaged["person_id"]), "share_ssp", "Forældrene trak samtykket") for hook in hooks)
        db.session.commit()
        assert ended >= 1
        by_basis = {s.legal_basis: s for s in db.session.scalars(db.select(ConcernShare))}
        assert by_basis["consent"].ended_at is not None
        assert by_basis["consent"].end_reason == "Forældrene trak samtykket"
        assert by_basis["ssp_115"].ended_at is None  # a share on another basis stands
        assert db.session.scalar(
            db.select(AuditEvent).where(
                AuditEvent.action == "concern.share_end", AuditEvent.purpose == "consent_withdrawn"
            )
        )
    assert client.get(f"/concerns/{triaged['concern_id']}").status_code == 404


def test_a_withdrawn_consent_cuts_access_even_before_the_share_is_ended(app, client, api_token, triaged, make_user):
    from caseapp.privacy.consent import Consent

    f.give_consent(app, triaged["person_id"], "share_ssp")
    made = post_share(client, api_token(triaged["ssp"]), triaged["concern_id"], legal_basis="consent")
    assert made.status_code == 201
    log_in(client, make_user("police"))
    assert client.get(f"/concerns/{triaged['concern_id']}").status_code == 200
    with app.app_context():
        db.session.scalar(db.select(Consent)).withdrawn_at = db.func.now()
        db.session.commit()
    assert client.get(f"/concerns/{triaged['concern_id']}").status_code == 404


def test_mandatory_notification_basis_needs_the_flag_and_the_municipality(app, client, api_token, triaged):
    token = api_token(triaged["ssp"])
    cid = triaged["concern_id"]
    unflagged = post_share(client, token, cid, legal_basis="mandatory_notification", recipient="municipality")
    assert unflagged.status_code == 422
    flagged = client.post(
        f"/api/v1/concerns/{cid}/notification", json={"duty_holder_id": triaged["ssp"].id}, headers=bearer(token)
    )
    assert flagged.status_code == 201
    to_police = post_share(client, token, cid, legal_basis="mandatory_notification")
    assert to_police.status_code == 422 and "recipient" in to_police.get_json()["error"]["fields"]
    ok = post_share(
        client,
        token,
        cid,
        legal_basis="mandatory_notification",
        recipient="municipality",
        parts=["summary", "description"],
    )
    assert ok.status_code == 201


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"parts": []}, "parts"),
        ({"parts": ["everything"]}, "parts"),
        ({"purpose": ""}, "purpose"),
        ({"recipient": "newspaper"}, "recipient"),
        ({"expires_on": None}, "expires_on"),
        ({"expires_on": "2000-01-01"}, "expires_on"),
        ({"expires_on": "2099-01-01"}, "expires_on"),
    ],
)
def test_share_fields_are_checked(overrides, field, app, client, api_token, triaged):
    response = post_share(client, api_token(triaged["ssp"]), triaged["concern_id"], **overrides)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert shares(app) == 0


def test_a_concern_is_triaged_before_it_is_shared(app, client, make_user, api_token):
    mentor, ssp = make_user("mentor"), make_user("ssp")
    concern_id = f.file(app, mentor, f.subject(app, (mentor, "mentoring")))
    response = post_share(client, api_token(ssp), concern_id)
    assert response.status_code == 422 and "triage" in response.get_json()["error"]["message"]


def test_only_ssp_share_and_the_share_is_audited(app, client, make_user, api_token, triaged):
    for role in ("leader", "mentor", "police"):
        assert post_share(client, api_token(make_user(role)), triaged["concern_id"]).status_code == 403
    made = post_share(client, api_token(triaged["ssp"]), triaged["concern_id"], parts=["summary", "actions"])
    assert made.status_code == 201
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "concern.share"))
        assert event.actor_id == triaged["ssp"].id and event.subject_id == triaged["person_id"]
        assert '"legal_basis": "ssp_115"' in event.detail and '"parts": ["actions", "summary"]' in event.detail
        assert "Koordinering" not in event.detail  # the purpose is free text: never in the audit


def test_ending_a_share_by_api_and_listing_shares(app, client, api_token, triaged, make_user):
    token = api_token(triaged["ssp"])
    share_id = post_share(client, token, triaged["concern_id"]).get_json()["id"]
    ended = client.post(
        f"/api/v1/concerns/{triaged['concern_id']}/shares/{share_id}/end",
        json={"reason": "Afklaret"},
        headers=bearer(token),
    )
    assert ended.status_code == 200 and ended.get_json()["status"] == "ended"
    again = client.post(
        f"/api/v1/concerns/{triaged['concern_id']}/shares/{share_id}/end", json={}, headers=bearer(token)
    )
    assert again.status_code == 422
    listed = client.get(f"/api/v1/concerns/{triaged['concern_id']}/shares", headers=bearer(token)).get_json()
    assert [s["status"] for s in listed["items"]] == ["ended"]
    police_token = api_token(make_user("police"))
    assert client.get(f"/api/v1/concerns/{triaged['concern_id']}", headers=bearer(police_token)).status_code == 404


def test_withdrawing_consent_through_data_protection_ends_the_share(app, client, api_token, triaged, make_user):
    from caseapp.domains.dataprotection.consents import withdraw_consent
    from caseapp.models.users import User
    from caseapp.privacy.consent import Consent

    f.give_consent(app, triaged["person_id"], "share_ssp")
    made = post_share(client, api_token(triaged["ssp"]), triaged["concern_id"], legal_basis="consent")
    assert made.status_code == 201
    leader = make_user("leader")
    with app.app_context():
        consent = db.session.scalar(db.select(Consent))
        ended = withdraw_consent(
            consent, "Forældrene ønsker det ikke længere", consent.version, db.session.get(User, leader.id)
        )
        db.session.commit()
        assert ended == 1
        share = db.session.scalar(db.select(ConcernShare))
        assert share.ended_at is not None and share.end_reason == "Forældrene ønsker det ikke længere"
