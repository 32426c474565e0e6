"""Query budgets of the register's pages and API routes: a fixed number of SQL statements and one commit
per request, the same for a page of 2 people as for a page of 12 (no statement per row), and every read
audited in that one commit."""

from __future__ import annotations

import pytest

from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from tests.conftest import bearer
from tests.people.factories import make_person

# SQL statements per request, on SQLite and PostgreSQL alike. The person API's six: the token with its
# owner, the person with the visibility probe, the key generation (the data key comes from the process
# cache), and the audit chain's lock, end and one INSERT for both events (the token use and the view).
BUDGETS = {
    "/people/": 7,
    "/people/{id}": 13,  # with each domain's section of the person page and its facts in the header
    "/api/v1/people/{id}": 6,
    "/api/v1/people?mine=1": 7,  # the count and the page
}


def _people(app, staff, n: int, start: int = 0) -> list[str]:
    return [make_person(app, first_name=f"Navn{start + i}", assign_to=[(staff, "counselling")]) for i in range(n)]


def _measure(client, count_queries, url: str, headers: dict | None = None):
    """The second of two requests: the first warms what a worker keeps between requests (data keys)."""
    client.get(url, headers=headers or {})
    with count_queries() as log:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return log


@pytest.mark.parametrize("route", sorted(BUDGETS))
def test_each_route_keeps_its_budget_whatever_the_page_holds(app, client, login_as, api_token, count_queries, route):
    worker = login_as("social_worker")
    headers = bearer(api_token(worker)) if route.startswith("/api/") else {}
    first = _people(app, worker, 2)
    url = route.format(id=first[0])
    few = _measure(client, count_queries, url, headers)
    _people(app, worker, 10, start=2)
    many = _measure(client, count_queries, url, headers)
    few.within(BUDGETS[route], f"GET {route} with 2 people")
    many.within(len(few), f"GET {route} with 12 people (as many as with 2)")
    assert many.commits == 1, f"GET {route}: {many.commits} commits, not one"


def test_a_read_is_audited_in_the_requests_one_commit(app, client, login_as, api_token, count_queries):
    worker = login_as("social_worker")
    token = api_token(worker)
    person_id = _people(app, worker, 1)[0]
    with count_queries() as log:
        assert client.get(f"/api/v1/people/{person_id}", headers=bearer(token)).status_code == 200
    assert log.commits == 1
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.subject_id == person_id)).all()
        uses = db.session.scalar(db.select(db.func.count()).where(AuditEvent.action == "token.use"))
    assert actions == ["person.view"] and uses == 1


def test_a_refused_api_call_still_audits_the_token_use(app, client, login_as, api_token):
    worker = login_as("social_worker")
    token = api_token(worker)
    stranger = make_person(app)  # not assigned to the worker: 404
    assert client.get(f"/api/v1/people/{stranger}", headers=bearer(token)).status_code == 404
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-1] == "token.use" and "person.view" not in actions


def test_the_cpr_search_keeps_its_budget_whatever_the_caseload(app, client, make_user, api_token, count_queries):
    """An exact CPR search: the token, the count and the page (each one blind-index look-up with a probe of
    the matching row's own assignments), the key generation, and the chain's lock, end and one INSERT."""
    worker = make_user("social_worker")
    headers = bearer(api_token(worker))
    make_person(app, first_name="Søgt", cpr="0505051234", assign_to=[(worker, "counselling")])

    def measure():
        client.post("/api/v1/people/search", json={"cpr": "050505-1234"}, headers=headers)
        with count_queries() as log:
            response = client.post("/api/v1/people/search", json={"cpr": "050505-1234"}, headers=headers)
        assert response.status_code == 200 and response.get_json()["total"] == 1
        return log

    few = measure()
    _people(app, worker, 10)
    many = measure()
    few.within(7, "POST /api/v1/people/search by CPR")
    many.within(len(few), "POST /api/v1/people/search by CPR with a larger caseload")
    assert many.commits == 1
