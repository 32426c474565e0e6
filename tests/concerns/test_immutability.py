"""Filed texts and transition notes are never edited in place, only amended; everything is encrypted."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from caseapp.domains.concerns.models import (
    Concern,
    ConcernAction,
    ConcernAmendment,
    ConcernShare,
    ConcernTransition,
    ImmutableRecord,
)
from caseapp.extensions import db
from tests.concerns import factories as f
from tests.conftest import bearer, log_in


@pytest.fixture
def concern(app, make_user):
    mentor, ssp = make_user("mentor"), make_user("ssp")
    person_id = f.subject(app, (mentor, "mentoring"))
    concern_id = f.file(app, mentor, person_id)
    f.move(app, ssp, concern_id, "in_triage", "in_ssp", "action_agreed")
    return {"mentor": mentor, "ssp": ssp, "person_id": person_id, "id": concern_id}


def stored(app, concern_id) -> Concern:
    return db.session.get(Concern, uuid.UUID(concern_id))


@pytest.mark.parametrize("field", ["description", "summary"])
def test_the_api_refuses_to_change_a_filed_text_in_place(field, app, client, api_token, concern):
    token = api_token(concern["ssp"])
    response = client.patch(
        f"/api/v1/concerns/{concern['id']}", json={field: "Omskrevet", "version": 4}, headers=bearer(token)
    )
    assert response.status_code == 422
    assert "amendment" in response.get_json()["error"]["message"] and field in response.get_json()["error"]["fields"]
    with app.app_context():
        row = stored(app, concern["id"])
        assert (row.summary, row.description, row.version) == (f.SUMMARY, f.DESCRIPTION, 4)


def test_the_reassessment_page_has_no_description_field(client, concern):
    log_in(client, concern["ssp"])
    html = client.get(f"/concerns/{concern['id']}/edit").get_data(as_text=True)
    assert 'name="description"' not in html and 'name="summary"' not in html
    response = client.submit(
        f"/concerns/{concern['id']}/edit",
        {
            "observed_on": "2026-01-05",
            "area": "Egeparken",
            "source": "school",
            "category": "crime",
            "severity": "high",
            "description": "Omskrevet",
            "version": "4",
        },
    )
    assert response.status_code == 302
    assert f.DESCRIPTION in client.get(f"/concerns/{concern['id']}").get_data(as_text=True)


@pytest.mark.parametrize(
    "model, attribute",
    [
        (Concern, "description"),
        (Concern, "summary"),
        (Concern, "person_id"),
        (ConcernTransition, "note"),
        (ConcernTransition, "to_state"),
        (ConcernShare, "parts_text"),
        (ConcernShare, "legal_basis"),
    ],
)
def test_no_code_path_rewrites_a_written_once_field(model, attribute, app, concern):
    if model is ConcernShare:
        f.share(app, concern["ssp"], concern["id"])
    with app.app_context():
        row = db.session.scalar(db.select(model))
        new_value = uuid.uuid4() if attribute == "person_id" else "rewritten"
        setattr(row, attribute, new_value)
        with pytest.raises(ImmutableRecord):
            db.session.flush()
        db.session.rollback()
        assert getattr(db.session.scalar(db.select(model)), attribute) != new_value


def test_an_amendment_keeps_the_original_visible_to_those_allowed(app, client, api_token, make_user, concern):
    mentor_token = api_token(concern["mentor"])
    amended = client.post(
        f"/api/v1/concerns/{concern['id']}/amendments",
        json={"field": "description", "text": "Rettet: det var en foldekniv"},
        headers=bearer(mentor_token),
    )
    assert amended.status_code == 201
    same = client.post(
        f"/api/v1/concerns/{concern['id']}/amendments",
        json={"field": "description", "text": "Rettet: det var en foldekniv"},
        headers=bearer(mentor_token),
    )
    assert same.status_code == 422
    body = client.get(f"/api/v1/concerns/{concern['id']}", headers=bearer(mentor_token)).get_json()
    assert body["description"] == "Rettet: det var en foldekniv"
    assert body["original"]["description"] == f.DESCRIPTION  # the filer sees the original too

    log_in(client, concern["ssp"])
    html = client.get(f"/concerns/{concern['id']}").get_data(as_text=True)
    assert "Rettet: det var en foldekniv" in html and f.DESCRIPTION in html and 'class="amended"' in html

    f.share(app, concern["ssp"], concern["id"], parts=("description",))
    police = make_user("police")
    police_body = client.get(f"/api/v1/concerns/{concern['id']}", headers=bearer(api_token(police))).get_json()
    assert police_body["description"] == "Rettet: det var en foldekniv"
    assert f.DESCRIPTION not in str(police_body)  # the recipient gets the text as it stands, no history

    with app.app_context():
        row = stored(app, concern["id"])
        assert row.description == f.DESCRIPTION and len(row.amendments) == 1


def test_transition_notes_are_amended_by_ssp_only(app, client, api_token, concern):
    with app.app_context():
        step_id = str(stored(app, concern["id"]).transitions[0].id)
    payload = {"field": "note", "transition_id": step_id, "text": "Rettet notat"}
    assert (
        client.post(
            f"/api/v1/concerns/{concern['id']}/amendments", json=payload, headers=bearer(api_token(concern["mentor"]))
        ).status_code
        == 403
    )
    ok = client.post(
        f"/api/v1/concerns/{concern['id']}/amendments", json=payload, headers=bearer(api_token(concern["ssp"]))
    )
    assert ok.status_code == 201
    history = client.get(
        f"/api/v1/concerns/{concern['id']}/transitions", headers=bearer(api_token(concern["ssp"]))
    ).get_json()["items"]
    assert history[0]["note"] == "Rettet notat" and history[0]["original_note"] == f.NOTE
    with app.app_context():
        assert stored(app, concern["id"]).transitions[0].note == f.NOTE


def test_another_filer_cannot_amend(app, client, api_token, make_user, concern):
    rival = make_user("mentor")
    response = client.post(
        f"/api/v1/concerns/{concern['id']}/amendments",
        json={"field": "description", "text": "Fra en anden"},
        headers=bearer(api_token(rival)),
    )
    assert response.status_code == 404


def test_the_amend_page_keeps_the_typing_on_error(client, concern):
    log_in(client, concern["mentor"])
    url = f"/concerns/{concern['id']}/amend?field=summary"
    assert f.SUMMARY in client.get(url).get_data(as_text=True)
    response = client.submit(url, {"field": "summary", "text": "x" * 301})
    assert response.status_code == 422 and "x" * 301 in response.get_data(as_text=True)


def test_no_text_about_the_person_is_stored_in_plaintext(app, concern):
    f.share(app, concern["ssp"], concern["id"], purpose="Formålet er hemmeligt")
    with app.app_context():
        row = stored(app, concern["id"])
        db.session.add(
            ConcernAmendment(concern_id=row.id, person_id=row.person_id, field="summary", text="Ændret sammenfatning")
        )
        db.session.commit()
    secrets = [f.SUMMARY, f.DESCRIPTION, f.NOTE, f.ACTION, "Formålet er hemmeligt", "Ændret sammenfatning"]
    with app.app_context():
        dumps = []
        for table, columns in (
            ("concern", "summary, description"),
            ("concern_transition", "note"),
            ("concern_action", "text"),
            ("concern_share", "purpose"),
            ("concern_amendment", "text"),
        ):
            for row in db.session.execute(text(f"SELECT {columns} FROM {table}")):  # noqa: S608
                dumps.extend(bytes(v) for v in row if v is not None)
        assert len(dumps) >= 6
        for secret in secrets:
            for form in (secret.encode(), secret.encode("utf-16-le"), secret.encode("latin-1", "ignore")):
                assert all(form not in blob for blob in dumps), secret
        # and they open again through the ORM, bound to their row
        assert db.session.scalar(db.select(ConcernAction)).text == f.ACTION


def test_the_amend_page_does_not_show_a_filer_the_transition_notes(app, client, concern):
    with app.app_context():
        step_id = stored(app, concern["id"]).transitions[0].id
    log_in(client, concern["mentor"])
    response = client.get(f"/concerns/{concern['id']}/amend?field=note&transition={step_id}")
    assert response.status_code == 404 and f.NOTE not in response.get_data(as_text=True)
