"""Query budgets of parent counselling's main list and case page: a fixed number of SQL statements and
one commit per request, the same however many cases or sessions they show."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from caseapp.domains.counselling import cases
from caseapp.domains.counselling.inputs import ActionInput, SessionInput
from caseapp.domains.counselling.models import CounsellingCase
from caseapp.extensions import db
from caseapp.models.users import User

# SQL statements per request (SQLite and PostgreSQL): the list pages its cases with their parents,
# children and latest follow-ups in a query each; the case page loads its sessions' attendees,
# amendments and actions in a query each.
# The case page also reads its plan tags, and its person header six: the parent's households (and
# a visibility probe per household), assignments with their staff, open cases and their open actions' count.
BUDGETS = {"list": 10, "case": 28}


def _more_sessions(app, staff, case_id: str, n: int) -> None:
    with app.app_context():
        case = db.session.get(CounsellingCase, uuid.UUID(case_id))
        for _ in range(n):
            cases.record_session(
                case,
                SessionInput(
                    held_on=date.today(),
                    duration_minutes=45,
                    kind="office",
                    attendees=(case.person_id,),
                    topics=("language",),
                    notes="Opfølgning på aftalerne.",
                    actions=(ActionInput(description="Læse højt hver aften", owner="parent", due_on=date.today()),),
                ),
                db.session.get(User, staff.id),
            )
        db.session.commit()


def _measure(client, count_queries, url: str):
    client.get(url)  # the first request warms what a worker keeps between requests (data keys)
    with count_queries() as log:
        response = client.get(url)
    assert response.status_code == 200
    return log


@pytest.mark.parametrize("page", ["list", "case"])
def test_counselling_pages_keep_their_budget(app, client, login_as, make_family, make_case, count_queries, page):
    worker = login_as("social_worker")
    first = make_case(worker, make_family(worker))
    url = "/counselling/" if page == "list" else f"/counselling/cases/{first}"
    few = _measure(client, count_queries, url)
    if page == "list":
        for n in range(4):
            make_case(worker, make_family(worker, first=f"Forælder{n}", child_first=f"Barn{n}"))
    else:
        _more_sessions(app, worker, first, 3)
    many = _measure(client, count_queries, url)
    few.within(BUDGETS[page], f"GET {url} with one case and session")
    many.within(len(few), f"GET {url} with more cases and sessions (as many as with one)")
    assert many.commits == 1
