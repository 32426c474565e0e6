"""Parent counselling through the pages and the API: opening, the log with actions and amendments,
My work, attendance with its chart, referrals, parent groups, stale saves and invalid input."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from caseapp.domains.counselling.models import CounsellingCase, SessionAmendment
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.register.models import Assignment
from tests.conftest import bearer


def _case_id_from(response) -> str:
    match = re.search(r"/counselling/cases/([0-9a-f-]{36})", response.location)
    assert match, response.location
    return match.group(1)


def test_social_worker_opens_a_case_logs_a_visit_and_sees_it_due(client, login_as, make_family, app):
    worker = login_as("social_worker")
    family = make_family(worker)
    page = client.get(f"/counselling/cases/new?person_id={family['parent']}")
    assert page.status_code == 200
    assert "Yusuf Hansen" in page.get_data(as_text=True)  # the child is offered
    response = client.submit(
        f"/counselling/cases/new?person_id={family['parent']}",
        {
            "household_id": family["household"],
            "started_on": date.today().isoformat(),
            "focus_areas": ["language", "attendance"],
            "children": [family["child"]],
            "background": "Ønsker råd",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    case_id = _case_id_from(response)

    due = date.today() + timedelta(days=(6 - date.today().weekday()))
    response = client.submit(
        f"/counselling/cases/{case_id}/sessions/new",
        {
            "held_on": date.today().isoformat(),
            "duration_minutes": "75",
            "kind": "home_visit",
            "attendees": [family["parent"]],
            "topics": ["language"],
            "notes": "Hjemmebesøg: læste sammen.",
            "actions-0-description": "Aftale møde med skolen",
            "actions-0-owner": "counsellor",
            "actions-0-due_on": due.isoformat(),
            "next_follow_up": due.isoformat(),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]

    html = client.get(f"/counselling/cases/{case_id}").get_data(as_text=True)
    assert "Hjemmebesøg: læste sammen." in html and "Aftale møde med skolen" in html
    landing = client.get("/").get_data(as_text=True)
    assert "Aftale møde med skolen" in landing and "Amira Hansen" in landing

    with app.app_context():
        case = db.session.get(CounsellingCase, uuid.UUID(case_id))
        assert case.household_id == uuid.UUID(family["household"])
        assert [c.person_id for c in case.children] == [uuid.UUID(family["child"])]
        actions = [e.action for e in db.session.scalars(db.select(AuditEvent))]
        assert "counselling.case.create" in actions and "counselling.session.create" in actions
        assert "counselling.case.view" in actions


def test_opening_a_case_assigns_the_creator_to_its_people(app, make_user, make_family, api_token, client):
    worker = make_user("social_worker")
    family = make_family()  # nobody assigned yet
    with app.app_context():
        # The worker sees the parent through another programme only (a second role): not yet counselling.
        db.session.add(Assignment(user_id=worker.id, person_id=uuid.UUID(family["parent"]), programme="mentoring"))
        db.session.add(Assignment(user_id=worker.id, person_id=uuid.UUID(family["child"]), programme="mentoring"))
        from caseapp.models.users import User

        user = db.session.get(User, worker.id)
        user.roles = ["social_worker", "mentor"]
        db.session.commit()
    token = api_token(worker)
    response = client.post(
        "/api/v1/counselling/cases",
        headers=bearer(token),
        json={"person_id": family["parent"], "focus_areas": ["democracy"], "children": [family["child"]]},
    )
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        programmes = {
            (str(a.person_id), a.programme)
            for a in db.session.scalars(db.select(Assignment).where(Assignment.user_id == worker.id))
        }
    assert (family["parent"], "counselling") in programmes and (family["child"], "counselling") in programmes


def test_amendment_keeps_the_original_visible(client, login_as, make_family, make_case, app):
    worker = login_as("social_worker")
    family = make_family(worker)
    case_id = make_case(worker, family, notes="Mor siger at drengen kommer for sent.")
    with app.app_context():
        session_id = str(db.session.get(CounsellingCase, uuid.UUID(case_id)).sessions[0].id)
    response = client.submit(
        f"/counselling/cases/{case_id}/sessions/{session_id}/amend",
        {"text": "Rettelse: det var far, der sagde det.", "reason": "Forkert forælder"},
    )
    assert response.status_code == 302
    html = client.get(f"/counselling/cases/{case_id}").get_data(as_text=True)
    assert "Mor siger at drengen kommer for sent." in html
    assert "Rettelse: det var far, der sagde det." in html and "Forkert forælder" in html
    with app.app_context():
        amendment = db.session.scalar(db.select(SessionAmendment))
        assert amendment.created_by_id == worker.id and amendment.created_at is not None


def test_attendance_shows_in_the_chart_and_the_table(client, login_as, make_family, make_case):
    worker = login_as("social_worker")
    family = make_family(worker)
    case_id = make_case(worker, family)
    for start, percent, concern in (("2026-08-01", "95", ""), ("2026-09-01", "71.5", "y")):
        data = {
            "child_id": family["child"],
            "institution_kind": "school",
            "institution_name": "Skolen",
            "period_start": start,
            "period_end": start[:8] + "28",
            "attendance_percent": percent,
        }
        if concern:
            data["concern"] = concern
        response = client.submit(f"/counselling/cases/{case_id}/attendance/new", data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    client.submit(
        f"/counselling/cases/{case_id}/attendance/new",
        {
            "child_id": family["child"],
            "institution_kind": "school",
            "period_start": "2026-10-01",
            "period_end": "2026-10-31",
            "days_absent": "4",
        },
    )
    html = client.get(f"/counselling/cases/{case_id}").get_data(as_text=True)
    charts = [part.split("</svg>")[0] for part in html.split('class="pygal-chart caseapp-chart"')[1:]]
    assert len(charts) == 2  # percentages, and days absent
    percent = charts[0]
    assert percent.count('<g class="bar">') == 2 and "71,5 %" in percent and "95 %" in percent
    assert percent.count('class="rect reactive marked"') == 1 and "71,5 % !" in percent  # cause for concern
    assert "<style" not in html.split("<body")[1] and "<script>" not in html  # the policy forbids both inline
    assert 'role="img"' in percent and "Fremmøde for Yusuf Hansen" in percent
    table = html.split('id="attendance-heading"')[1]
    assert "71.5 %" in table and "95 %" in table


def test_referral_and_goal(client, login_as, make_family, make_case):
    worker = login_as("social_worker")
    family = make_family(worker)
    case_id = make_case(worker, family, session=False)
    response = client.submit(
        f"/counselling/cases/{case_id}/referrals/new",
        {"service": "ppr", "person_id": family["child"], "referred_on": date.today().isoformat(), "status": "sent"},
    )
    assert response.status_code == 302
    response = client.submit(
        f"/counselling/cases/{case_id}/goals",
        {"description": "Læse 10 min hver dag", "status": "agreed"},
        token_from=f"/counselling/cases/{case_id}",
    )
    assert response.status_code == 302
    html = client.get(f"/counselling/cases/{case_id}").get_data(as_text=True)
    assert "PPR" in html and "Læse 10 min hver dag" in html


def test_closing_needs_a_reason_and_stale_edit_keeps_input(client, login_as, make_family, make_case, app):
    worker = login_as("social_worker")
    family = make_family(worker)
    case_id = make_case(worker, family, session=False)
    base = {
        "version": "1",
        "started_on": date.today().isoformat(),
        "focus_areas": ["language"],
        "children": [family["child"]],
        "status": "closed",
    }
    response = client.submit(f"/counselling/cases/{case_id}/edit", base)
    assert response.status_code == 422
    assert "lukkes" in response.get_data(as_text=True)  # Danish field message on closing_reason

    with app.app_context():  # someone else saves in between
        case = db.session.get(CounsellingCase, uuid.UUID(case_id))
        case.status = "paused"
        db.session.commit()
    response = client.submit(
        f"/counselling/cases/{case_id}/edit", {**base, "closing_reason": "moved", "closing_note": "Flyttet til Aarhus"}
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Flyttet til Aarhus" in html and 'name="version" type="hidden" value="2"' in html
    with app.app_context():
        assert db.session.get(CounsellingCase, uuid.UUID(case_id)).status == "paused"


def test_api_flow_with_versions_and_validation(client, make_user, make_family, api_token):
    worker = make_user("social_worker")
    family = make_family(worker)
    headers = bearer(api_token(worker))
    bad = client.post("/api/v1/counselling/cases", headers=headers, json={"person_id": family["parent"]})
    assert bad.status_code == 422 and "focus_areas" in bad.get_json()["error"]["fields"]
    made = client.post(
        "/api/v1/counselling/cases",
        headers=headers,
        json={"person_id": family["parent"], "focus_areas": ["language"], "children": [family["child"]]},
    )
    assert made.status_code == 201
    case = made.get_json()
    url = f"/api/v1/counselling/cases/{case['id']}"

    session = client.post(
        f"{url}/sessions",
        headers=headers,
        json={
            "held_on": date.today().isoformat(),
            "duration_minutes": 30,
            "kind": "phone",
            "notes": "Kort opkald",
            "actions": [
                {"description": "Send brochure", "owner": "counsellor", "due_on": "2020-01-01"},
                {"description": "Uden dato", "owner": "parent"},
            ],
        },
    )
    assert session.status_code == 422
    assert set(session.get_json()["error"]["fields"]) == {"actions-1-due_on"}
    session = client.post(
        f"{url}/sessions",
        headers=headers,
        json={
            "held_on": date.today().isoformat(),
            "duration_minutes": 30,
            "kind": "phone",
            "notes": "Kort opkald",
            "actions": [{"description": "Send brochure", "owner": "counsellor", "due_on": "2020-01-01"}],
        },
    )
    assert session.status_code == 201, session.get_json()
    action = session.get_json()["actions"][0]

    amended = client.post(
        f"{url}/sessions/{session.get_json()['id']}/amendments", headers=headers, json={"text": "Langt opkald"}
    )
    assert amended.status_code == 201
    listing = client.get(f"{url}/sessions", headers=headers).get_json()
    assert listing["total"] == 1 and listing["items"][0]["notes"] == "Kort opkald"
    assert listing["items"][0]["amendments"][0]["text"] == "Langt opkald"

    assert (
        client.patch(
            f"{url}/actions/{action['id']}", headers=headers, json={"status": "done", "version": action["version"]}
        ).status_code
        == 200
    )
    stale = client.patch(
        f"{url}/actions/{action['id']}", headers=headers, json={"status": "open", "version": action["version"]}
    )
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "conflict"

    attendance = client.post(
        f"{url}/attendance",
        headers=headers,
        json={
            "child_id": family["child"],
            "institution_kind": "kindergarten",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
        },
    )
    assert attendance.status_code == 422
    assert "attendance_percent" in attendance.get_json()["error"]["fields"]
    attendance = client.post(
        f"{url}/attendance",
        headers=headers,
        json={
            "child_id": family["child"],
            "institution_kind": "kindergarten",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "days_absent": 3,
            "concern": True,
        },
    )
    assert attendance.status_code == 201 and attendance.get_json()["days_absent"] == 3
    referral = client.post(f"{url}/referrals", headers=headers, json={"service": "other", "referred_on": "2026-02-01"})
    assert referral.status_code == 422 and "service_other" in referral.get_json()["error"]["fields"]
    referral = client.post(
        f"{url}/referrals", headers=headers, json={"service": "health_visitor", "referred_on": "2026-02-01"}
    ).get_json()
    updated = client.patch(
        f"{url}/referrals/{referral['id']}",
        headers=headers,
        json={"status": "completed", "outcome": "Godt forløb", "version": referral["version"]},
    )
    assert updated.status_code == 200 and updated.get_json()["outcome"] == "Godt forløb"

    closed = client.patch(url, headers=headers, json={"status": "closed", "version": case["version"]})
    assert closed.status_code == 422 and "closing_reason" in closed.get_json()["error"]["fields"]
    closed = client.patch(
        url, headers=headers, json={"status": "closed", "closing_reason": "goals_met", "version": case["version"]}
    )
    assert closed.status_code == 200 and closed.get_json()["closed_on"] == date.today().isoformat()
    stale = client.patch(url, headers=headers, json={"status": "open", "version": case["version"]})
    assert stale.status_code == 409
    refused = client.post(
        f"{url}/sessions",
        headers=headers,
        json={"held_on": date.today().isoformat(), "duration_minutes": 30, "kind": "phone", "notes": "x"},
    )
    assert refused.status_code == 422 and "status" in refused.get_json()["error"]["fields"]


def test_parent_group_register_links_parents_to_their_cases(
    client, login_as, make_user, make_family, make_case, app, api_token
):
    worker = login_as("social_worker")
    other = make_user("social_worker")
    mine = make_case(worker, make_family(worker))
    theirs = make_case(other, make_family(other, first="Fatima", child_first="Ali"))
    response = client.submit(
        "/counselling/groups/new",
        {
            "title": "Forældrecafé om lektier",
            "held_on": date.today().isoformat(),
            "duration_minutes": "90",
            "topics": ["language"],
        },
    )
    assert response.status_code == 302
    group_url = response.location
    page = client.get(group_url).get_data(as_text=True)
    assert "Fatima" not in page  # only the worker's own cases are offered
    assert client.submit(group_url, {"case_id": mine}).status_code == 302
    assert client.submit(group_url, {"case_id": theirs}).status_code == 422  # not one of theirs

    group_id = group_url.rstrip("/").split("/")[-1]
    other_headers = bearer(api_token(other))
    registered = client.post(
        f"/api/v1/counselling/groups/{group_id}/register", headers=other_headers, json={"case_id": theirs}
    )
    assert registered.status_code == 201
    assert [r["case_id"] for r in registered.get_json()["register"]] == [theirs]
    assert registered.get_json()["other_participants"] == 1  # the first worker's parent, unnamed
    html = client.get(f"/counselling/cases/{mine}").get_data(as_text=True)
    assert "Forældrecafé om lektier" in html
