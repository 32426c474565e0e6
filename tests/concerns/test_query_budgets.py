"""Query budgets of the concerns list and a concern's page (as SSP, who sees them all): a fixed number of
SQL statements and one commit per request, however many concerns or steps they show."""

from __future__ import annotations

import pytest

from tests.concerns.factories import file, move, subject

# SQL statements per request (SQLite and PostgreSQL), whatever the number of rows or steps shown.
# The concern page's person header adds the person's households and assignments with their staff.
BUDGETS = {"list": 8, "concern": 19}


def _measure(client, count_queries, url: str):
    client.get(url)  # the first request warms what a worker keeps between requests (data keys)
    with count_queries() as log:
        response = client.get(url)
    assert response.status_code == 200
    return log


@pytest.mark.parametrize("page", ["list", "concern"])
def test_concern_pages_keep_their_budget(app, client, login_as, make_user, count_queries, page):
    mentor = make_user("mentor")
    ssp = login_as("ssp")
    first = file(app, mentor, subject(app, (mentor, "mentoring")))
    url = "/concerns/" if page == "list" else f"/concerns/{first}"
    few = _measure(client, count_queries, url)
    if page == "list":
        for n in range(4):
            file(app, mentor, subject(app, (mentor, "mentoring"), first_name=f"Ung{n}"))
    else:
        move(app, ssp, first, "in_triage", "in_ssp", "action_agreed")
    many = _measure(client, count_queries, url)
    few.within(BUDGETS[page], f"GET {url} with one concern")
    many.within(len(few), f"GET {url} with more concerns and steps (as many as with one)")
    assert many.commits == 1
