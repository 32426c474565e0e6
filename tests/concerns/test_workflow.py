"""Filing, the triage state machine, actions and the acute alert, by page and API."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from caseapp.domains.concerns.models import Concern, ConcernTransition, local_today
from caseapp.extensions import db
from caseapp.register.models import Person
from tests.concerns import factories as f
from tests.conftest import bearer, log_in

FORM = {
    "observed_on": "",
    "area": "Egeparken",
    "source": "resident",
    "category": "violence",
    "severity": "acute",
    "summary": "Slagsmål ved busstoppestedet",
    "description": "To drenge slog en tredje; en beboer ringede til mig",
}


@pytest.fixture
def mentor_and_mentee(app, make_user):
    mentor = make_user("mentor")
    return mentor, f.subject(app, (mentor, "mentoring"))


def test_mentor_files_by_page_and_ssp_is_alerted_at_once(app, client, make_user, mentor_and_mentee):
    mentor, person_id = mentor_and_mentee
    log_in(client, mentor)
    form = client.get(f"/concerns/new?person_id={person_id}").get_data(as_text=True)
    assert "Yusuf Jensen" in form and f'value="{person_id}" data-age=' in form and "checked>" in form
    response = client.submit(
        "/concerns/new", {**FORM, "observed_on": local_today().isoformat(), "person_id": person_id, "parents_know": "y"}
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Slagsmål ved busstoppestedet" in page and "Ny" in page
    assert "Akutte bekymringer" not in client.get("/").get_data(as_text=True)  # the mentor is not alerted
    client.submit("/logout", token_from="/")

    ssp = make_user("ssp")
    log_in(client, ssp)
    landing = client.get("/").get_data(as_text=True)
    assert "Akutte bekymringer, der venter på vurdering: 1" in landing and "Vold" in landing
    assert "Slagsmål" not in landing and "Yusuf" not in landing  # the card carries no personal data
    with app.app_context():
        concern = db.session.scalar(db.select(Concern))
        assert concern.parents_know and not concern.child_knows and concern.filed_by_id == mentor.id
    f.move(app, ssp, str(concern.id), "in_triage")
    assert "Akutte bekymringer" not in client.get("/").get_data(as_text=True)  # picked up


def test_filing_errors_come_back_with_messages_and_the_typing_kept(client, login_as):
    login_as("course_leader")
    response = client.submit(
        "/concerns/new", {**FORM, "observed_on": (local_today() + timedelta(days=2)).isoformat(), "summary": ""}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Skriv et kort resumé." in html
    assert "To drenge slog en tredje" in html  # the description is kept


def test_filing_about_someone_not_in_the_register_gives_the_filer_no_access_to_them(app, client, login_as):
    login_as("mentor")
    response = client.submit(
        "/concerns/new",
        {
            **FORM,
            "observed_on": local_today().isoformat(),
            "person_id": "",
            "new_first_name": "Omar",
            "new_last_name": "Nielsen",
            "new_birth_date": "2010-05-04",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        person = db.session.scalar(db.select(Person))
        assert person.full_name == "Omar Nielsen" and person.birth_year == 2010
        person_id = str(person.id)
    assert "Omar Nielsen" in client.get(response.location).get_data(as_text=True)
    assert client.get(f"/people/{person_id}").status_code == 404


def test_the_filer_cannot_file_about_someone_they_do_not_see(app, client, make_user, api_token):
    worker = make_user("social_worker")
    stranger = f.subject(app, (worker, "counselling"))
    token = api_token(make_user("mentor"))
    body = {**FORM, "observed_on": local_today().isoformat(), "person_id": stranger}
    response = client.post("/api/v1/concerns", json=body, headers=bearer(token))
    assert response.status_code == 422 and "person_id" in response.get_json()["error"]["fields"]


def test_api_filing_with_involved_people_and_validation(app, client, mentor_and_mentee, make_user, api_token):
    mentor, person_id = mentor_and_mentee
    friend = f.subject(app, (mentor, "mentoring"), first_name="Ali", cpr="0202095234")
    token = api_token(mentor)
    missing = client.post("/api/v1/concerns", json={"person_id": person_id}, headers=bearer(token))
    assert missing.status_code == 422
    assert {"observed_on", "summary", "description", "category"} <= set(missing.get_json()["error"]["fields"])
    body = {
        **FORM,
        "observed_on": local_today().isoformat(),
        "person_id": person_id,
        "involved_ids": [friend],
        "child_knows": True,
    }
    created = client.post("/api/v1/concerns", json=body, headers=bearer(token))
    assert created.status_code == 201
    read = client.get(f"/api/v1/concerns/{created.get_json()['id']}", headers=bearer(token)).get_json()
    assert read["involved"] == [{"id": friend, "name": "Ali Jensen"}] and read["child_knows"] is True
    assert read["state"] == "new" and read["severity"] == "acute"
    # SSP staff take the calls from schools: they file concerns too (issue 17).
    assert client.post("/api/v1/concerns", json=body, headers=bearer(api_token(make_user("ssp")))).status_code == 201
    assert client.post("/api/v1/concerns", json=body, headers=bearer(api_token(make_user("police")))).status_code == 403


# The state machine -----------------------------------------------------------------------------------


@pytest.fixture
def concern(app, make_user, mentor_and_mentee):
    mentor, person_id = mentor_and_mentee
    return f.file(app, mentor, person_id)


def _transition(client, token, concern_id, **body):
    return client.post(f"/api/v1/concerns/{concern_id}/transitions", json=body, headers=bearer(token))


def test_the_whole_path_new_to_closed_with_notes_and_time(app, client, make_user, api_token, concern):
    ssp = make_user("ssp")
    token = api_token(ssp)
    version = 1
    for state in ("in_triage", "in_ssp"):
        response = _transition(client, token, concern, to_state=state, note=f"Notat {state}", version=version)
        assert response.status_code == 201, response.get_json()
        version = response.get_json()["version"]
    owner = make_user("social_worker", name="Sofie Socialrådgiver")
    action = client.post(
        f"/api/v1/concerns/{concern}/actions",
        headers=bearer(token),
        json={"text": "Hjemmebesøg", "owner_id": owner.id, "due_on": (local_today() + timedelta(days=14)).isoformat()},
    )
    assert action.status_code == 201 and action.get_json()["owner"]["name"] == "Sofie Socialrådgiver"
    response = _transition(client, token, concern, to_state="action_agreed", note="Aftalt", version=version)
    assert response.status_code == 201
    version = response.get_json()["version"]
    no_outcome = _transition(client, token, concern, to_state="closed", note="Slut", version=version)
    assert no_outcome.status_code == 422 and "outcome" in no_outcome.get_json()["error"]["fields"]
    closed = _transition(client, token, concern, to_state="closed", note="Slut", outcome="resolved", version=version)
    assert closed.status_code == 201
    history = client.get(f"/api/v1/concerns/{concern}/transitions", headers=bearer(token)).get_json()
    assert [(t["from"], t["to"]) for t in history["items"]] == [
        ("new", "in_triage"),
        ("in_triage", "in_ssp"),
        ("in_ssp", "action_agreed"),
        ("action_agreed", "closed"),
    ]
    assert all(t["at"] and t["actor"] for t in history["items"]) and history["state"] == "closed"
    assert history["items"][-1]["outcome"] == "resolved"


@pytest.mark.parametrize("to_state", ["in_ssp", "action_agreed", "closed", "new", "nonsense"])
def test_invalid_transitions_are_refused_with_a_clear_message(to_state, app, client, make_user, api_token, concern):
    token = api_token(make_user("ssp"))
    response = _transition(client, token, concern, to_state=to_state, note="Forsøg", outcome="resolved", version=1)
    assert response.status_code == 422
    error = response.get_json()["error"]
    if to_state != "nonsense":
        assert "cannot move to" in error["message"] and "In triage" in error["message"]
    with app.app_context():
        assert db.session.get(Concern, uuid.UUID(concern)).state == "new"
        assert db.session.scalar(db.select(db.func.count()).select_from(ConcernTransition)) == 0


def test_a_transition_needs_a_note_and_action_agreed_needs_an_action(app, client, make_user, api_token, concern):
    ssp = make_user("ssp")
    token = api_token(ssp)
    no_note = _transition(client, token, concern, to_state="in_triage", note="  ", version=1)
    assert no_note.status_code == 422 and "note" in no_note.get_json()["error"]["fields"]
    f.move(app, ssp, concern, "in_triage")
    assert _transition(client, token, concern, to_state="in_ssp", note="SSP", version=2).status_code == 201
    no_action = _transition(client, token, concern, to_state="action_agreed", note="Aftalt", version=3)
    assert no_action.status_code == 422 and "action" in no_action.get_json()["error"]["message"]


def test_a_stale_transition_is_409_and_changes_nothing(app, client, make_user, api_token, concern):
    ssp = make_user("ssp")
    token = api_token(ssp)
    assert _transition(client, token, concern, to_state="in_triage", note="Først", version=1).status_code == 201
    stale = _transition(client, token, concern, to_state="closed", note="Anden", outcome="other", version=1)
    assert stale.status_code == 409
    missing = _transition(client, token, concern, to_state="in_ssp", note="Uden version")
    assert missing.status_code == 422 and "version" in missing.get_json()["error"]["fields"]


def test_invalid_transition_by_page_is_refused_and_the_note_kept(app, client, make_user, concern):
    log_in(client, make_user("ssp"))
    response = client.submit(
        f"/concerns/{concern}/transition",
        {"to_state": "closed", "note": "Mit lange notat", "outcome": "resolved", "version": "1"},
        token_from=f"/concerns/{concern}",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "kan ikke flyttes til" in html and "Mit lange notat" in html
    ok = client.submit(
        f"/concerns/{concern}/transition",
        {"to_state": "in_triage", "note": "Visiteres", "version": "1"},
        token_from=f"/concerns/{concern}",
    )
    assert ok.status_code == 302
    page = client.get(f"/concerns/{concern}").get_data(as_text=True)
    assert "Under vurdering" in page and "Visiteres" in page


def test_ssp_adds_and_completes_actions_by_page(app, client, make_user, concern):
    ssp = make_user("ssp", name="Sara SSP")
    make_user("social_worker", name="Sofie Socialrådgiver"), make_user("analyst", name="Anne Analytiker")
    f.move(app, ssp, concern, "in_triage", "in_ssp")
    log_in(client, ssp)
    bad = client.submit(
        f"/concerns/{concern}/actions",
        {
            "text": "Samtale med skolen",
            "owner_id": str(ssp.id),
            "due_on": (local_today() - timedelta(days=1)).isoformat(),
        },
        token_from=f"/concerns/{concern}",
    )
    assert bad.status_code == 422 and "Fristen kan ikke ligge i fortiden." in bad.get_data(as_text=True)
    assert "Samtale med skolen" in bad.get_data(as_text=True)
    # The owner list: staff who may own an action, by name, the one sent still chosen; no analyst.
    owners = bad.get_data(as_text=True).split('name="owner_id"')[1].split("</select>")[0]
    assert f'<option value="{ssp.id}" selected>Sara SSP</option>' in owners
    assert "Sofie Socialrådgiver" in owners and "Anne Analytiker" not in owners
    assert owners.index("Sara SSP") < owners.index("Sofie Socialrådgiver")
    good = client.submit(
        f"/concerns/{concern}/actions",
        {"text": "Samtale med skolen", "owner_id": str(ssp.id), "due_on": local_today().isoformat()},
        token_from=f"/concerns/{concern}",
    )
    assert good.status_code == 302
    with app.app_context():
        action = db.session.scalar(db.select(Concern)).actions[0]
        action_id, version = action.id, action.version
    done = client.submit(
        f"/concerns/{concern}/actions/{action_id}/done", {"version": str(version)}, token_from=f"/concerns/{concern}"
    )
    assert done.status_code == 302
    assert "Udført" in client.get(f"/concerns/{concern}").get_data(as_text=True)


def test_chronology_spans_the_persons_concerns(app, client, make_user, mentor_and_mentee, api_token):
    mentor, person_id = mentor_and_mentee
    ssp = make_user("ssp")
    first = f.file(app, mentor, person_id, summary="Første bekymring")
    f.file(app, mentor, person_id, summary="Anden bekymring", category="school_absence")
    f.move(app, ssp, first, "in_triage", "in_ssp", "action_agreed", "closed", outcome="resolved")
    f.share(app, ssp, first)
    log_in(client, ssp)
    html = client.get(f"/concerns/people/{person_id}/chronology").get_data(as_text=True)
    for text in ("Første bekymring", "Anden bekymring", f.NOTE, f.ACTION, "Videregivet til Forebyggelsesbetjent"):
        assert text in html, text
    body = client.get(f"/api/v1/concerns/chronology/{person_id}", headers=bearer(api_token(ssp))).get_json()
    kinds = [i["kind"] for i in body["items"]]
    assert kinds.count("filed") == 2 and kinds.count("transition") == 4 and "share" in kinds
    assert client.get(f"/concerns/people/{uuid.uuid4()}/chronology").status_code == 404


def test_reassessment_is_versioned(app, client, make_user, api_token, concern):
    token = api_token(make_user("ssp"))
    ok = client.patch(f"/api/v1/concerns/{concern}", json={"severity": "medium", "version": 1}, headers=bearer(token))
    assert ok.status_code == 200 and ok.get_json()["severity"] == "medium" and ok.get_json()["version"] == 2
    stale = client.patch(f"/api/v1/concerns/{concern}", json={"severity": "low", "version": 1}, headers=bearer(token))
    assert stale.status_code == 409
    bad = client.patch(
        f"/api/v1/concerns/{concern}", json={"category": "nonsense", "version": 2}, headers=bearer(token)
    )
    assert bad.status_code == 422 and "category" in bad.get_json()["error"]["fields"]


def test_lists_page_by_25_and_filter(app, client, make_user, mentor_and_mentee):
    mentor, person_id = mentor_and_mentee
    for i in range(27):
        f.file(app, mentor, person_id, summary=f"Bekymring {i}", severity="low" if i % 2 else "medium")
    log_in(client, make_user("leader"))
    first = client.get("/concerns/").get_data(as_text=True)
    assert first.count("/concerns/") >= 25 and "Side 1 af 2" in first
    low = client.get("/concerns/?severity=low").get_data(as_text=True)
    assert "Middel" not in low.split("<tbody>")[1]


def test_the_person_page_links_concerns_for_ssp_and_filers(app, client, make_user, mentor_and_mentee):
    mentor, person_id = mentor_and_mentee
    f.file(app, mentor, person_id, summary="Bekymring fra mentor")
    log_in(client, mentor)
    html = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert "Bekymringer (SSP)" in html and "indgivet af dig" in html
    assert f"/concerns/new?person_id={person_id}" in html and "/chronology" not in html
    client.submit("/logout", token_from="/")
    log_in(client, make_user("ssp"))
    html = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert f"/concerns/people/{person_id}/chronology" in html and "Kriminalitet" in html


def test_every_concern_route_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, methods in (
        ("/api/v1/concerns", {"get", "post"}),
        ("/api/v1/concerns/{concern_id}", {"get", "patch"}),
        ("/api/v1/concerns/{concern_id}/transitions", {"get", "post"}),
        ("/api/v1/concerns/{concern_id}/shares", {"get", "post"}),
        ("/api/v1/concerns/{concern_id}/actions", {"get", "post"}),
    ):
        assert methods <= set(paths[path]), path
        assert all(not op["summary"].startswith("api.") for op in paths[path].values())


def test_a_form_refused_for_its_own_input_keeps_the_read_of_what_it_shows_again(app, client, make_user):
    """The 422 page shows the concern again: that read is audited although nothing else is saved."""
    from caseapp.models.audit import AuditEvent

    ssp = make_user("ssp")
    filer = make_user("social_worker")
    concern_id = f.file(app, filer, f.subject(app, (filer, "counselling")))
    log_in(client, ssp)
    with app.app_context():
        before = db.session.scalar(
            db.select(db.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.actor_id == ssp.id, AuditEvent.object_id == concern_id)
        )
    edit = f"/concerns/{concern_id}/edit"
    response = client.submit(
        edit, {"category": "no-such-category", "severity": "high", "version": "1"}, token_from=edit
    )
    assert response.status_code == 422
    with app.app_context():
        events = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.actor_id == ssp.id, AuditEvent.object_id == concern_id)
        ).all()
        concern = db.session.get(Concern, uuid.UUID(concern_id))
        assert concern.category == "crime" and concern.version == 1  # nothing saved
    # the GET of the form and the 422 page both read the concern
    assert len(events) - before >= 2 and all(e.action.startswith("concern.") for e in events)
