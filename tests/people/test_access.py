"""Who may read a resident, and their CPR number, through every page and route (DESIGN §2)."""

import json
import uuid

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


def _household(app, members) -> str:
    """A saved household of (person id, relation) pairs (str id)."""
    from caseapp.extensions import db
    from caseapp.register.models import Household, HouseholdMember, Person

    with app.app_context():
        pairs = [(db.session.get(Person, uuid.UUID(pid)), relation) for pid, relation in members]
        household = Household(area="Bøgeparken")
        for person, relation in pairs:
            household.members.append(HouseholdMember(person=person, relation=relation))
        db.session.add(household)
        db.session.commit()
        return str(household.id)


def test_household_page_names_only_the_members_the_worker_may_see(app, client, make_user):
    """A social worker sees name, age, relation and a link for their own residents; the others are
    counted, never named; the read is audited with how many were shown and how many withheld."""
    from datetime import date

    from caseapp.extensions import db
    from caseapp.models.audit import AuditEvent
    from tests.conftest import log_in

    worker = make_user("social_worker")
    parent = make_person(app, first_name="Fatima", assign_to=[(worker, "counselling")])
    child = make_person(app, first_name="Omar", cpr="0101154321", assign_to=[(worker, "counselling")])
    other = make_person(app, first_name="Yusuf", last_name="Karimi", cpr="0202801234")
    household_id = _household(app, [(child, "child"), (parent, "parent"), (other, "guardian")])

    log_in(client, worker)
    response = client.get(f"/people/households/{household_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    today = date.today()
    assert f'href="/people/{parent}"' in html and f'href="/people/{child}"' in html
    assert "Fatima Hansen" in html and "Omar Hansen" in html
    assert f"{today.year - 1990} år" in html and f"{today.year - 2015} år" in html
    assert "Forælder" in html and "Barn" in html
    assert html.index("Fatima Hansen") < html.index("Omar Hansen")  # parents before children
    table = html[html.index("household-members") : html.index("</table>")]
    assert "Yusuf" not in html and "Karimi" not in html and other not in html and "Værge" not in table
    assert "1 medlem mere, som du ikke kan se." in html and "3 medlemmer" in html
    with app.app_context():
        event = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "household.view").order_by(AuditEvent.seq.desc())
        ).first()
    assert event.object_id == household_id and json.loads(event.detail) == {"members": 2, "hidden": 1}


def test_household_page_is_not_found_when_no_member_is_visible(app, client, make_user):
    from tests.conftest import log_in

    worker = make_user("social_worker")
    stranger = make_person(app, first_name="Yusuf")
    household_id = _household(app, [(stranger, "parent")])
    log_in(client, worker)
    assert client.get(f"/people/households/{household_id}").status_code == 404
    leader_client = app.test_client()
    log_in(leader_client, make_user("leader"))
    assert "Yusuf Hansen" in leader_client.get(f"/people/households/{household_id}").get_data(as_text=True)


def test_every_page_of_a_list_reports_the_whole_total(app, client, make_user, api_token):
    """The last page counts itself (no count query); full pages and pages past the end count in SQL."""
    worker = make_user("social_worker")
    for i in range(5):
        make_person(app, first_name=f"Side{i}", cpr="", assign_to=[(worker, "counselling")])
    token = api_token(worker)
    seen = []
    for page, expected in ((1, 2), (2, 2), (3, 1), (4, 0)):
        body = client.get(f"/api/v1/people?per_page=2&page={page}", headers=bearer(token)).get_json()
        assert (body["total"], len(body["items"])) == (5, expected), page
        seen += [p["id"] for p in body["items"]]
    assert len(set(seen)) == 5
    one_page = client.get("/api/v1/people?per_page=10", headers=bearer(token)).get_json()
    assert (one_page["total"], len(one_page["items"])) == (5, 5)


def test_a_household_member_is_picked_from_the_workers_own_residents(app, client, make_user):
    """The add-a-member form is the shared person picker over the worker's caseload without the members
    (no one else named), its list audited; the resident tapped is added."""
    import re

    from caseapp.extensions import db
    from caseapp.models.audit import AuditEvent
    from caseapp.register.models import HouseholdMember
    from tests.conftest import log_in

    worker = make_user("social_worker")
    parent = make_person(app, first_name="Fatima", assign_to=[(worker, "counselling")])
    newcomer = make_person(app, first_name="Layla", cpr="0101164321", assign_to=[(worker, "counselling")])
    make_person(app, first_name="Yusuf", last_name="Karimi", cpr="0202801234")
    household_id = _household(app, [(parent, "parent")])
    log_in(client, worker)
    url = f"/people/households/{household_id}"
    html = client.get(url).get_data(as_text=True)
    assert "data-picker" in html and "Layla Hansen" in html and "Yusuf" not in html
    assert set(re.findall(r'name="person_id" value="([0-9a-f-]{36})"', html)) == {newcomer}
    with app.app_context():
        listed = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "person.list")).all()
    assert [json.loads(e.detail) for e in listed][-1] == {"count": 1, "for": "household_member"}
    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    added = client.submit(url, {"person_id": newcomer, "relation": "child", "version": version})
    assert added.status_code == 302
    with app.app_context():
        members = db.session.scalars(
            db.select(HouseholdMember.person_id).where(HouseholdMember.household_id == uuid.UUID(household_id))
        ).all()
    assert sorted(str(m) for m in members) == sorted([parent, newcomer])


def test_the_caseload_lists_the_people_assigned_now_in_the_users_own_programmes(app, make_user, client, api_token):
    """mine=1: an active assignment in a programme of the user's role; not one that ended, not one in a
    programme the role does not reach, not someone assigned to another worker; a leader's own caseload
    is their assignments too."""
    from datetime import date, timedelta

    from caseapp.extensions import db
    from caseapp.register.models import Assignment

    worker, colleague, leader = make_user("social_worker"), make_user("social_worker"), make_user("leader")
    mine = make_person(app, first_name="Aktiv", cpr="", assign_to=[(worker, "counselling")])
    ended = make_person(app, first_name="Afsluttet", cpr="", assign_to=[(worker, "counselling")])
    make_person(app, first_name="Anden", cpr="", assign_to=[(worker, "mentoring")])
    make_person(app, first_name="Kollegas", cpr="", assign_to=[(colleague, "counselling")])
    led = make_person(app, first_name="Lederens", cpr="", assign_to=[(leader, "mentoring")])
    with app.app_context():
        row = db.session.scalar(db.select(Assignment).where(Assignment.person_id == uuid.UUID(ended)))
        row.ends_on = date.today() - timedelta(days=1)
        db.session.commit()
    for user, expected in ((worker, [mine]), (leader, [led])):
        body = client.get("/api/v1/people?mine=1", headers=bearer(api_token(user))).get_json()
        assert ([p["id"] for p in body["items"]], body["total"]) == (expected, 1)
