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


def _records(app, world, rel_id) -> tuple[str, str]:
    """A goal and a leisure job in the relationship, by its mentor (a)."""
    import uuid

    from caseapp.domains.mentoring import services
    from caseapp.domains.mentoring.inputs import EmployerInput, GoalInput, PlacementInput
    from caseapp.domains.mentoring.models import Relationship
    from caseapp.extensions import db
    from caseapp.models.users import User

    with app.app_context():
        actor = db.session.get(User, world["a"].id)
        rel = db.session.get(Relationship, uuid.UUID(rel_id))
        goal = services.add_goal(rel, GoalInput("cv", None, None, "planned"), actor)
        employer = services.save_employer(EmployerInput("Bageriet Hjørnet", None, None, None, None), actor)
        placement = services.add_placement(
            rel, PlacementInput(employer.id, local_today(), 6, "Far: 12 34 56 78", True, None), actor
        )
        db.session.commit()
        return str(goal.id), str(placement.id)


def test_another_mentor_gets_404_on_each_new_page_and_route(app, client, world, relate, api_token):
    rel_a, _ = relate(world, "a")
    goal_id, placement_id = _records(app, world, rel_a)
    token_b = api_token(world["b"])
    profile_a = world["profile_a"]
    for method, url, body in (
        ("get", f"/api/v1/mentoring/mentors/{profile_a}", None),
        ("patch", f"/api/v1/mentoring/mentors/{profile_a}", {"capacity": 9, "version": 1}),
        ("patch", f"/api/v1/mentoring/relationships/{rel_a}/goals/{goal_id}", {"status": "dropped", "version": 1}),
        ("patch", f"/api/v1/mentoring/placements/{placement_id}", {"became_permanent": True, "version": 1}),
        ("patch", f"/api/v1/mentoring/relationships/{rel_a}", {"purpose": "Andet", "version": 1}),
    ):
        answer = getattr(client, method)(url, headers=bearer(token_b), json=body)
        assert answer.status_code == 404, (method, url, answer.get_json())
    listed = client.get("/api/v1/mentoring/mentors", headers=bearer(token_b)).get_json()
    assert [m["id"] for m in listed["items"]] == [world["profile_b"]]
    pages = app.test_client()
    log_in(pages, world["b"])
    assert pages.get(f"/mentoring/mentors/{profile_a}").status_code == 404
    assert (
        pages.submit(
            f"/mentoring/mentors/{profile_a}", {"capacity": 9, "version": 1}, token_from="/mentoring/mentors/new"
        ).status_code
        == 404
    )
    assert "Mads Mentor" not in pages.get("/mentoring/mentors").get_data(as_text=True)
    token = pages.csrf_token("/mentoring/mentors/new")
    for prefix, fields in ((f"goal-{goal_id}", {"status": "dropped"}), ("plan", {"purpose": "Andet"})):
        data = {"form": prefix, f"{prefix}-csrf_token": token, f"{prefix}-version": "1"}
        data |= {f"{prefix}-{k}": v for k, v in fields.items()}
        assert pages.post(f"/mentoring/relationships/{rel_a}", data=data).status_code == 404
    # The mentor's own goal and job are unchanged.
    own = client.get(f"/api/v1/mentoring/relationships/{rel_a}/goals", headers=bearer(api_token(world["a"])))
    assert own.get_json()["items"][0]["status"] == "planned"


@pytest.mark.parametrize("role", ROLES_WITHOUT_MENTORING)
def test_no_other_role_reaches_the_new_pages_and_routes(app, client, world, relate, make_user, api_token, role):
    rel_id, _ = relate(world, "a")
    goal_id, placement_id = _records(app, world, rel_id)
    staff = make_user(role)
    token = api_token(staff)
    for method, url, body in (
        ("get", f"/api/v1/mentoring/mentors/{world['profile_a']}", None),
        ("patch", f"/api/v1/mentoring/mentors/{world['profile_a']}", {"capacity": 9, "version": 1}),
        ("patch", f"/api/v1/mentoring/relationships/{rel_id}/goals/{goal_id}", {"status": "dropped", "version": 1}),
        ("patch", f"/api/v1/mentoring/placements/{placement_id}", {"became_permanent": True, "version": 1}),
        ("get", "/api/v1/mentoring/guidance", None),
        ("post", "/api/v1/mentoring/guidance", {"programme_id": world["leisure"], "place": "X", "headcount": 3}),
    ):
        answer = getattr(client, method)(url, headers=bearer(token), json=body)
        assert answer.status_code in (403, 404), (role, method, url)
    log_in(client, staff)
    for url in (
        "/mentoring/mentors",
        "/mentoring/mentors/new",
        f"/mentoring/mentors/{world['profile_a']}",
        "/mentoring/guidance",
    ):
        assert client.get(url).status_code in (403, 404), (role, url)
