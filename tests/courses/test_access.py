"""Access to youth courses (DESIGN §2): a course leader sees their own courses and participants, leaders
read all, every other role gets 404 (pages and API)."""

from __future__ import annotations

import pytest

from tests.conftest import bearer, log_in

OTHER_ROLES = ("social_worker", "mentor", "ssp", "police", "coordinator", "analyst", "admin")


def test_a_course_leader_cannot_read_another_leaders_course_or_participants(
    app, client, make_user, make_course, make_youth, enrol, api_token
):
    mine, theirs = make_user("course_leader"), make_user("course_leader")
    course_id = make_course(theirs, title="Andres hold")
    people = make_youth(2, last_name="Hemmelig")
    enrol(theirs, course_id, people)
    log_in(client, mine)
    assert client.get(f"/courses/{course_id}").status_code == 404
    assert "Andres hold" not in client.get("/courses/").get_data(as_text=True)
    assert client.get(f"/people/{people[0]}").status_code == 404
    token = api_token(mine)
    for url in (
        f"/api/v1/courses/{course_id}",
        f"/api/v1/courses/{course_id}/enrolments",
        f"/api/v1/courses/{course_id}/outcomes",
    ):
        assert client.get(url, headers=bearer(token)).status_code == 404
    listed = client.get("/api/v1/courses", headers=bearer(token)).get_json()
    assert listed["total"] == 0
    # their own leader sees the participants, and the participant's person page through the assignment
    client.submit("/logout", {}, token_from="/")
    log_in(client, theirs)
    page = client.get(f"/courses/{course_id}").get_data(as_text=True)
    assert "Hemmelig0" in page
    assert client.get(f"/people/{people[0]}").status_code == 200


def test_leaders_read_every_course_but_do_not_run_it(client, make_user, make_course, make_youth, enrol):
    leader_of_course, leader = make_user("course_leader"), make_user("leader")
    course_id = make_course(leader_of_course)
    (eid,) = enrol(leader_of_course, course_id, make_youth(1))
    log_in(client, leader)
    assert client.get(f"/courses/{course_id}").status_code == 200
    assert client.get(f"/courses/{course_id}/edit").status_code == 403
    assert client.get(f"/courses/{course_id}/enrol").status_code == 403


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_nothing(client, make_user, make_course, role, api_token):
    course_id = make_course(make_user("course_leader"))
    other = make_user(role)
    log_in(client, other)
    assert client.get(f"/courses/{course_id}").status_code in (403, 404)
    assert client.get("/courses/").status_code == 403
    assert client.get(f"/api/v1/courses/{course_id}", headers=bearer(api_token(other))).status_code in (403, 404)
