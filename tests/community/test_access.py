"""Who reaches what (DESIGN §2): coordinators manage and see volunteers but no other resident; leaders read
all; frontline staff read associations and activities; analysts see counts and hours, never a name;
SSP and police nothing here."""

from __future__ import annotations

import uuid

import pytest

from caseapp.extensions import db
from tests.community import factories as f
from tests.conftest import bearer, log_in
from tests.people.factories import make_person

API = "/api/v1/community"
NAME = "Frivilligsen"


@pytest.fixture
def world(app, make_user):
    coordinator = make_user("coordinator")
    aid = f.activity(app, coordinator)
    vid = f.volunteer(app, coordinator)
    f.vet(app, vid, coordinator)
    f.place(app, vid, aid, coordinator)
    f.hours(app, vid, aid, coordinator)
    f.occurrence(app, aid, coordinator)
    assoc = f.association(app, coordinator)
    with app.app_context():
        from caseapp.domains.community import services
        from caseapp.domains.community.models import Association

        services.update_association(
            db.session.get(Association, uuid.UUID(assoc)), {"contact_volunteer_id": vid}, 1, None
        )
        db.session.commit()
    return {"coordinator": coordinator, "activity": aid, "volunteer": vid, "association": assoc}


def _pages(w):
    return [
        "/community/",
        f"/community/activities/{w['activity']}",
        "/community/associations",
        f"/community/associations/{w['association']}",
    ]


def _routes(w):
    return [
        f"{API}/activities",
        f"{API}/activities/{w['activity']}",
        f"{API}/activities/{w['activity']}/occurrences",
        f"{API}/associations",
        f"{API}/associations/{w['association']}",
    ]


def _volunteer_routes(w):
    v = w["volunteer"]
    return [
        f"{API}/volunteers",
        f"{API}/volunteers/{v}",
        f"{API}/volunteers/{v}/vetting",
        f"{API}/volunteers/{v}/hours",
    ]


def test_an_analyst_sees_activities_counts_and_hours_but_never_a_volunteers_name(
    app, client, make_user, api_token, world
):
    analyst = make_user("analyst")
    log_in(client, analyst)
    for url in _pages(world):
        page = client.get(url)
        assert page.status_code == 200, url
        assert NAME not in page.get_data(as_text=True), url
    assert "2.5" in client.get(f"/community/activities/{world['activity']}").get_data(as_text=True)
    assert client.get("/community/volunteers").status_code == 403
    assert client.get(f"/community/volunteers/{world['volunteer']}").status_code == 403
    assert client.get("/").status_code == 200 and NAME not in client.get("/").get_data(as_text=True)
    token = bearer(api_token(analyst))
    for url in _routes(world):
        answer = client.get(url, headers=token)
        assert answer.status_code == 200, url
        assert NAME not in answer.get_data(as_text=True), url
        assert "contact" not in str(answer.get_json().get("items", answer.get_json())), url
    for url in _volunteer_routes(world):
        assert client.get(url, headers=token).status_code == 403, url


def test_a_coordinator_manages_volunteers_but_reaches_no_residents_record(app, client, api_token, world):
    coordinator = world["coordinator"]
    resident = make_person(app, first_name="Rasmus", last_name="Beboersen")
    with app.app_context():
        from caseapp.domains.community.models import Volunteer

        volunteer_person = str(db.session.get(Volunteer, uuid.UUID(world["volunteer"])).person_id)
    log_in(client, coordinator)
    assert NAME in client.get("/community/volunteers").get_data(as_text=True)
    assert NAME in client.get(f"/community/volunteers/{world['volunteer']}").get_data(as_text=True)
    assert NAME in client.get(f"/community/associations/{world['association']}").get_data(as_text=True)
    # The register refuses them: no resident list, no person page, not even the volunteer's own record.
    for url in ("/people/", f"/people/{resident}", f"/people/{volunteer_person}", "/people/households"):
        assert client.get(url).status_code == 403, url
    token = bearer(api_token(coordinator))
    for url in ("/api/v1/people", f"/api/v1/people/{resident}", f"/api/v1/people/{volunteer_person}"):
        assert client.get(url, headers=token).status_code == 403, url
    # Nor through the volunteer register: a resident is not a volunteer, and cannot be linked by id.
    linked = client.post(f"{API}/volunteers", headers=token, json={"person_id": resident})
    assert linked.status_code == 422
    assert "Rasmus" not in client.get(f"{API}/volunteers", headers=token).get_data(as_text=True)
    for url in _routes(world) + _volunteer_routes(world):
        assert client.get(url, headers=token).status_code == 200, url
    with app.app_context():
        from caseapp.models.users import User
        from caseapp.register.models import get_visible_person

        user = db.session.get(User, coordinator.id)
        assert get_visible_person(resident, user) is None
        assert get_visible_person(volunteer_person, user) is not None  # the person scope: volunteers only


@pytest.mark.parametrize("role", ["social_worker", "mentor", "course_leader"])
def test_frontline_staff_read_associations_and_activities_only(app, client, make_user, api_token, world, role):
    staff = make_user(role)
    token = bearer(api_token(staff))
    for url in _routes(world):
        answer = client.get(url, headers=token)
        assert answer.status_code == 200 and NAME not in answer.get_data(as_text=True), url
    for url in _volunteer_routes(world):
        assert client.get(url, headers=token).status_code == 403, url
    made = client.post(f"{API}/activities", headers=token, json={"title": "X", "kind": "event"})
    assert made.status_code == 403


@pytest.mark.parametrize("role", ["ssp", "police", "admin"])
def test_ssp_police_and_admin_see_nothing_here(app, client, make_user, api_token, world, role):
    staff = make_user(role)
    token = bearer(api_token(staff))
    for url in _routes(world) + _volunteer_routes(world):
        assert client.get(url, headers=token).status_code == 403, url


def test_leaders_read_all_including_volunteers(app, client, make_user, api_token, world):
    leader = make_user("leader")
    token = bearer(api_token(leader))
    for url in _routes(world) + _volunteer_routes(world):
        assert client.get(url, headers=token).status_code == 200, url
    assert NAME in client.get(f"{API}/volunteers", headers=token).get_data(as_text=True)
    assert client.post(f"{API}/activities", headers=token, json={"title": "X", "kind": "event"}).status_code == 403


def test_volunteer_reads_are_audited(app, client, api_token, world):
    from sqlalchemy import select

    from caseapp.models.audit import AuditEvent

    token = bearer(api_token(world["coordinator"]))
    client.get(f"{API}/volunteers/{world['volunteer']}", headers=token)
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {
        "community.volunteer.view",
        "community.volunteer.create",
        "community.vetting.create",
        "community.placement.create",
    } <= actions


def test_the_coordinators_landing_panel_shows_vetting_and_declarations_due(app, client, world):
    from datetime import timedelta

    from caseapp.clock import local_today

    f.volunteer(app, world["coordinator"], first_name="Udløbet", last_name="Attestsen")
    old = f.volunteer(app, world["coordinator"], first_name="Gammel", last_name="Attestsen")
    f.vet(app, old, world["coordinator"], received=local_today() - timedelta(days=800))
    f.association(app, world["coordinator"], name="Glemsom Forening", declared_on=local_today() - timedelta(days=400))
    log_in(client, world["coordinator"])
    home = client.get("/").get_data(as_text=True)
    assert "Gammel Attestsen" in home and "Glemsom Forening" in home
    assert "Lektiecafé i Bøgeparken" in home  # this week's activities (a recurring one)
