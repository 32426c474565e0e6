"""Access exactly as DESIGN §2: social workers on the cases of parents they are assigned to, leaders read
only, every other role refused (403) on every counselling page and API route; records not visible are 404."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from caseapp.domains.counselling.models import CounsellingCase, GroupSession
from caseapp.extensions import db
from tests.conftest import bearer, log_in
from tests.counselling.conftest import ROLES_WITHOUT_COUNSELLING


def _records(app, case_id):
    with app.app_context():
        case = db.session.get(CounsellingCase, uuid.UUID(case_id))
        session = case.sessions[0]
        group = GroupSession(title="Forældrecafé", held_on=date.today(), duration_minutes=60)
        db.session.add(group)
        db.session.commit()
        return {"case": case_id, "session": str(session.id), "action": str(session.actions[0].id),
                "group": str(group.id)}


def _page_urls(ids):
    case = f"/counselling/cases/{ids['case']}"
    return ["/counselling/", "/counselling/groups", f"/counselling/groups/{ids['group']}", case, f"{case}/edit",
            f"{case}/sessions/new", f"{case}/sessions/{ids['session']}/amend", f"{case}/actions/{ids['action']}",
            f"{case}/attendance/new", f"{case}/referrals/new", "/counselling/cases/new", "/counselling/groups/new"]


def _api_reads(ids):
    case = f"/api/v1/counselling/cases/{ids['case']}"
    return ["/api/v1/counselling/cases", case, f"{case}/sessions", f"{case}/sessions/{ids['session']}/amendments",
            f"{case}/actions", f"{case}/attendance", f"{case}/referrals", "/api/v1/counselling/groups",
            f"/api/v1/counselling/groups/{ids['group']}"]


def _api_writes(ids):
    case = f"/api/v1/counselling/cases/{ids['case']}"
    return [("post", "/api/v1/counselling/cases"), ("patch", case), ("post", f"{case}/sessions"),
            ("post", f"{case}/sessions/{ids['session']}/amendments"), ("patch", f"{case}/actions/{ids['action']}"),
            ("post", f"{case}/goals"), ("post", f"{case}/attendance"), ("post", f"{case}/referrals"),
            ("post", "/api/v1/counselling/groups"), ("post", f"/api/v1/counselling/groups/{ids['group']}/register")]


@pytest.mark.parametrize("role", ROLES_WITHOUT_COUNSELLING)
def test_other_roles_cannot_read_any_counselling_record(role, app, client, make_user, make_family, make_case,
                                                        api_token):
    worker = make_user("social_worker")
    ids = _records(app, make_case(worker, make_family(worker)))
    outsider = make_user(role)
    log_in(client, outsider)
    for url in _page_urls(ids):
        response = client.get(url)
        assert response.status_code == 403, (role, url, response.status_code)
        assert "Amira" not in response.get_data(as_text=True)
    landing = client.get("/").get_data(as_text=True)
    assert "Amira" not in landing and "Ring til børnehaven" not in landing
    headers = bearer(api_token(outsider))
    for url in _api_reads(ids):
        response = client.get(url, headers=headers)
        assert response.status_code == 403, (role, url)
        assert response.get_json()["error"]["code"] == "forbidden"
    for method, url in _api_writes(ids):
        assert getattr(client, method)(url, headers=headers, json={}).status_code == 403, (role, method, url)


def test_unassigned_social_worker_gets_404(app, client, make_user, make_family, make_case, api_token):
    worker = make_user("social_worker")
    ids = _records(app, make_case(worker, make_family(worker)))
    stranger = make_user("social_worker")
    log_in(client, stranger)
    for url in _page_urls(ids):
        if url.endswith(("/counselling/", "/groups", "/new")) or "/groups/" in url:
            continue  # lists and blank forms are theirs too; the records below are not
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code)
        assert "Amira" not in response.get_data(as_text=True)
    assert "Amira" not in client.get("/counselling/").get_data(as_text=True)
    assert "Amira" not in client.get(f"/counselling/groups/{ids['group']}").get_data(as_text=True)
    headers = bearer(api_token(stranger))
    for url in _api_reads(ids):
        response = client.get(url, headers=headers)
        if "/cases/" in url:
            assert response.status_code == 404, url
    for method, url in _api_writes(ids):
        if "/cases/" in url:
            assert getattr(client, method)(url, headers=headers, json={"version": 1}).status_code == 404, url
    assert client.get("/api/v1/counselling/cases", headers=headers).get_json()["total"] == 0


def test_assignment_that_ended_or_is_for_another_programme_gives_no_access(app, client, make_user, make_family,
                                                                          make_case, api_token):
    from caseapp.register.models import Assignment

    worker = make_user("social_worker")
    family = make_family(worker)
    case_id = make_case(worker, family)
    with app.app_context():
        for assignment in db.session.scalars(db.select(Assignment).where(Assignment.user_id == worker.id)):
            assignment.programme = "mentoring"
        db.session.commit()
    headers = bearer(api_token(worker))
    assert client.get(f"/api/v1/counselling/cases/{case_id}", headers=headers).status_code == 404


def test_leader_reads_everything_and_changes_nothing(app, client, make_user, make_family, make_case, api_token):
    worker = make_user("social_worker")
    ids = _records(app, make_case(worker, make_family(worker)))
    leader = make_user("leader")
    log_in(client, leader)
    html = client.get(f"/counselling/cases/{ids['case']}").get_data(as_text=True)
    assert "Amira Hansen" in html and "Mor fortæller om sprogstimulering derhjemme." in html
    assert "Ret forløbet" not in html and "Notér en samtale" not in html
    assert "Amira Hansen" in client.get("/counselling/").get_data(as_text=True)
    for url in _page_urls(ids)[4:]:
        assert client.get(url).status_code == 403, url
    headers = bearer(api_token(leader))
    for url in _api_reads(ids):
        assert client.get(url, headers=headers).status_code == 200, url
    for method, url in _api_writes(ids):
        assert getattr(client, method)(url, headers=headers, json={"version": 1}).status_code == 403, url


def test_lists_are_scoped(app, client, make_user, make_family, make_case, api_token):
    first, second = make_user("social_worker"), make_user("social_worker")
    mine = make_case(first, make_family(first))
    theirs = make_case(second, make_family(second, first="Fatima", child_first="Ali"))
    body = client.get("/api/v1/counselling/cases", headers=bearer(api_token(first))).get_json()
    assert [c["id"] for c in body["items"]] == [mine] and body["total"] == 1
    body = client.get("/api/v1/counselling/cases", headers=bearer(api_token(second))).get_json()
    assert [c["id"] for c in body["items"]] == [theirs]
    body = client.get("/api/v1/counselling/cases", headers=bearer(api_token(make_user("leader")))).get_json()
    assert {c["id"] for c in body["items"]} == {mine, theirs}

    log_in(client, first)
    html = client.get("/counselling/").get_data(as_text=True)
    assert "Amira Hansen" in html and "Fatima" not in html
    landing = client.get("/").get_data(as_text=True)
    assert "Amira Hansen" in landing and "Fatima" not in landing


def test_child_in_two_cases_does_not_open_the_other_parents_log(app, client, make_user, make_family, make_case,
                                                               api_token):
    """A counsellor assigned to a child (through the mother's case) does not read the father's case."""
    from caseapp.domains.counselling import services
    from caseapp.models.users import User
    from tests.people.factories import make_person

    mothers_worker, fathers_worker = make_user("social_worker"), make_user("social_worker")
    family = make_family(mothers_worker)
    make_case(mothers_worker, family)
    father = make_person(app, first_name="Omar", last_name="Hansen", assign_to=[(fathers_worker, "counselling")])
    with app.app_context():
        from caseapp.register.models import Assignment

        db.session.add(Assignment(user_id=fathers_worker.id, person_id=uuid.UUID(family["child"]),
                                  programme="counselling"))
        db.session.commit()
        case = services.open_case({"person_id": father, "focus_areas": ["democracy"]},
                                  db.session.get(User, fathers_worker.id))
        services.record_session(case, {"held_on": date.today(), "duration_minutes": 20, "kind": "office",
                                       "notes": "Fars egne bekymringer"}, db.session.get(User, fathers_worker.id))
        db.session.commit()
        fathers_case = str(case.id)
    headers = bearer(api_token(mothers_worker))
    assert client.get(f"/api/v1/counselling/cases/{fathers_case}", headers=headers).status_code == 404
    listed = client.get("/api/v1/counselling/cases", headers=headers).get_json()
    assert fathers_case not in {c["id"] for c in listed["items"]}
