"""Outcomes create their follow-ups at the programme's intervals; a follow-up is due from its date, never
before; recording it answers whether the mentee is still there. Meetings: amendments, plan behind."""

from __future__ import annotations

import uuid
from datetime import timedelta

from caseapp.clock import local_today
from caseapp.domains.mentoring import queries, services
from caseapp.domains.mentoring.inputs import AmendmentInput, MeetingInput
from caseapp.domains.mentoring.models import Relationship
from caseapp.domains.mentoring.services import add_months
from caseapp.extensions import db
from caseapp.models.users import User
from tests.conftest import bearer, log_in


def _outcome(client, token, rel_id, starts_on, kind="job_part_time"):
    answer = client.post(
        f"/api/v1/mentoring/relationships/{rel_id}/outcomes",
        headers=bearer(token),
        json={"kind": kind, "starts_on": starts_on.isoformat(), "verified_by": "payslip"},
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_an_outcome_creates_its_3_and_6_month_follow_ups_due_from_their_dates(app, client, world, relate, api_token):
    rel_id, _ = relate(world, "a")
    token = api_token(world["a"])
    today = local_today()
    outcome = _outcome(client, token, rel_id, today)
    months = {f["months"]: f for f in outcome["followups"]}
    assert sorted(months) == [3, 6]
    assert months[3]["due_on"] == add_months(today, 3).isoformat()
    assert months[6]["due_on"] == add_months(today, 6).isoformat()
    assert not any(f["due"] for f in outcome["followups"])
    # Recording one before its date is refused.
    early = client.post(
        f"/api/v1/mentoring/relationships/{rel_id}/followups/{months[3]['id']}",
        headers=bearer(token),
        json={"still_there": "yes", "result": "in_job", "version": months[3]["version"]},
    )
    assert early.status_code == 422
    # The date in the message's own language and Babel's format for it, not ISO.
    due = add_months(today, 3)
    assert early.get_json()["error"]["message"] == f"The follow-up is not due until {due:%b} {due.day}, {due.year}."
    with app.app_context():
        user = db.session.get(User, world["a"].id)
        assert queries.followups_due(user, today) == []
        assert len(queries.followups_due(user, add_months(today, 3))) == 1
        assert len(queries.followups_due(user, add_months(today, 3) - timedelta(days=1))) == 0


def test_a_follow_up_shows_as_due_when_its_date_comes_and_is_recorded(app, client, world, relate, api_token):
    rel_id, _ = relate(world, "a")
    token = api_token(world["a"])
    today = local_today()
    start = today - timedelta(days=200)
    with app.app_context():  # the relationship started long ago
        rel = db.session.get(Relationship, uuid.UUID(rel_id))
        rel.started_on = start
        db.session.commit()
    outcome = _outcome(client, token, rel_id, add_months(today, -3))
    due = {f["months"]: f for f in outcome["followups"]}
    assert due[3]["due"] is True and due[6]["due"] is False
    pages = app.test_client()
    log_in(pages, world["a"])
    assert "followups-due" in pages.get("/").get_data(as_text=True)
    recorded = client.post(
        f"/api/v1/mentoring/relationships/{rel_id}/followups/{due[3]['id']}",
        headers=bearer(token),
        json={"still_there": "yes", "result": "in_job", "what_changed": "Flere timer", "version": due[3]["version"]},
    )
    assert recorded.status_code == 200, recorded.get_json()
    assert recorded.get_json()["result"] == "in_job" and recorded.get_json()["due"] is False
    leader_view = client.get(
        f"/api/v1/mentoring/relationships/{rel_id}/followups", headers=bearer(api_token(world["leader"]))
    ).get_json()
    assert [f["recorded_on"] is not None for f in sorted(leader_view["items"], key=lambda f: f["months"])] == [
        True,
        False,
    ]


def test_meetings_are_corrected_by_amendments_and_a_plan_falls_behind(app, world, relate):
    rel_id, _ = relate(world, "a")
    today = local_today()
    with app.app_context():
        rel = db.session.get(Relationship, uuid.UUID(rel_id))
        rel.started_on = today - timedelta(days=60)  # every 14 days: four meetings expected
        user = db.session.get(User, world["a"].id)
        meeting = services.record_meeting(
            rel, MeetingInput(today - timedelta(days=50), 60, "in_person", "Første"), user
        )
        services.amend_meeting(meeting, AmendmentInput("Rettet", "Forkert dato nævnt"), user)
        db.session.commit()
        assert meeting.notes == "Første" and meeting.amendments[0].text == "Rettet"
        assert queries.behind_ids([rel], today) == {rel.id}
        for n in range(3):
            services.record_meeting(rel, MeetingInput(today - timedelta(days=n), 30, "phone", "Opfølgning"), user)
        assert queries.behind_ids([rel], today) == set()
        db.session.rollback()


def test_an_outcome_for_a_leisure_job_and_placement_rules(app, client, world, relate, api_token):
    rel_id, _ = relate(world, "a", accept=None, programme="leisure", cpr="0103114123")
    token = api_token(world["a"])
    employer = client.post(
        "/api/v1/mentoring/employers", headers=bearer(token), json={"company": "Netto Bøgeparken", "cvr": "12345678"}
    ).get_json()
    body = {"employer_id": employer["id"], "starts_on": local_today().isoformat(), "hours_per_week": 6}
    refused = client.post(f"/api/v1/mentoring/relationships/{rel_id}/placements", headers=bearer(token), json=body)
    assert refused.status_code == 422
    assert {"parent_contact", "parent_consent"} <= set(refused.get_json()["error"]["fields"])
    placed = client.post(
        f"/api/v1/mentoring/relationships/{rel_id}/placements",
        headers=bearer(token),
        json=body | {"parent_contact": "Mor 22334455", "parent_consent": True},
    )
    assert placed.status_code == 201, placed.get_json()
    assert client.get("/api/v1/mentoring/placements", headers=bearer(token)).get_json()["total"] == 1
    _outcome(client, token, rel_id, local_today(), kind="leisure_job")
