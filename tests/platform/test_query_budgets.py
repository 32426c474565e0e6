"""Query budget of the landing page (every domain's panel on it) and of the data-protection pages:
a fixed number of SQL statements and one commit, however much the panels count."""

from __future__ import annotations

import pytest

from tests.people.factories import make_person

# SQL statements per request (SQLite and PostgreSQL): the landing page's panels count with one query each.
# The leader's landing page: 7 with mentoring's panel (proposals and follow-ups due counted in one query),
# 8 with reports' progress panel (its indicators; with indicators tied to targets, their one report
# statement and the funding period: a fixed number however much is counted).
BUDGETS = {
    ("social_worker", "/"): 9,
    ("leader", "/"): 8,
    ("leader", "/data-protection/"): 13,
    ("leader", "/data-protection/people/{id}"): 8,
}


def _measure(client, count_queries, url: str):
    client.get(url)  # the first request warms what a worker keeps between requests (data keys)
    with count_queries() as log:
        response = client.get(url)
    assert response.status_code == 200
    return log


@pytest.mark.parametrize(("role", "route"), sorted(BUDGETS))
def test_pages_keep_their_budget(app, client, login_as, count_queries, role, route):
    staff = login_as(role)
    first = make_person(app, assign_to=[(staff, "counselling")])
    url = route.format(id=first)
    few = _measure(client, count_queries, url)
    for n in range(6):
        make_person(app, first_name=f"Navn{n}", assign_to=[(staff, "counselling")])
    many = _measure(client, count_queries, url)
    few.within(BUDGETS[(role, route)], f"GET {url} as {role}")
    many.within(len(few), f"GET {url} as {role} with more people (as many as with one)")
    assert many.commits == 1
