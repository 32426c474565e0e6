"""Who may read a resident, and their CPR number, through every page and route (DESIGN §2)."""

import pytest

from tests.conftest import bearer
from tests.people.factories import make_person

NO_PERSON_ACCESS = ["admin", "police", "coordinator", "analyst"]


@pytest.fixture
def resident(app, make_user):
    worker = make_user("social_worker")
    mentor = make_user("mentor")
    person_id = make_person(app, assign_to=[(worker, "counselling"), (mentor, "mentoring")])
    return person_id, worker, mentor


def _page(client, person_id):
    return client.get(f"/people/{person_id}")


@pytest.mark.parametrize("role", NO_PERSON_ACCESS)
def test_roles_without_person_access_get_no_page_no_list_no_api(role, app, client, login_as, resident, api_token):
    person_id, *_ = resident
    staff = login_as(role)
    assert _page(client, person_id).status_code == 403
    assert client.get("/people/").status_code == 403
    assert client.get("/people/households").status_code == 403
    token = api_token(staff)
    for method, url in (
        ("get", f"/api/v1/people/{person_id}"),
        ("get", "/api/v1/people"),
        ("get", "/api/v1/households"),
        ("get", f"/api/v1/people/{person_id}/assignments"),
    ):
        assert getattr(client, method)(url, headers=bearer(token)).status_code == 403
    response = client.post("/api/v1/people/search", json={"cpr": "0101901234"}, headers=bearer(token))
    assert response.status_code == 403


def test_assigned_social_worker_reads_and_sees_cpr(client, resident, make_user):
    from tests.conftest import log_in

    person_id, worker, _ = resident
    log_in(client, worker)
    page = _page(client, person_id).get_data(as_text=True)
    assert "Amira Hansen" in page and "010190-1234" in page


def test_mentor_reads_own_mentee_without_cpr(client, resident, api_token):
    from tests.conftest import log_in

    person_id, _, mentor = resident
    log_in(client, mentor)
    page = _page(client, person_id)
    assert page.status_code == 200
    assert "010190-1234" not in page.get_data(as_text=True)
    body = client.get(f"/api/v1/people/{person_id}", headers=bearer(api_token(mentor))).get_json()
    assert "cpr" not in body and body["first_name"] == "Amira"
    assert client.get(f"/people/{person_id}/edit").status_code == 403


@pytest.mark.parametrize("role", ["social_worker", "mentor", "course_leader", "ssp"])
def test_unassigned_frontline_staff_get_404_and_empty_lists(role, client, login_as, resident, api_token):
    person_id, *_ = resident
    staff = login_as(role)
    assert _page(client, person_id).status_code == 404
    token = api_token(staff)
    assert client.get(f"/api/v1/people/{person_id}", headers=bearer(token)).status_code == 404
    assert client.get("/api/v1/people", headers=bearer(token)).get_json()["total"] == 0
    assert "Amira" not in client.get("/people/?all=1").get_data(as_text=True)
    found = client.post("/api/v1/people/search", json={"name": "Amira"}, headers=bearer(token)).get_json()
    assert found["total"] == 0


def test_leader_reads_everyone_with_cpr_and_sees_who_opened(client, login_as, resident, app):
    from tests.conftest import log_in

    person_id, worker, _ = resident
    log_in(client, worker)
    _page(client, person_id)
    client.submit("/logout", token_from="/")
    login_as("leader")
    page = _page(client, person_id).get_data(as_text=True)
    assert "010190-1234" in page
    assert "Hvem har åbnet denne side" in page and "Test Person" in page


def test_ended_assignment_ends_access(app, client, resident, make_user):
    from datetime import date, timedelta

    from caseapp.extensions import db
    from caseapp.register.models import Assignment
    from tests.conftest import log_in

    person_id, worker, _ = resident
    with app.app_context():
        row = db.session.scalar(db.select(Assignment).where(Assignment.user_id == worker.id))
        row.ends_on = date.today() - timedelta(days=1)
        db.session.commit()
    log_in(client, worker)
    assert _page(client, person_id).status_code == 404


def test_list_never_shows_what_detail_refuses(app, client, make_user, api_token):
    from tests.conftest import log_in

    worker = make_user("social_worker")
    mine = [make_person(app, first_name=f"Mine{i}", cpr="", assign_to=[(worker, "counselling")]) for i in range(3)]
    make_person(app, first_name="Other", cpr="")
    token = api_token(worker)
    listed = client.get("/api/v1/people?per_page=100", headers=bearer(token)).get_json()["items"]
    assert sorted(p["id"] for p in listed) == sorted(mine)
    for item in listed:
        assert client.get(f"/api/v1/people/{item['id']}", headers=bearer(token)).status_code == 200
    log_in(client, worker)
    html = client.get("/people/?all=1").get_data(as_text=True)
    assert "Other" not in html and all(f"Mine{i}" in html for i in range(3))
