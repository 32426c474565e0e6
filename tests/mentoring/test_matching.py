"""Matching: suggestions ranked with their reasons, never a mentor at capacity; no assignment beyond
capacity without a leader's recorded override."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from caseapp.domains.mentoring import services
from caseapp.domains.mentoring.inputs import StateInput
from caseapp.domains.mentoring.models import Relationship
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.users import User
from caseapp.register.models import Person
from tests.conftest import bearer
from tests.people.factories import make_person


def _suggest(client, token, person_id, programme):
    answer = client.get(
        f"/api/v1/mentoring/suggestions?person_id={person_id}&programme={programme}", headers=bearer(token)
    )
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["items"]


def test_suggestions_rank_by_free_capacity_language_and_former_mentor(app, client, world, relate, api_token):
    token = api_token(world["leader"])
    pid = make_person(app, first_name="Yasmin", preferred_language="arabisk", cpr="0101901234")
    ranked = _suggest(client, token, pid, world["programme"])
    assert [s["mentor"]["id"] for s in ranked] == [world["profile_a"], world["profile_b"]]
    assert "language" in ranked[0]["reason_codes"] and "language" not in ranked[1]["reason_codes"]
    assert all(s["reasons"] for s in ranked)
    # A former mentor comes first, even with less free capacity.
    rel_id, former = relate(world, "b", first_name="Karim")
    with app.app_context():
        rel = db.session.get(Relationship, uuid.UUID(rel_id))
        services.change_state(rel, StateInput("ended", "goal_reached"), db.session.get(User, world["b"].id))
        db.session.commit()
    again = _suggest(client, token, former, world["programme"])
    assert again[0]["mentor"]["id"] == world["profile_b"] and again[0]["reason_codes"][0] == "former_mentor"


def test_a_mentor_at_capacity_is_never_suggested_nor_assigned_without_override(app, client, world, relate, api_token):
    relate(world, "a", first_name="En")
    relate(world, "a", first_name="To")  # capacity 2: full
    token = api_token(world["leader"])
    pid = make_person(app, first_name="Tre", cpr="0101901234")
    assert world["profile_a"] not in [s["mentor"]["id"] for s in _suggest(client, token, pid, world["programme"])]
    body = {"person_id": pid, "programme_id": world["programme"], "mentor_id": world["profile_a"]}
    refused = client.post("/api/v1/mentoring/relationships", headers=bearer(token), json=body)
    assert refused.status_code == 422 and "mentor_id" in refused.get_json()["error"]["fields"]
    missing_reason = client.post(
        "/api/v1/mentoring/relationships", headers=bearer(token), json=body | {"capacity_override": True}
    )
    assert missing_reason.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Relationship)) == 2
    forced = client.post(
        "/api/v1/mentoring/relationships",
        headers=bearer(token),
        json=body | {"capacity_override": True, "override_reason": "Akut behov"},
    )
    assert forced.status_code == 201, forced.get_json()
    rel_id = forced.get_json()["id"]
    assert forced.get_json()["capacity_override"] is True
    mentor_token = api_token(world["a"])
    accepted = client.post(
        f"/api/v1/mentoring/relationships/{rel_id}/answer", headers=bearer(mentor_token), json={"answer": "accept"}
    )
    assert accepted.status_code == 200 and accepted.get_json()["state"] == "active"
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "mentoring.capacity.override")
            )
            == 1
        )


def test_acceptance_itself_respects_capacity(app, world, relate):
    """Proposals reserve places: three proposals to a mentor of capacity 2 need an override for the third."""
    relate(world, "a", accept=None, first_name="En")
    relate(world, "a", accept=None, first_name="To")
    pid = make_person(app, first_name="Tre", cpr="0101901234")
    with app.app_context():
        person = db.session.get(Person, uuid.UUID(pid))
        programme = db.session.get(services.MentoringProgramme, world["programme"])
        assert world["profile_a"] not in [str(s.mentor.id) for s in services.suggestions(person, programme)]


def test_a_programme_without_acceptance_is_assigned_by_the_leader(app, client, world, relate, api_token):
    rel_id, person_id = relate(world, "a", accept=None, programme="leisure", cpr="0103114123")
    token = api_token(world["a"])
    assert (
        client.get(f"/api/v1/mentoring/relationships/{rel_id}", headers=bearer(token)).get_json()["state"] == "active"
    )
    assert client.get(f"/api/v1/people/{person_id}", headers=bearer(token)).status_code == 200


def test_the_match_page_proposes_from_the_suggestions(app, client, world, api_token):
    from tests.conftest import log_in

    pid = make_person(app, first_name="Nadia", cpr="0101901234")
    log_in(client, world["leader"])
    page = client.get(f"/mentoring/match?person_id={pid}&programme_id={world['programme']}")
    assert page.status_code == 200 and "Mads Mentor" in page.get_data(as_text=True)
    answer = client.submit(
        f"/mentoring/match?person_id={pid}&programme_id={world['programme']}",
        {
            "person_id": pid,
            "programme_id": world["programme"],
            "mentor_id": world["profile_a"],
            "contact_every_days": "14",
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    # No mentor chosen: the error summary's link lands on the suggestions' fieldset, which names its error.
    refused = client.submit(
        f"/mentoring/match?person_id={pid}&programme_id={world['programme']}",
        {"person_id": pid, "programme_id": world["programme"], "contact_every_days": "14"},
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'href="#mentor_id"' in html
    assert '<fieldset id="mentor_id" tabindex="-1"' in html and 'aria-describedby="mentor_id-error"' in html
    assert 'id="mentor_id-error"' in html


def test_the_proposed_mentor_is_told_that_a_proposal_waits(app, world, relate):
    from caseapp.platform.notifications.models import Notification

    rel_id, _pid = relate(world, "a", accept=None)
    with app.app_context():
        notes = db.session.scalars(select(Notification).where(Notification.user_id == world["a"].id)).all()
        assert [n.url for n in notes] == [f"/mentoring/relationships/{rel_id}"]
        assert "Aya" not in notes[0].text and "Jobmentor" in notes[0].text
        assert db.session.get(User, world["a"].id).unread_notifications == 1
