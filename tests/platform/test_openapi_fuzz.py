"""Schemathesis over the whole OpenAPI document: every operation, a bounded number of generated
requests each, as a social worker (who creates) and as a leader (who reads widely). None may answer
5xx, and every answer must match the response schema the document declares for its status."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.conftest import bearer
from tests.people.factories import make_person

# Bounded, and the same cases every run (derandomized), so `make test` stays quick and repeatable.
bounded = settings(max_examples=10, deadline=None, database=None, derandomize=True,
                   suppress_health_check=list(HealthCheck))


def _token_with_caseload(role, app, make_user, api_token) -> str:
    """A token for the role, with a few residents in a caseload it sees, so lists answer items too."""
    staff = make_user(role)
    worker = staff if role == "social_worker" else make_user("social_worker")
    for first in ("Amira", "Yusuf", "Sofie"):
        make_person(app, creator=worker, first_name=first, assign_to=[(worker, "counselling")])
    return api_token(staff)


@pytest.fixture
def worker_token(app, make_user, api_token):
    return _token_with_caseload("social_worker", app, make_user, api_token)


@pytest.fixture
def leader_token(app, make_user, api_token):
    return _token_with_caseload("leader", app, make_user, api_token)


def _fuzz(app, token: str) -> None:
    """Every operation in the document, each with its own bounded run; all failures reported together."""
    document = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in document.get_all_operations():
        operation = result.ok()

        @bounded
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(headers=bearer(token), checks=[not_a_server_error, response_schema_conformance])

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - each operation's failure is collected, not the first only
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)


def test_as_a_social_worker(app, worker_token):
    _fuzz(app, worker_token)


def test_as_a_leader(app, leader_token):
    _fuzz(app, leader_token)
