"""Registering, editing (with stale-edit protection), households and assignments, by page and API."""

import uuid
from datetime import date

from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.register.models import Assignment, Person
from tests.conftest import bearer, log_in
from tests.people.factories import make_person

NEW = {
    "first_name": "Leyla",
    "last_name": "Østergaard",
    "cpr": "150388-4321",
    "phone": "+45 31 32 33 34",
    "email": "leyla@example.dk",
    "address": "Egeparken 3",
    "area": "Egeparken",
    "notes": "Ønsker tolk",
}


def test_social_worker_registers_a_resident_and_is_assigned(app, client, login_as):
    worker = login_as("social_worker")
    response = client.submit("/people/new", {**NEW, "preferred_language": "dansk"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Leyla Østergaard" in page and "150388-4321" in page
    with app.app_context():
        person = db.session.scalar(db.select(Person))
        assert person.birth_year == 1988 and person.birth_date == "1988-03-15"
        assignment = db.session.scalar(db.select(Assignment))
        assert (assignment.user_id, assignment.programme) == (worker.id, "counselling")


def test_invalid_input_comes_back_with_messages_and_the_typing_kept(client, login_as):
    login_as("social_worker")
    response = client.submit("/people/new", {**NEW, "cpr": "999999-9999", "first_name": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ikke et gyldigt CPR-nummer" in html and "Angiv fornavnet" in html
    assert 'value="Østergaard"' in html and "Ønsker tolk" in html


def test_stale_edit_comes_back_with_input_and_overwrites_nothing(app, client, make_user):
    worker = make_user("social_worker")
    person_id = make_person(app, assign_to=[(worker, "counselling")])
    log_in(client, worker)
    form = {**NEW, "version": "1"}
    first = client.submit(f"/people/{person_id}/edit", {**form, "phone": "11111111"})
    assert first.status_code == 302
    stale = client.submit(f"/people/{person_id}/edit", {**form, "phone": "22222222"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "22222222" in html and "En anden har gemt" in html
    with app.app_context():
        assert db.session.get(Person, __import__("uuid").UUID(person_id)).phone == "11111111"


def test_api_create_read_update_with_versions(client, make_user, api_token):
    token = api_token(make_user("social_worker"))
    created = client.post("/api/v1/people", json=NEW, headers=bearer(token))
    assert created.status_code == 201
    body = created.get_json()
    person_id, version = body["id"], body["version"]
    read = client.get(f"/api/v1/people/{person_id}", headers=bearer(token)).get_json()
    assert read["cpr"] == "150388-4321" and read["last_name"] == "Østergaard"
    ok = client.patch(f"/api/v1/people/{person_id}", json={"phone": "5555", "version": version}, headers=bearer(token))
    assert ok.status_code == 200 and ok.get_json()["version"] == version + 1
    stale = client.patch(
        f"/api/v1/people/{person_id}", json={"phone": "6666", "version": version}, headers=bearer(token)
    )
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "conflict"
    assert client.get(f"/api/v1/people/{person_id}", headers=bearer(token)).get_json()["phone"] == "5555"


def test_api_validation_errors_name_the_fields(client, make_user, api_token):
    token = api_token(make_user("social_worker"))
    bad = client.post("/api/v1/people", json={"first_name": 3, "cpr": "nonsense"}, headers=bearer(token))
    assert bad.status_code == 422 and "first_name" in bad.get_json()["error"]["fields"]
    bad_cpr = client.post("/api/v1/people", json={"first_name": "A", "cpr": "320190-1234"}, headers=bearer(token))
    assert bad_cpr.status_code == 422 and "cpr" in bad_cpr.get_json()["error"]["fields"]
    bad_area = client.post("/api/v1/people", json={"first_name": "A", "area": "Mars"}, headers=bearer(token))
    assert bad_area.status_code == 422 and "area" in bad_area.get_json()["error"]["fields"]
    malformed = client.post("/api/v1/people", data="{", content_type="application/json", headers=bearer(token))
    assert malformed.status_code == 400
    missing = client.patch("/api/v1/people/not-a-uuid", json={"version": 1}, headers=bearer(token))
    assert missing.status_code == 404


def test_search_by_cpr_and_by_name_words(app, client, make_user, api_token):
    worker = make_user("social_worker")
    make_person(app, first_name="Anne-Marie", last_name="Jensen", cpr="0505051234", assign_to=[(worker, "counselling")])
    make_person(app, first_name="Marie", last_name="Hansen", cpr="0606061234", assign_to=[(worker, "counselling")])
    token = api_token(worker)

    def names(**query):
        body = client.post("/api/v1/people/search", json=query, headers=bearer(token)).get_json()
        return sorted(f"{p['first_name']} {p['last_name']}" for p in body["items"])

    assert names(cpr="050505-1234") == ["Anne-Marie Jensen"]
    # The CPR search probes the matching row's own assignments: someone else's resident is not found,
    # nor one whose assignment has ended.
    other = make_user("social_worker")
    make_person(app, first_name="Other", last_name="Caseload", cpr="0707071234", assign_to=[(other, "counselling")])
    ended = make_person(
        app, first_name="Ended", last_name="Case", cpr="0808081234", assign_to=[(worker, "counselling")]
    )
    with app.app_context():
        row = db.session.scalar(db.select(Assignment).where(Assignment.person_id == uuid.UUID(ended)))
        row.starts_on, row.ends_on = date(2020, 1, 1), date(2020, 12, 31)
        db.session.commit()
    assert names(cpr="070707-1234") == [] and names(cpr="080808-1234") == []
    assert names(name="marie") == ["Anne-Marie Jensen", "Marie Hansen"]
    assert names(name="Marie Jensen") == ["Anne-Marie Jensen"]
    assert names(name="Nobody") == []
    log_in(client, worker)
    posted = client.submit("/people/search", {"name": "Hansen"})
    # Post, then a redirect to results held server-side: the URL carries an opaque id, never the terms.
    assert posted.status_code == 303 and "Hansen" not in posted.headers["Location"]
    html = client.get(posted.headers["Location"]).get_data(as_text=True)
    assert "Marie Hansen" in html and "Jensen" not in html


def test_households_and_members(app, client, make_user, api_token):
    worker = make_user("social_worker")
    parent = make_person(app, first_name="Fatima", assign_to=[(worker, "counselling")])
    child = make_person(app, first_name="Omar", cpr="0101151234", assign_to=[(worker, "counselling")])
    hidden = make_person(app, first_name="Hidden", cpr="")
    token = api_token(worker)
    created = client.post(
        "/api/v1/households", json={"members": [{"person_id": parent, "relation": "parent"}]}, headers=bearer(token)
    )
    assert created.status_code == 201
    household = created.get_json()
    added = client.post(
        f"/api/v1/households/{household['id']}/members",
        json={"person_id": child, "relation": "child", "version": household["version"]},
        headers=bearer(token),
    )
    assert added.status_code == 200 and len(added.get_json()["members"]) == 2
    stale = client.post(
        f"/api/v1/households/{household['id']}/members",
        json={"person_id": hidden, "relation": "child", "version": household["version"]},
        headers=bearer(token),
    )
    assert stale.status_code == 404  # a resident the worker may not see cannot be added
    bad = client.post(
        f"/api/v1/households/{household['id']}/members",
        json={"person_id": child, "relation": "cousin", "version": 99},
        headers=bearer(token),
    )
    assert bad.status_code in (409, 422)
    log_in(client, worker)
    html = client.get(f"/people/households/{household['id']}").get_data(as_text=True)
    assert "Fatima" in html and "Omar" in html and "Barn" in html


def test_leader_assigns_and_ends_assignments(app, client, login_as, make_user, api_token):
    mentor = make_user("mentor")
    person_id = make_person(app)
    leader_token = api_token(make_user("leader"))
    mentor_token = api_token(mentor)
    assert client.get(f"/api/v1/people/{person_id}", headers=bearer(mentor_token)).status_code == 404
    made = client.post(
        f"/api/v1/people/{person_id}/assignments",
        json={"user_id": mentor.id, "programme": "mentoring"},
        headers=bearer(leader_token),
    )
    assert made.status_code == 201
    assert client.get(f"/api/v1/people/{person_id}", headers=bearer(mentor_token)).status_code == 200
    refused = client.post(
        f"/api/v1/people/{person_id}/assignments",
        json={"user_id": mentor.id, "programme": "mentoring"},
        headers=bearer(mentor_token),
    )
    assert refused.status_code == 403
    from datetime import date, timedelta

    yesterday = (date.today() - timedelta(days=1)).isoformat()
    ended = client.patch(
        f"/api/v1/people/{person_id}/assignments/{made.get_json()['id']}",
        json={"ends_on": yesterday},
        headers=bearer(leader_token),
    )
    assert ended.status_code == 200 and ended.get_json()["active"] is False
    assert client.get(f"/api/v1/people/{person_id}", headers=bearer(mentor_token)).status_code == 404


def test_every_view_and_change_is_audited_with_the_subject(app, client, make_user, api_token):
    from caseapp.models.audit import AuditEvent

    token = api_token(make_user("social_worker"))
    person_id = client.post("/api/v1/people", json=NEW, headers=bearer(token)).get_json()["id"]
    client.get(f"/api/v1/people/{person_id}", headers=bearer(token))
    client.patch(f"/api/v1/people/{person_id}", json={"phone": "1", "version": 1}, headers=bearer(token))
    client.get("/api/v1/people", headers=bearer(token))
    with app.app_context():
        events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq)).all()
        by_action = {e.action: e for e in events}
    assert {"person.create", "person.view", "person.update", "person.list"} <= set(by_action)
    for action in ("person.create", "person.view", "person.update"):
        assert by_action[action].subject_id == person_id
    assert "phone" in by_action["person.update"].detail and "5555" not in by_action["person.update"].detail


def test_demo_seed_is_deterministic(app, make_user):
    from caseapp.demo import seed

    make_user("social_worker")

    def names():
        with app.app_context():
            seed(people=12, seed=3, accounts=False)
            result = sorted(p.full_name for p in db.session.scalars(db.select(Person)))
            db.session.execute(db.delete(Person))
            db.session.commit()
            return result

    first, second = names(), names()
    assert first == second and len(first) == 12


def test_demo_seed_of_more_than_one_batch_completes(app, make_user):
    """Large seeds commit and drop each batch from the session; the batch boundary must not break."""
    from caseapp.demo import seed
    from caseapp.register.demo import BATCH

    make_user("social_worker")
    with app.app_context():
        report = seed(people=BATCH + 20, seed=5, accounts=False)
        assert f"seeded {BATCH + 20} residents" in report[0]
        assert db.session.scalar(db.select(db.func.count()).select_from(Person)) == BATCH + 20


def test_demo_seeded_residents_are_found_by_cpr_and_name(app, make_user):
    """The seeder computes the blind indexes itself (the key read once): they must be the register's own."""
    from caseapp.demo import seed
    from caseapp.register import services

    make_user("social_worker")
    leader = make_user("leader")
    with app.test_request_context():
        seed(people=6, seed=2, accounts=False)
        person = db.session.scalars(db.select(Person).order_by(Person.id)).first()
        user = db.session.get(User, leader.id)
        assert db.session.scalars(services.search(user, cpr=person.cpr)).all() == [person]
        assert person in db.session.scalars(services.search(user, name=person.first_name)).all()
