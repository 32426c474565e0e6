"""Mentor profiles (page and API: who may, 409 on a stale save), goal updates, the mentoring plan, the end
of a leisure job on the relationship page, and open guidance contacts (page, API, the leader's totals)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from caseapp.clock import local_today
from caseapp.domains.mentoring import services
from caseapp.domains.mentoring.inputs import EmployerInput, GoalInput, PlacementInput
from caseapp.domains.mentoring.models import Goal, Mentor, Placement, Relationship
from caseapp.extensions import db
from caseapp.models.users import User
from tests.conftest import bearer, log_in
from tests.people.factories import make_person


def _post_form(client, url: str, prefix: str, fields: dict):
    """Post one of the relationship page's prefixed forms as the browser does (its CSRF token included)."""
    token = client.csrf_token("/mentoring/employers")
    data = {"form": prefix, f"{prefix}-csrf_token": token} | {f"{prefix}-{k}": v for k, v in fields.items()}
    return client.post(url, data=data)


def _goal(app, world, rel_id) -> str:
    with app.app_context():
        rel = db.session.get(Relationship, uuid.UUID(rel_id))
        goal = services.add_goal(
            rel, GoalInput("cv", "Et CV til detailhandlen", None, "planned"), db.session.get(User, world["a"].id)
        )
        db.session.commit()
        return str(goal.id)


def _placement(app, world, rel_id) -> str:
    with app.app_context():
        actor = db.session.get(User, world["a"].id)
        employer = services.save_employer(EmployerInput("Netto Bøgeparken", None, None, "Dagligvarer", None), actor)
        rel = db.session.get(Relationship, uuid.UUID(rel_id))
        placement = services.add_placement(
            rel,
            PlacementInput(employer.id, local_today() - timedelta(days=30), 8, "Mor: +45 22 33 44 55", True, None),
            actor,
        )
        db.session.commit()
        return str(placement.id)


# Mentor profiles


def test_a_leader_records_staff_and_volunteer_mentors_and_the_list_shows_load(app, client, world, make_user, relate):
    relate(world, "a")
    newcomer = make_user("mentor", name="Nadia Ny")
    volunteer = make_person(app, first_name="Vera", last_name="Frivillig", cpr="0202801234")
    log_in(client, world["leader"])
    page = client.get("/mentoring/mentors/new").get_data(as_text=True)
    assert "Nadia Ny" in page and "Mads Mentor" not in page  # offered: staff mentors without a profile
    made = client.submit(
        "/mentoring/mentors/new",
        {"user_id": newcomer.id, "capacity": 3, "languages": ["da", "so"], "focus_areas": "cv"},
    )
    assert made.status_code == 302, made.get_data(as_text=True)[:2000]
    made = client.submit("/mentoring/mentors/new", {"person_id": volunteer, "capacity": 2, "languages": "da"})
    assert made.status_code == 302
    with app.app_context():
        found = db.session.scalar(db.select(Mentor).where(Mentor.person_id == uuid.UUID(volunteer)))
        assert found.is_volunteer and found.capacity == 2
        nadia = db.session.scalar(db.select(Mentor).where(Mentor.user_id == newcomer.id))
        assert nadia.language_list == ["da", "so"]
    listed = client.get("/mentoring/mentors").get_data(as_text=True)
    assert "Vera Frivillig" in listed and "frivillig" in listed
    row = listed.split("Mads Mentor")[1].split("</tr>")[0]
    assert re.search(r"<td>1</td>\s*<td>2</td>", row), row  # Mads: 1 mentee of a capacity of 2
    # Both or neither: refused with the input kept.
    refused = client.submit("/mentoring/mentors/new", {"capacity": 4})
    assert refused.status_code == 422
    assert 'value="4"' in refused.get_data(as_text=True)


def test_a_staff_mentor_edits_their_own_profile_and_a_stale_save_is_refused(app, client, world, api_token):
    log_in(client, world["a"])
    url = f"/mentoring/mentors/{world['profile_a']}"
    page = client.get(url)
    assert page.status_code == 200
    with app.app_context():
        version = db.session.get(Mentor, uuid.UUID(world["profile_a"])).version
    paused = (local_today() + timedelta(days=10)).isoformat()
    saved = client.submit(
        url, {"capacity": 4, "languages": ["da", "en"], "paused_from": paused, "version": version}, token_from=url
    )
    assert saved.status_code == 302
    with app.app_context():
        mentor = db.session.get(Mentor, uuid.UUID(world["profile_a"]))
        assert (mentor.capacity, mentor.language_list, mentor.paused_from.isoformat()) == (4, ["da", "en"], paused)
    stale = client.submit(url, {"capacity": 9, "version": version}, token_from=url)
    assert stale.status_code == 409
    assert 'value="9"' in stale.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Mentor, uuid.UUID(world["profile_a"])).capacity == 4
    # The API: read, change on the version read, 409 on a stale one; identity does not change.
    token = api_token(world["a"])
    api_url = f"/api/v1/mentoring/mentors/{world['profile_a']}"
    read = client.get(api_url, headers=bearer(token)).get_json()
    assert read["capacity"] == 4 and read["load"] == 0
    changed = client.patch(api_url, headers=bearer(token), json={"capacity": 6, "version": read["version"]})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["capacity"] == 6 and changed.get_json()["languages"] == ["da", "en"]
    again = client.patch(api_url, headers=bearer(token), json={"capacity": 7, "version": read["version"]})
    assert again.status_code == 409
    moved = client.patch(
        api_url, headers=bearer(token), json={"user_id": world["b"].id, "version": changed.get_json()["version"]}
    )
    assert moved.status_code == 422
    # A staff mentor may not make another staff member's profile.
    other = client.post(
        "/api/v1/mentoring/mentors", headers=bearer(token), json={"user_id": world["leader"].id, "capacity": 2}
    )
    assert other.status_code in (403, 422)


def test_a_staff_mentor_records_a_volunteer_and_sees_only_their_own_and_that(app, client, world, api_token):
    token = api_token(world["a"])
    volunteer = make_person(app, first_name="Vagn", last_name="Frivillig", cpr="0303701234")
    made = client.post("/api/v1/mentoring/mentors", headers=bearer(token), json={"person_id": volunteer, "capacity": 2})
    assert made.status_code == 201, made.get_json()
    listed = client.get("/api/v1/mentoring/mentors", headers=bearer(token)).get_json()
    assert sorted(m["id"] for m in listed["items"]) == sorted([world["profile_a"], made.get_json()["id"]])
    leader = client.get("/api/v1/mentoring/mentors", headers=bearer(api_token(world["leader"]))).get_json()
    assert leader["total"] == 3


# Goals, plan, the end of a leisure job


def test_a_mentor_updates_a_goal_on_the_page_and_by_the_api(app, client, world, relate, api_token):
    rel_id, _ = relate(world, "a")
    goal_id = _goal(app, world, rel_id)
    log_in(client, world["a"])
    url = f"/mentoring/relationships/{rel_id}"
    target = (local_today() + timedelta(days=21)).isoformat()
    saved = _post_form(
        client,
        url,
        f"goal-{goal_id}",
        {"status": "in_progress", "target_on": target, "progress_note": "Første udkast skrevet", "version": 1},
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    page = client.get(url).get_data(as_text=True)
    assert "Første udkast skrevet" in page
    with app.app_context():
        goal = db.session.get(Goal, uuid.UUID(goal_id))
        assert (goal.status, goal.target_on.isoformat()) == ("in_progress", target)
        version = goal.version
    stale = _post_form(client, url, f"goal-{goal_id}", {"status": "achieved", "version": version - 1})
    assert stale.status_code == 409
    token = api_token(world["a"])
    api_url = f"/api/v1/mentoring/relationships/{rel_id}/goals/{goal_id}"
    done = client.patch(
        api_url, headers=bearer(token), json={"status": "achieved", "progress_note": "Sendt", "version": version}
    )
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert body["status"] == "achieved" and body["target_on"] == target
    assert body["progress"].splitlines()[0].endswith("Første udkast skrevet")
    assert body["progress"].splitlines()[1].endswith("Sendt")
    assert (
        client.patch(api_url, headers=bearer(token), json={"status": "dropped", "version": version}).status_code == 409
    )
    bad = client.patch(api_url, headers=bearer(token), json={"status": "forgotten", "version": body["version"]})
    assert bad.status_code == 422


def test_the_plan_is_changed_on_the_page_and_the_api_keeps_what_it_is_not_sent(app, client, world, relate, api_token):
    rel_id, _ = relate(world, "a")
    log_in(client, world["a"])
    url = f"/mentoring/relationships/{rel_id}"
    with app.app_context():
        version = db.session.get(Relationship, uuid.UUID(rel_id)).version
    saved = _post_form(
        client,
        url,
        "plan",
        {"purpose": "Fast job i lager", "mentor_tasks": "Øve samtaler", "contact_every_days": 7, "version": version},
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    page = client.get(url).get_data(as_text=True)
    assert "Fast job i lager" in page and "Øve samtaler" in page
    refused = _post_form(client, url, "plan", {"purpose": "Nyt", "contact_every_days": 0, "version": version + 1})
    assert refused.status_code == 422 and "Nyt" in refused.get_data(as_text=True)
    stale = _post_form(client, url, "plan", {"purpose": "Gammelt", "version": version})
    assert stale.status_code == 409
    token = api_token(world["a"])
    api_url = f"/api/v1/mentoring/relationships/{rel_id}"
    current = client.get(api_url, headers=bearer(token)).get_json()
    patched = client.patch(
        api_url, headers=bearer(token), json={"contact_every_days": 10, "version": current["version"]}
    )
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["purpose"] == "Fast job i lager" and patched.get_json()["contact_every_days"] == 10


def test_a_leisure_job_is_ended_on_the_relationship_page(app, client, world, relate):
    rel_id, _ = relate(world, "a", programme="leisure", first_name="Ali", cpr="0101125234")
    placement_id = _placement(app, world, rel_id)
    log_in(client, world["a"])
    url = f"/mentoring/relationships/{rel_id}"
    ended = local_today().isoformat()
    refused = _post_form(client, url, f"placement-{placement_id}", {"ended_on": ended, "version": 1})
    assert refused.status_code == 422  # an end needs its reason
    saved = _post_form(
        client,
        url,
        f"placement-{placement_id}",
        {"ended_on": ended, "end_reason": "season_ended", "bridged_to_job": "y", "version": 1},
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    with app.app_context():
        placement = db.session.get(Placement, uuid.UUID(placement_id))
        assert (placement.ended_on.isoformat(), placement.end_reason) == (ended, "season_ended")
        assert placement.bridged_to_job and not placement.became_permanent
    page = client.get(url).get_data(as_text=True)
    assert "brobygget" in page.casefold() or "ordinært job" in page
    stale = _post_form(client, url, f"placement-{placement_id}", {"became_permanent": "y", "version": 1})
    assert stale.status_code == 409


# Open guidance contacts


def test_guidance_contacts_are_recorded_listed_and_totalled_apart_from_mentees(app, client, world, api_token):
    token = api_token(world["a"])
    today = local_today().isoformat()
    made = client.post(
        "/api/v1/mentoring/guidance",
        headers=bearer(token),
        json={"programme_id": world["leisure"], "place": "Bøgeparkens Skole", "held_on": today, "headcount": 14},
    )
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["headcount"] == 14
    future = (local_today() + timedelta(days=2)).isoformat()
    refused = client.post(
        "/api/v1/mentoring/guidance",
        headers=bearer(token),
        json={"programme_id": world["leisure"], "place": "Klubben", "held_on": future, "headcount": 3},
    )
    assert refused.status_code == 422
    log_in(client, world["a"])
    saved = client.submit(
        "/mentoring/guidance",
        {"programme_id": world["leisure"], "place": "Ungdomsklubben", "held_on": today, "headcount": 9},
    )
    assert saved.status_code == 302
    kept = client.submit(
        "/mentoring/guidance", {"programme_id": world["leisure"], "place": "Biblioteket", "headcount": 0}
    )
    assert kept.status_code == 422 and "Biblioteket" in kept.get_data(as_text=True)
    listed = client.get("/api/v1/mentoring/guidance", headers=bearer(token)).get_json()
    assert listed["total"] == 2 and {t["place"] for t in listed["items"]} == {"Bøgeparkens Skole", "Ungdomsklubben"}
    page = client.get("/mentoring/guidance").get_data(as_text=True)
    assert "Ungdomsklubben" in page and "Bøgeparkens Skole" in page
    leader = app.test_client()
    log_in(leader, world["leader"])
    overview = leader.get("/mentoring/overview").get_data(as_text=True)
    totals = overview.split('class="guidance-totals"')[1].split("</tbody>")[0]
    assert "<td>Fritidsjob</td><td>2</td><td>23</td>" in totals


def test_the_guidance_programme_is_a_field_with_its_error_linked_and_its_choice_kept(client, world):
    """The programme select is the forms macro's select_field: label, error and summary link as every field."""
    log_in(client, world["a"])
    today = local_today().isoformat()
    html = client.submit(
        "/mentoring/guidance", {"programme_id": "x", "place": "Klubben", "held_on": today, "headcount": 2}
    ).get_data(as_text=True)
    select = re.search(r'<select id="programme_id"[^>]*>', html).group(0)
    assert 'class="form-select"' in select and 'aria-invalid="true"' in select
    assert 'aria-describedby="programme_id-error"' in select and 'id="programme_id-error"' in html
    assert 'href="#programme_id"' in html and '<label class="form-label" for="programme_id">' in html
    kept = client.submit(
        "/mentoring/guidance", {"programme_id": world["leisure"], "place": "Klubben", "held_on": today, "headcount": ""}
    )
    assert kept.status_code == 422
    assert re.search(rf'<option value="{world["leisure"]}" selected>', kept.get_data(as_text=True))


def test_every_patch_names_the_version_it_read(app, client, world, relate, api_token):
    rel_id, _ = relate(world, "a")
    goal_id = _goal(app, world, rel_id)
    token = api_token(world["a"])
    for url, body in (
        (f"/api/v1/mentoring/mentors/{world['profile_a']}", {"capacity": 1}),
        (f"/api/v1/mentoring/relationships/{rel_id}/goals/{goal_id}", {"status": "dropped"}),
        (f"/api/v1/mentoring/relationships/{rel_id}", {"purpose": "Uden version"}),
    ):
        answer = client.patch(url, headers=bearer(token), json=body)
        assert answer.status_code == 422 and "version" in answer.get_json()["error"]["fields"], url


def test_the_plan_is_tagged_on_the_page_and_a_patch_without_tags_keeps_them(app, client, world, relate, api_token):
    from caseapp.domains.mentoring.models import PLAN_RELATIONSHIP
    from caseapp.plan.tagging import tags_of
    from tests.plan.factories import make_period

    with app.app_context():
        period = make_period(themes=("Beskæftigelse",))
        db.session.commit()
        theme_id, subgoal_id = period.themes[0].id, period.themes[0].agreement.subgoals[0].id
    rel_id, _ = relate(world, "a")
    log_in(client, world["a"])
    url = f"/mentoring/relationships/{rel_id}"
    with app.app_context():
        version = db.session.get(Relationship, uuid.UUID(rel_id)).version
    saved = _post_form(
        client, url, "plan", {"purpose": "Job", "plan_theme": theme_id, "plan_subgoal": subgoal_id, "version": version}
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    assert "Beskæftigelse: delmål 1" in client.get(url).get_data(as_text=True)
    token = api_token(world["a"])
    api_url = f"/api/v1/mentoring/relationships/{rel_id}"
    current = client.get(api_url, headers=bearer(token)).get_json()
    assert [t["subgoal"]["id"] for t in current["plan_tags"]] == [subgoal_id]  # the API shows what the page saved
    patched = client.patch(api_url, headers=bearer(token), json={"purpose": "Fast job", "version": current["version"]})
    assert patched.status_code == 200, patched.get_json()
    assert [t["theme"]["id"] for t in patched.get_json()["plan_tags"]] == [theme_id]
    with app.app_context():
        assert [t.subgoal_id for t in tags_of(PLAN_RELATIONSHIP, rel_id)] == [subgoal_id]
