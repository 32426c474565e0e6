"""Reports are aggregates for everyone who may read them: an analyst or coordinator never reaches a
person or an unsuppressed small cell through any page, route or export; a leader may open the
unsuppressed figures, audited; and a report's totals are the same for every role allowed to read it."""

from __future__ import annotations

import json

import pytest

from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from tests.conftest import bearer, log_in
from tests.reports import factories as f
from tests.reports.test_values import SPECS

READERS = ("leader", "analyst", "coordinator")
PAGES = (
    "/reports/?period=2026-H1",
    "/reports/?period=2026-H1&breakdown=gender",
    "/reports/?period=2026-H1&breakdown=housing_section",
    "/reports/export.csv?period=2026-H1",
    "/reports/export.json?period=2026-H1",
    "/reports/export.html?period=2026-H1",
    "/reports/frozen",
    "/reports/indicators",
    "/reports/register",
    "/",
)


@pytest.fixture
def seeded(app, make_user):
    filer = make_user("mentor")
    plan = f.plan(app)
    rows = f.seed_concerns(app, filer, SPECS, plan)
    f.indicator(app, name_da="Unge med bekymringer", kind="persons", target_id=None)
    f.indicator(app, name_da="Bekymringshenvendelser", kind="records")
    return rows


@pytest.mark.parametrize("role", ["analyst", "coordinator"])
def test_no_person_and_no_unsuppressed_small_cell_reaches_an_analyst_or_coordinator(
    app, client, make_user, seeded, role
):
    staff = make_user(role)
    log_in(client, staff)
    person_ids = {s.person for s in seeded} | {s.person.replace("-", "") for s in seeded}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert "Beboersen" not in body and "Zenobia" not in body and not any(pid in body for pid in person_ids), url
        assert "/people/" not in body, url
    for url in ("/reports/?period=2026-H1&unsuppressed=1", "/reports/export.csv?period=2026-H1&unsuppressed=1"):
        assert client.get(url).status_code == 403, url
    data = json.loads(client.get("/reports/export.json?period=2026-H1").get_data())
    for item in data["indicators"]:
        for rows in item["current"]["breakdowns"].values():
            for row in rows:
                assert row["value"] is None or row["value"] >= 5 or row["value"] == 0 or row["status"] == "shown"
                if row["status"] != "shown":
                    assert row["value"] is None
    # Writing pages are a leader's.
    assert client.post("/reports/indicators/adopt").status_code in (400, 403)
    assert client.get("/reports/indicators/new").status_code == 403


def test_a_leader_opens_the_unsuppressed_figures_and_it_is_audited(app, client, login_as, seeded):
    login_as("leader")
    response = client.get("/reports/?period=2026-H1&breakdown=gender&unsuppressed=1")
    assert response.status_code == 200
    assert "revisionssporet" in response.get_data(as_text=True)
    with app.app_context():
        events = list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "reports.unsuppressed.read")))
    assert len(events) == 1 and json.loads(events[0].detail)["unsuppressed"] is True


def test_a_reports_totals_are_the_same_for_every_role_allowed_to_read_it(app, client, make_user, api_token, seeded):
    answers = {}
    for role in (*READERS, "social_worker", "mentor"):
        token = api_token(make_user(role))
        response = client.get("/api/v1/reports/values?period=2026-H1&breakdown=age_band", headers=bearer(token))
        assert response.status_code == 200, role
        answers[role] = response.get_json()["indicators"]
    first = answers["leader"]
    assert first[0]["total"]["value"] == len({s.person for s in seeded if f.PERIOD[0] <= s.day <= f.PERIOD[1]})
    for role, answer in answers.items():
        assert answer == first, role


def test_roles_without_reports_read_none(client, make_user, api_token):
    token = api_token(make_user("police"))
    assert client.get("/api/v1/reports/values", headers=bearer(token)).status_code == 403
    assert client.get("/api/v1/reports/indicators", headers=bearer(token)).status_code == 403
    assert client.get("/api/v1/reports/frozen", headers=bearer(token)).status_code == 403
