"""Access as DESIGN §2: a mentor sees only their own mentees' relationships and notes, by page and API;
a leader reads all; no other role reads a mentoring record; a declined proposal opens nothing."""

from __future__ import annotations

import pytest

from caseapp.clock import local_today
from tests.conftest import bearer, log_in
from tests.mentoring.conftest import ROLES_WITHOUT_MENTORING

NOTE = "Hemmelig mødenote om jobsamtalen"


def _meeting(client, rel_id, token):
    return client.post(
        f"/api/v1/mentoring/relationships/{rel_id}/meetings",
        headers=bearer(token),
        json={"held_on": local_today().isoformat(), "duration_minutes": 45, "mode": "phone", "notes": NOTE},
    )


def test_a_mentor_never_reads_another_mentors_mentee(app, client, world, relate, api_token):
    rel_a, person_a = relate(world, "a")
    rel_b, _ = relate(world, "b", first_name="Omar")
    token_a, token_b = api_token(world["a"]), api_token(world["b"])
    assert client.get(f"/api/v1/mentoring/relationships/{rel_a}", headers=bearer(token_a)).status_code == 200
    meeting = _meeting(client, rel_a, token_a)
    assert meeting.status_code == 201, meeting.get_json()
    for url in (
        f"/api/v1/mentoring/relationships/{rel_a}",
        f"/api/v1/mentoring/relationships/{rel_a}/meetings",
        f"/api/v1/mentoring/relationships/{rel_a}/goals",
        f"/api/v1/mentoring/relationships/{rel_a}/outcomes",
        f"/api/v1/mentoring/relationships/{rel_a}/followups",
    ):
        assert client.get(url, headers=bearer(token_b)).status_code == 404, url
    listed = client.get("/api/v1/mentoring/relationships", headers=bearer(token_b)).get_json()
    assert [r["id"] for r in listed["items"]] == [rel_b]
    placements = client.get("/api/v1/mentoring/placements", headers=bearer(token_b)).get_json()
    assert placements["total"] == 0
    assert client.get(f"/api/v1/people/{person_a}", headers=bearer(token_b)).status_code == 404
    pages = app.test_client()
    log_in(pages, world["b"])
    assert pages.get(f"/mentoring/relationships/{rel_a}").status_code == 404
    assert NOTE not in pages.get("/mentoring/").get_data(as_text=True)
    assert NOTE not in pages.get("/").get_data(as_text=True)
    assert pages.get(f"/people/{person_a}").status_code == 404
    # Its own mentor reads the note; a leader reads it too.
    own = app.test_client()
    log_in(own, world["a"])
    assert NOTE in own.get(f"/mentoring/relationships/{rel_a}").get_data(as_text=True)
    leader_token = api_token(world["leader"])
    notes = client.get(f"/api/v1/mentoring/relationships/{rel_a}/meetings", headers=bearer(leader_token)).get_json()
    assert notes["items"][0]["notes"] == NOTE


@pytest.mark.parametrize("role", ROLES_WITHOUT_MENTORING)
def test_no_other_role_reads_a_mentoring_record(app, client, world, relate, make_user, api_token, role):
    rel_id, _ = relate(world, "a")
    staff = make_user(role)
    token = api_token(staff)
    for url in (
        "/api/v1/mentoring/relationships",
        f"/api/v1/mentoring/relationships/{rel_id}",
        f"/api/v1/mentoring/relationships/{rel_id}/meetings",
        "/api/v1/mentoring/placements",
        "/api/v1/mentoring/mentors",
    ):
        assert client.get(url, headers=bearer(token)).status_code in (403, 404), (role, url)
    log_in(client, staff)
    assert client.get(f"/mentoring/relationships/{rel_id}").status_code in (403, 404)
    assert client.get("/mentoring/").status_code in (403, 404)


def test_a_declined_proposal_gives_the_mentor_no_access(app, client, world, relate, api_token):
    rel_id, person_id = relate(world, "a", accept=False)
    token = api_token(world["a"])
    assert client.get(f"/api/v1/mentoring/relationships/{rel_id}", headers=bearer(token)).status_code == 404
    assert client.get(f"/api/v1/people/{person_id}", headers=bearer(token)).status_code == 404
    # An accepted one does open the person; ending it closes the person again.
    rel2, person2 = relate(world, "a", first_name="Sara")
    assert client.get(f"/api/v1/people/{person2}", headers=bearer(token)).status_code == 200
    version = client.get(f"/api/v1/mentoring/relationships/{rel2}", headers=bearer(token)).get_json()["version"]
    ended = client.post(
        f"/api/v1/mentoring/relationships/{rel2}/state",
        headers=bearer(token),
        json={"state": "ended", "reason": "moved", "version": version},
    )
    assert ended.status_code == 200, ended.get_json()
    assert client.get(f"/api/v1/people/{person2}", headers=bearer(token)).status_code == 404


def test_a_pending_proposal_does_not_open_the_person(app, client, world, relate, api_token):
    rel_id, person_id = relate(world, "a", accept=None)
    token = api_token(world["a"])
    assert (
        client.get(f"/api/v1/mentoring/relationships/{rel_id}", headers=bearer(token)).get_json()["state"] == "proposed"
    )
    assert client.get(f"/api/v1/people/{person_id}", headers=bearer(token)).status_code == 404
