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

BUDGETS = {"list": 13, "relationship": 21, "overview": 20, "api_list": 9, "api_meetings": 12}


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


NEW_BUDGETS = {
    "mentors": 10,
    "mentor": 6,
    "mentor_new": 7,  # the volunteers offered and those with a profile; their list audited (lock, end, INSERT)
    "guidance": 8,
    "relationship_with_goals_and_jobs": 21,
    "api_mentors": 10,
    "api_mentor": 6,
    "api_guidance": 7,
}


def _grow(app, world, rel_id, n):
    """n more goals, leisure jobs, volunteer mentors and guidance tallies."""
    from caseapp.domains.mentoring.inputs import EmployerInput, GoalInput, MentorInput, PlacementInput, TallyInput
    from tests.people.factories import make_person

    volunteers = [make_person(app, first_name=f"Frivillig{i}", cpr=f"01018{i}1234") for i in range(n)]
    with app.app_context():
        actor = db.session.get(User, world["a"].id)
        leader = db.session.get(User, world["leader"].id)
        rel = db.session.get(Relationship, uuid.UUID(rel_id))
        employer = services.save_employer(EmployerInput(f"Firma {uuid.uuid4().hex[:6]}", None, None, None, None), actor)
        for i, pid in enumerate(volunteers):
            services.add_goal(rel, GoalInput("cv", None, None, "planned"), actor)
            services.add_placement(rel, PlacementInput(employer.id, local_today(), 5, "Mor", True, None), actor)
            services.save_mentor(MentorInput(capacity=2, person_id=uuid.UUID(pid)), leader if i % 2 else actor)
            services.add_tally(TallyInput(world["leisure"], f"Skole {i}", local_today(), 10 + i), actor)
        db.session.commit()


@pytest.mark.parametrize("page", sorted(NEW_BUDGETS))
def test_the_new_pages_and_routes_keep_their_budget(app, client, world, relate, count_queries, api_token, page):
    """Mentor profiles, open guidance, and the relationship page's goal and job forms: as many statements
    with many goals, jobs, profiles and tallies as with one."""
    first, _ = relate(world, "a")
    _grow(app, world, first, 1)
    headers = None
    if page.startswith("api"):
        headers = bearer(api_token(world["a"]))
    else:
        log_in(client, world["a"])
    url = {
        "mentors": "/mentoring/mentors",
        "mentor": f"/mentoring/mentors/{world['profile_a']}",
        "mentor_new": "/mentoring/mentors/new",
        "guidance": "/mentoring/guidance",
        "relationship_with_goals_and_jobs": f"/mentoring/relationships/{first}",
        "api_mentors": "/api/v1/mentoring/mentors",
        "api_mentor": f"/api/v1/mentoring/mentors/{world['profile_a']}",
        "api_guidance": "/api/v1/mentoring/guidance",
    }[page]
    few = _measure(client, count_queries, url, headers)
    relate(world, "a", first_name="Omar")
    _grow(app, world, first, 3)
    many = _measure(client, count_queries, url, headers)
    few.within(NEW_BUDGETS[page], f"GET {url} with one of each")
    many.within(len(few), f"GET {url} with more goals, jobs, profiles and tallies (as many as with one)")
    assert many.commits == 1
