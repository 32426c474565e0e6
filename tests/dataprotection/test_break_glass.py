"""Break the glass: emergency access outside one's caseload with a reason, for a short time, shown in
red, audited, and listed for leaders to review."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from caseapp.domains.dataprotection.models import BreakGlassGrant
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.base import utcnow
from tests.conftest import bearer, log_in
from tests.people.factories import make_person

REASON = "Barnet er meldt forsvundet, og den ansvarlige rådgiver er syg"


def open_glass(client, cpr="0101901234", reason=REASON, minutes="30"):
    return client.submit("/data-protection/emergency-access", {"cpr": cpr, "reason": reason, "minutes": minutes})


def test_mentor_opens_a_person_outside_the_caseload_for_a_short_time(app, client, make_user):
    worker = make_user("social_worker")
    person_id = make_person(app, assign_to=[(worker, "counselling")])
    mentor = make_user("mentor")
    log_in(client, mentor)
    assert client.get(f"/people/{person_id}").status_code == 404
    response = open_glass(client)
    assert response.status_code == 302 and response.location.endswith(f"/people/{person_id}")
    page = client.get(f"/people/{person_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'class="break-glass"' in html and REASON in html
    assert "break-glass" in client.get("/").get_data(as_text=True)  # and on the landing page, in red
    with app.app_context():
        grant = db.session.scalar(select(BreakGlassGrant))
        assert grant.expires_at - grant.granted_at == timedelta(minutes=30)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "breakglass.grant"))
        assert event.subject_id == person_id and event.actor_id == mentor.id and event.purpose == "break_glass"
        assert REASON not in event.detail
        # In the person's own access log, the reads under the grant carry its purpose.
        from caseapp.domains.dataprotection.subject_access import access_log

        with app.test_request_context():
            views = [e for e in access_log(uuid.UUID(person_id)) if e["action"] == "person.view"]
        assert views and all(e["purpose"] == "break_glass" for e in views)
        # When the time is up, the person is out of reach again.
        grant.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(f"/people/{person_id}").status_code == 404


def test_closing_early_ends_the_access(app, client, make_user):
    make_person(app)
    log_in(client, make_user("social_worker"))
    response = open_glass(client)
    person_url = response.location
    with app.app_context():
        grant_id = db.session.scalar(select(BreakGlassGrant.id))
    closed = client.submit(f"/data-protection/emergency-access/{grant_id}/end", {}, token_from=person_url)
    assert closed.status_code == 302
    assert client.get(person_url).status_code == 404


def test_reason_and_duration_are_required(app, client, make_user):
    make_person(app)
    log_in(client, make_user("ssp"))
    short = open_glass(client, reason="Akut")
    assert short.status_code == 422
    unknown = open_glass(client, cpr="0202021234")
    assert unknown.status_code == 422 and "ingen beboer" in unknown.get_data(as_text=True).lower()
    too_long = open_glass(client, minutes="600")
    assert too_long.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(BreakGlassGrant)) is None


def test_no_glass_to_break_when_access_is_already_there(app, client, make_user):
    worker = make_user("social_worker")
    make_person(app, assign_to=[(worker, "counselling")])
    log_in(client, worker)
    response = open_glass(client)
    assert response.status_code == 422 and "allerede adgang" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["admin", "police", "coordinator", "analyst", "leader"])
def test_roles_without_break_glass(app, client, login_as, role):
    make_person(app)
    login_as(role)
    assert client.get("/data-protection/emergency-access").status_code == 403


def test_leaders_list_and_review_grants(app, client, make_user, login_as, api_token):
    make_person(app)
    mentor = make_user("mentor")
    log_in(client, mentor)
    open_glass(client)
    client.post("/logout", data={"csrf_token": client.csrf_token("/")})
    leader = login_as("leader")
    listing = client.get("/data-protection/emergency-access/review").get_data(as_text=True)
    assert REASON in listing and "break-glass" in listing
    with app.app_context():
        grant_id = db.session.scalar(select(BreakGlassGrant.id))
    reviewed = client.submit(
        f"/data-protection/emergency-access/{grant_id}/review",
        {"outcome": "justified"},
        token_from="/data-protection/emergency-access/review",
    )
    assert reviewed.status_code == 302
    with app.app_context():
        grant = db.session.get(BreakGlassGrant, grant_id)
        assert grant.review_outcome == "justified" and grant.reviewed_by_id == leader.id
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "breakglass.review")) is not None
    assert REASON not in client.get("/data-protection/emergency-access/review").get_data(as_text=True)
    body = client.get("/api/v1/break-glass", headers=bearer(api_token(leader))).get_json()
    assert body["total"] == 1 and body["items"][0]["review_outcome"] == "justified"


def test_break_glass_by_api(app, client, make_user, api_token):
    person_id = make_person(app)
    course_leader = make_user("course_leader")
    token = api_token(course_leader)
    assert client.get(f"/api/v1/people/{person_id}", headers=bearer(token)).status_code == 404
    made = client.post(
        "/api/v1/break-glass", json={"person_id": person_id, "reason": REASON, "minutes": 15}, headers=bearer(token)
    )
    assert made.status_code == 201 and made.get_json()["active"] is True
    assert client.get(f"/api/v1/people/{person_id}", headers=bearer(token)).status_code == 200
    with app.app_context():
        assert db.session.get(BreakGlassGrant, uuid.UUID(made.get_json()["id"])).user_id == course_leader.id
