"""Query budgets of mentoring's main list, relationship page and API routes: a fixed number of SQL
statements and one commit per request, however many relationships or meetings they show."""

from __future__ import annotations

import uuid

import pytest

from caseapp.clock import local_today
from caseapp.domains.mentoring import services
from caseapp.domains.mentoring.inputs import MeetingInput
from caseapp.domains.mentoring.models import Relationship
from caseapp.extensions import db
from caseapp.models.users import User
from tests.conftest import bearer, log_in

BUDGETS = {"list": 16, "relationship": 30, "overview": 22, "api_list": 14, "api_meetings": 14}


def _meetings(app, world, rel_id, n):
    with app.app_context():
        rel = db.session.get(Relationship, uuid.UUID(rel_id))
        for _ in range(n):
            services.record_meeting(
                rel, MeetingInput(local_today(), 30, "phone", "Opfølgning"), db.session.get(User, world["a"].id)
            )
        db.session.commit()


def _measure(client, count_queries, url, headers=None):
    client.get(url, headers=headers)
    with count_queries() as log:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return log


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_mentoring_pages_keep_their_budget(app, client, world, relate, count_queries, api_token, page):
    first, _ = relate(world, "a")
    _meetings(app, world, first, 1)
    who = world["leader"] if page == "overview" else world["a"]
    headers = None
    if page.startswith("api"):
        headers = bearer(api_token(who))
    else:
        log_in(client, who)
    url = {
        "list": "/mentoring/",
        "relationship": f"/mentoring/relationships/{first}",
        "overview": "/mentoring/overview",
        "api_list": "/api/v1/mentoring/relationships",
        "api_meetings": f"/api/v1/mentoring/relationships/{first}/meetings",
    }[page]
    few = _measure(client, count_queries, url, headers)
    relate(world, "a", first_name="Omar")
    relate(world, "b", first_name="Sara")
    _meetings(app, world, first, 3)
    many = _measure(client, count_queries, url, headers)
    few.within(BUDGETS[page], f"GET {url} with one relationship")
    many.within(len(few), f"GET {url} with more relationships and meetings (as many as with one)")
    assert many.commits == 1
