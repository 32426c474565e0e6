"""Schemathesis over the whole OpenAPI document: every operation, a bounded number of generated
requests each, as a social worker (who creates) and as a leader (who reads widely). None may answer
5xx, and every answer must match the response schema the document declares for its status.

Generated ids find nothing, so half the cases name real records instead (a resident, a household,
a counselling case, a concern): their answers, 2xx included, are checked against the schemas too.
"""

from __future__ import annotations

from datetime import date

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from caseapp.domains.counselling import cases as counselling
from caseapp.domains.counselling.inputs import CaseOpening
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.register.models import Household, HouseholdMember
from tests.concerns import factories as concerns
from tests.conftest import bearer
from tests.people.factories import make_person

# Bounded, and the same cases every run (derandomized), so `make test` stays quick and repeatable.
bounded = settings(
    max_examples=10, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


def _world(app, worker) -> dict[str, str]:
    """Real records in the worker's caseload, by the name of the path parameter that names them."""
    parent = make_person(app, creator=worker, first_name="Amira", assign_to=[(worker, "counselling")])
    child = make_person(app, creator=worker, first_name="Yusuf", cpr="0101154123", assign_to=[(worker, "counselling")])
    make_person(app, creator=worker, first_name="Sofie", cpr=None, assign_to=[(worker, "counselling")])
    concern = concerns.file(app, worker, child)
    with app.app_context():
        import uuid

        household = Household(
            area="Bøgeparken",
            members=[
                HouseholdMember(person_id=uuid.UUID(parent), relation="parent"),
                HouseholdMember(person_id=uuid.UUID(child), relation="child"),
            ],
        )
        db.session.add(household)
        opening = CaseOpening(
            person_id=uuid.UUID(parent),
            started_on=date.today(),
            focus_areas=("language",),
            children=(uuid.UUID(child),),
            background="Ønsker hjælp til lektier.",
        )
        case = counselling.open_case(opening, db.session.get(User, worker.id))
        db.session.commit()
        return {"person_id": parent, "household_id": str(household.id), "case_id": str(case.id), "concern_id": concern}


def _fuzz(app, token: str, known: dict[str, str]) -> None:
    """Every operation in the document, each with its own bounded run; all failures reported together."""
    document = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in document.get_all_operations():
        operation = result.ok()

        def name_real_records(pair):
            case, real = pair
            if real and case.path_parameters:
                case.path_parameters.update({k: v for k, v in known.items() if k in case.path_parameters})
            return case

        @bounded
        @given(case=st.tuples(operation.as_strategy(), st.booleans()).map(name_real_records))
        def run(case):
            case.call_and_validate(headers=bearer(token), checks=[not_a_server_error, response_schema_conformance])

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - each operation's failure is collected, not the first only
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)


def test_as_a_social_worker(app, make_user, api_token):
    worker = make_user("social_worker")
    known = _world(app, worker)
    _fuzz(app, api_token(worker), known)


def test_as_a_leader(app, make_user, api_token):
    worker = make_user("social_worker")
    known = _world(app, worker)
    _fuzz(app, api_token(make_user("leader")), known)
