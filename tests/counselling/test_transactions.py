"""One transaction boundary: a refused save answers 422 (or 409) with the input kept and nothing written,
while what the page shows again is still logged as read; a successful request commits once."""

from __future__ import annotations

import uuid
from datetime import date

from caseapp.domains.counselling.models import CounsellingCase, CounsellingSession, GroupSession
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from tests.conftest import bearer


def _actions(app) -> list[str]:
    with app.app_context():
        return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq))]


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_a_session_the_verb_refuses_is_not_kept_and_the_input_is(app, client, login_as, make_family, make_case):
    worker = login_as("social_worker")
    case_id = make_case(worker, make_family(worker), session=False)
    response = client.submit(
        f"/counselling/cases/{case_id}/sessions/new",
        {
            "held_on": date.today().isoformat(),
            "duration_minutes": "45",
            "kind": "office",
            "attendees": [str(uuid.uuid4())],
            "notes": "Et notat, der ikke gemmes",
            "actions-0-description": "Ring til skolen",
            "actions-0-owner": "counsellor",
            "actions-0-due_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 422
    assert "Et notat, der ikke gemmes" in response.get_data(as_text=True)
    assert _count(app, CounsellingSession) == 0
    assert "counselling.session.create" not in _actions(app)


def test_a_refused_register_entry_is_not_kept_but_the_register_shown_is_logged(
    app, client, login_as, make_user, make_family, make_case
):
    login_as("social_worker")
    other = make_user("social_worker")
    theirs = make_case(other, make_family(other, first="Fatima", child_first="Ali"))
    with app.app_context():
        group = GroupSession(title="Forældrecafé", held_on=date.today(), duration_minutes=60)
        db.session.add(group)
        db.session.commit()
        url = f"/counselling/groups/{group.id}"
    before = _actions(app).count("counselling.group.view")
    assert client.submit(url, {"case_id": theirs}).status_code == 422  # refused by the verb
    assert client.submit(url, {"case_id": "nobody"}).status_code == 422  # refused by the form
    assert _actions(app).count("counselling.group.view") == before + 4  # two pages for the tokens, two answers
    assert "counselling.group.register" not in _actions(app)
    with app.app_context():
        assert db.session.get(GroupSession, group.id).register == []


def test_a_refused_api_write_leaves_nothing(app, client, make_user, make_family, make_case, api_token):
    worker = make_user("social_worker")
    family = make_family(worker)
    case_id = make_case(worker, family)
    headers = bearer(api_token(worker))
    stranger = str(uuid.uuid4())
    refused = client.post(
        "/api/v1/counselling/cases",
        headers=headers,
        json={"person_id": family["parent"], "focus_areas": ["language"], "children": [stranger]},
    )
    assert refused.status_code == 422 and "children" in refused.get_json()["error"]["fields"]
    assert _count(app, CounsellingCase) == 1
    refused = client.post(
        f"/api/v1/counselling/cases/{case_id}/attendance",
        headers=headers,
        json={
            "child_id": stranger,
            "institution_kind": "school",
            "period_start": "2026-09-01",
            "period_end": "2026-09-30",
            "days_absent": 2,
        },
    )
    assert refused.status_code == 422 and set(refused.get_json()["error"]["fields"]) == {"child_id"}
    assert "counselling.attendance.create" not in _actions(app)


def test_the_landing_panel_is_logged_by_the_request_not_by_itself(app, client, login_as, make_family, make_case):
    worker = login_as("social_worker")
    make_case(worker, make_family(worker))
    assert "Ring til børnehaven" in client.get("/").get_data(as_text=True)
    assert _actions(app).count("counselling.mywork.list") == 1
