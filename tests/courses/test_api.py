"""The courses API: a whole register in one request answering per mark (a bad mark loses no other mark),
enrolment with the waiting list, outcomes, and the OpenAPI document's truthfulness."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import bearer


def test_a_register_in_one_request_answers_per_mark_and_loses_no_good_mark(
    app, client, make_user, make_course, make_youth, enrol, api_token
):
    leader = make_user("course_leader")
    course_id = make_course(leader)
    ids = enrol(leader, course_id, make_youth(15))
    headers = bearer(api_token(leader))
    sessions = client.get(f"/api/v1/courses/{course_id}/sessions", headers=headers).get_json()["items"]
    sid = sessions[0]["id"]
    marks = [{"enrolment_id": eid, "status": "present"} for eid in ids]
    marks[7]["status"] = "sleeping"  # fails validation
    marks.append({"enrolment_id": "00000000-0000-0000-0000-000000000000", "status": "present"})
    response = client.post(
        f"/api/v1/courses/{course_id}/sessions/{sid}/attendance", json={"marks": marks}, headers=headers
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    results = response.get_json()["results"]
    assert [r["saved"] for r in results] == [True] * 7 + [False] + [True] * 7 + [False]
    assert "status" in results[7]["errors"]
    register = client.get(f"/api/v1/courses/{course_id}/sessions/{sid}/attendance", headers=headers).get_json()
    saved = {m["enrolment_id"]: m["status"] for m in register["marks"]}
    assert sum(1 for s in saved.values() if s == "present") == 14 and saved[ids[7]] is None


def test_api_enrolment_fills_places_then_the_waiting_list(
    client, make_user, make_course, make_youth, in_caseload, api_token
):
    leader = make_user("course_leader")
    course_id = make_course(leader, capacity=2)
    headers = bearer(api_token(leader))
    youth = make_youth(5)
    answers = [
        client.post(f"/api/v1/courses/{course_id}/enrolments", json={"person_id": p}, headers=headers)
        for p in in_caseload(leader, youth[:4])
    ]
    assert [a.status_code for a in answers] == [201] * 4
    assert [a.get_json()["status"] for a in answers] == ["enrolled", "enrolled", "waiting", "waiting"]
    assert [a.get_json()["waiting_position"] for a in answers] == [None, None, 1, 2]
    bad = client.post(f"/api/v1/courses/{course_id}/enrolments", json={"person_id": 5}, headers=headers)
    assert bad.status_code == 422
    # Someone outside the leader's caseload is not enrolled by id: as if they did not exist.
    unseen = client.post(f"/api/v1/courses/{course_id}/enrolments", json={"person_id": youth[4]}, headers=headers)
    assert unseen.status_code == 422 and "person_id" in unseen.get_json()["error"]["fields"]


def test_api_creates_courses_and_records_outcomes(client, make_user, make_youth, in_caseload, api_token):
    leader = make_user("course_leader")
    headers = bearer(api_token(leader))
    start = date.today() - timedelta(weeks=30)
    made = client.post(
        "/api/v1/courses",
        json={
            "title": "Klar til fritidsjob",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(weeks=6)).isoformat(),
            "capacity": 10,
            "partner_kind": "municipal",
            "partner_name": "Jobcentret",
            "follow_up_months": "3,6",
            "min_attendance_pct": 75,
        },
        headers=headers,
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    course_id = made.get_json()["id"]
    assert made.get_json()["follow_up_months"] == [3, 6]
    added = client.post(
        f"/api/v1/courses/{course_id}/sessions",
        json={"held_on": start.isoformat(), "starts_at": "16:00", "ends_at": "15:00"},
        headers=headers,
    )
    assert added.status_code == 422 and "ends_at" in added.get_json()["error"]["fields"]
    # a course that has ended takes no new participants
    (person,) = in_caseload(leader, make_youth(1))
    answer = client.post(f"/api/v1/courses/{course_id}/enrolments", json={"person_id": person}, headers=headers)
    assert answer.status_code == 422 and "ended" in answer.get_data(as_text=True)
    listed = client.get(f"/api/v1/courses/{course_id}/outcomes", headers=headers)
    assert listed.status_code == 200 and listed.get_json()["total"] == 0


def test_the_openapi_document_lists_the_courses_routes(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/courses",
        "/api/v1/courses/{course_id}",
        "/api/v1/courses/{course_id}/sessions",
        "/api/v1/courses/{course_id}/enrolments",
        "/api/v1/courses/{course_id}/sessions/{session_id}/attendance",
        "/api/v1/courses/{course_id}/outcomes",
    ):
        assert path in paths, sorted(paths)


def test_api_patch_changes_the_rule_and_recomputes(app, client, make_user, make_course, make_youth, enrol, api_token):
    leader = make_user("course_leader")
    course_id = make_course(leader, weeks=2, started_weeks_ago=1, min_pct=100)
    ids = enrol(leader, course_id, make_youth(2))
    headers = bearer(api_token(leader))
    sid = client.get(f"/api/v1/courses/{course_id}/sessions", headers=headers).get_json()["items"][0]["id"]
    saved = client.post(
        f"/api/v1/courses/{course_id}/sessions/{sid}/attendance",
        headers=headers,
        json={"marks": [{"enrolment_id": i, "status": "present", "reason": "Registreret bagefter"} for i in ids]},
    )
    assert all(r["saved"] for r in saved.get_json()["results"])
    course = client.get(f"/api/v1/courses/{course_id}", headers=headers).get_json()
    assert course["completed"] == 0
    patched = client.patch(
        f"/api/v1/courses/{course_id}", headers=headers, json={"min_attendance_pct": 50, "version": course["version"]}
    )
    assert patched.status_code == 200, patched.get_data(as_text=True)
    assert patched.get_json()["completed"] == 2
    stale = client.patch(
        f"/api/v1/courses/{course_id}", headers=headers, json={"title": "Nyt navn", "version": course["version"]}
    )
    assert stale.status_code == 409
