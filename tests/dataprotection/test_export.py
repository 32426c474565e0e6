"""Subject access (art. 15): one action gives JSON and a readable Danish document with every domain's
records, consents, shares with recipients and the access log, and never a staff member's name."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from caseapp.domain import Domain, privacy_sources
from caseapp.extensions import db
from caseapp.privacy import DisplayNames, PersonalDataSource
from tests.conftest import bearer
from tests.dataprotection.conftest import CONCERN_TEXT, GIVER, PERSON, SESSION_NOTES

STAFF = (
    "Karoline Sagsbehandlersen",
    "karoline@kommune.dk",
    "Sigurd Ssp-Medarbejdersen",
    "sigurd@kommune.dk",
    "Mette Mentorsen",
    "mette@kommune.dk",
    "Lene Ledersen",
    "lene@kommune.dk",
)


def export_zip(client, person_id) -> tuple[dict, str]:
    response = client.submit(
        f"/data-protection/people/{person_id}/access-export",
        {"format": "zip"},
        token_from=f"/data-protection/people/{person_id}",
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    data = json.loads(archive.read(next(n for n in names if n.endswith(".json"))))
    html = archive.read(next(n for n in names if n.endswith(".html"))).decode()
    return data, html


@pytest.fixture
def extra_source(app):
    """A domain registered after the others: the export must include it without being told."""
    source = PersonalDataSource(
        domain="testdomain",
        names=DisplayNames(title="Test domain"),
        export=lambda pid: [{"kind": "test_record", "marker": f"TESTMARK-{pid}"}],
        erase=lambda pid: {},
    )
    parts = app.extensions["caseapp.domains"]
    app.extensions["caseapp.domains"] = (*parts, Domain(name="testdomain", package=__name__, privacy=source))
    yield source
    app.extensions["caseapp.domains"] = parts


def test_export_holds_every_domain_and_names_no_staff(app, client, login_as, everywhere, extra_source):
    leader = login_as("leader", name="Lene Ledersen", email="lene@kommune.dk")
    person_id = everywhere["ids"]["person"]
    client.get(f"/people/{person_id}")  # one more access for the log
    data, html = export_zip(client, person_id)
    domains = {d["domain"]: d["records"] for d in data["domains"]}
    with app.app_context():
        # Every registered source is in the export with exactly the records it holds.
        for source in privacy_sources():
            assert source.domain in domains, source.domain
            assert len(domains[source.domain]) == len(source.export(__import__("uuid").UUID(person_id)))
    assert {"people", "counselling", "concerns", "dataprotection", "testdomain"} <= set(domains)
    assert f"TESTMARK-{person_id}" in json.dumps(data)
    text = json.dumps(data, ensure_ascii=False)
    for value in (PERSON["first_name"], PERSON["cpr"][:6], PERSON["phone"], GIVER, SESSION_NOTES, CONCERN_TEXT):
        assert value in text, value
        assert value in html, value
    # Consents and shares with their recipients.
    consents = [r for r in domains["dataprotection"] if r["kind"] == "consent"]
    assert {c["purpose"] for c in consents} == {"share_ssp", "photos"}
    shares = [s for r in domains["concerns"] for s in r.get("shares", [])]
    assert shares and shares[0]["recipient"] == "police" and shares[0]["legal_basis"] == "consent"
    assert "Forebyggelsesbetjent" in html  # the recipient, named
    # The access log: dates and purposes, never who.
    log = data["access_log"]
    assert any(e["action"] == "person.view" for e in log) and all("at" in e and "purpose" in e for e in log)
    assert all(set(e) == {"at", "action", "what", "description", "purpose"} for e in log)
    for name in STAFF:
        assert name not in text and name not in html, name
    for staff in (everywhere["worker"], everywhere["ssp"], everywhere["mentor"], leader):
        assert f'"user_id": {staff.id}' not in text and f'"actor_id": {staff.id}' not in text
    # Danish and readable.
    assert "Oplysninger" in html and 'lang="da"' in html and "<style>" in html


def test_printable_document_and_json_and_api_give_the_same_export(app, client, login_as, api_token, everywhere):
    leader = login_as("leader")
    person_id = everywhere["ids"]["person"]
    page = client.submit(
        f"/data-protection/people/{person_id}/access-export",
        {"format": "html"},
        token_from=f"/data-protection/people/{person_id}",
    )
    assert page.status_code == 200 and CONCERN_TEXT in page.get_data(as_text=True)
    assert "style=" not in page.get_data(as_text=True) and "<style>" not in page.get_data(as_text=True)  # CSP
    as_json = client.submit(
        f"/data-protection/people/{person_id}/access-export",
        {"format": "json"},
        token_from=f"/data-protection/people/{person_id}",
    )
    assert as_json.mimetype == "application/json" and SESSION_NOTES in as_json.get_data(as_text=True)
    api = client.get(f"/api/v1/people/{person_id}/access-export", headers=bearer(api_token(leader))).get_json()
    assert {d["domain"] for d in api["domains"]} == {d["domain"] for d in json.loads(as_json.data)["domains"]}
    with app.app_context():
        from caseapp.models.audit import AuditEvent

        exports = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "person.access_export")).all()
        assert len(exports) == 3 and all(e.subject_id == person_id for e in exports)


@pytest.mark.parametrize("role", ["social_worker", "ssp", "mentor", "admin", "analyst"])
def test_only_leaders_export(app, client, login_as, api_token, everywhere, role):
    staff = login_as(role)
    person_id = everywhere["ids"]["person"]
    response = client.post(
        f"/data-protection/people/{person_id}/access-export",
        data={"format": "zip", "csrf_token": client.csrf_token("/")},
    )
    assert response.status_code == 403
    api = client.get(f"/api/v1/people/{person_id}/access-export", headers=bearer(api_token(staff)))
    assert api.status_code == 403
