"""The hot statements built once per process (the token and the session with their owner, the chain's end,
the key generation) take their values at each execution: requests of two users in turn, on one worker,
each see only their own people, and each use is audited with its own actor."""

from __future__ import annotations

from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from tests.conftest import Client, bearer, log_in
from tests.people.factories import make_person


def test_two_tokens_in_turn_each_find_their_own_owner(app, client, make_user, api_token):
    first, second = make_user("social_worker"), make_user("social_worker")
    tokens = {first.id: api_token(first), second.id: api_token(second)}
    people = {
        first.id: make_person(app, first_name="Ane", assign_to=[(first, "counselling")]),
        second.id: make_person(app, first_name="Bo", assign_to=[(second, "counselling")]),
    }
    for _round in range(2):
        for me, other in ((first, second), (second, first)):
            mine = client.get(f"/api/v1/people/{people[me.id]}", headers=bearer(tokens[me.id]))
            assert mine.status_code == 200 and mine.get_json()["id"] == people[me.id]
            assert client.get(f"/api/v1/people/{people[other.id]}", headers=bearer(tokens[me.id])).status_code == 404
    with app.app_context():
        views = db.session.execute(
            db.select(AuditEvent.actor_id, AuditEvent.subject_id).where(AuditEvent.action == "person.view")
        ).all()
        uses = db.session.scalars(db.select(AuditEvent.actor_id).where(AuditEvent.action == "token.use")).all()
    assert sorted(views) == sorted([(first.id, people[first.id]), (second.id, people[second.id])] * 2)
    assert sorted(uses) == sorted([first.id, second.id] * 4)


def test_two_sessions_in_turn_each_see_their_own_caseload(app, make_user):
    app.test_client_class = Client
    first, second = make_user("social_worker"), make_user("social_worker")
    clients = {first.id: app.test_client(), second.id: app.test_client()}
    log_in(clients[first.id], first)
    log_in(clients[second.id], second)
    make_person(app, first_name="Ane", assign_to=[(first, "counselling")])
    make_person(app, first_name="Bo", assign_to=[(second, "counselling")])
    for _round in range(2):
        ane = clients[first.id].get("/people/").get_data(as_text=True)
        bo = clients[second.id].get("/people/").get_data(as_text=True)
        assert "Ane" in ane and "Bo " not in ane
        assert "Bo" in bo and "Ane" not in bo


def test_the_chain_continues_across_requests_and_verifies(app, client, make_user, api_token):
    from caseapp.audit.chain import verify_chain

    staff = make_user("social_worker")
    token = api_token(staff)
    person = make_person(app, assign_to=[(staff, "counselling")])
    for _ in range(3):
        assert client.get(f"/api/v1/people/{person}", headers=bearer(token)).status_code == 200
    with app.app_context():
        seqs = db.session.scalars(db.select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
        checked, broken = verify_chain()
    assert seqs == list(range(1, len(seqs) + 1)) and checked == len(seqs) and broken is None
