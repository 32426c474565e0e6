"""The reports' API: indicators, values per period and breakdown (suppressed), frozen reports; in the
OpenAPI document; a period or breakdown it does not know is refused with the field named."""

from __future__ import annotations

from caseapp.extensions import db
from caseapp.reports import services
from caseapp.reports.queries import Scope
from tests.conftest import bearer
from tests.reports import factories as f


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/reports/indicators", "/api/v1/reports/values", "/api/v1/reports/frozen"):
        assert path in paths, path
    params = {p["name"] for p in paths["/api/v1/reports/values"]["get"]["parameters"]}
    assert {"period", "breakdown", "theme"} <= params


def test_values_frozen_and_refusals(app, client, make_user, api_token):
    token = api_token(make_user("analyst"))
    f.plan(app)
    f.indicator(app, kind="records")
    f.indicator(app, name_da="Ukendt", kind="persons", measures=["nowhere.thing"])
    listed = client.get("/api/v1/reports/indicators", headers=bearer(token)).get_json()
    assert [i["available"] for i in listed["items"]] == [True, False]
    answer = client.get("/api/v1/reports/values?period=2026-H1&breakdown=gender", headers=bearer(token)).get_json()
    assert answer["period"] == {"starts_on": "2026-01-01", "ends_on": "2026-06-30"}
    assert answer["suppression"] == {"threshold": 5, "applied": True}
    assert answer["indicators"][0]["total"]["value"] == 0 and answer["indicators"][1]["available"] is False
    bad = client.get("/api/v1/reports/values?period=2026-H3", headers=bearer(token))
    assert bad.status_code == 422 and "period" in bad.get_json()["error"]["fields"]
    bad = client.get("/api/v1/reports/values?breakdown=cpr", headers=bearer(token))
    assert bad.status_code == 422 and "breakdown" in bad.get_json()["error"]["fields"]
    with app.test_request_context():
        frozen = services.freeze("Bestyrelsesmøde", Scope(*f.PERIOD), None)
        db.session.commit()
        frozen_id, digest = frozen.id, frozen.sha256
    listed = client.get("/api/v1/reports/frozen", headers=bearer(token)).get_json()
    assert listed["items"][0]["sha256"] == digest
    one = client.get(f"/api/v1/reports/frozen/{frozen_id}", headers=bearer(token)).get_json()
    assert one["content"]["title"] == "Bestyrelsesmøde"
    assert client.get("/api/v1/reports/frozen/999999", headers=bearer(token)).status_code == 404
