"""Records of processing (art. 30): generated from the models, so no model with personal data is left out."""

from __future__ import annotations

from caseapp.crypto.fields import encrypted_columns
from caseapp.extensions import db
from tests.conftest import bearer


def personal_data_models() -> list[type]:
    found = []
    for mapper in db.Model.registry.mappers:
        columns = {c.key for c in mapper.column_attrs}
        if encrypted_columns(mapper.class_) or "person_id" in columns:
            found.append(mapper.class_)
    return found


def test_every_model_with_personal_data_declares_its_processing(app):
    with app.app_context():
        models = personal_data_models()
        assert len(models) > 10
        missing = [m.__name__ for m in models if getattr(m, "__processing__", None) is None]
        assert missing == [], f"declare __processing__ on {missing}"


def test_the_document_lists_every_model_with_personal_data(app, client, login_as, api_token):
    leader = login_as("leader")
    document = client.get("/data-protection/processing.json").get_json()
    tables = {r["table"] for r in document["records"]}
    with app.app_context():
        for model in personal_data_models():
            assert model.__tablename__ in tables, model.__tablename__
            record = next(r for r in document["records"] if r["table"] == model.__tablename__)
            assert record["purpose"] == model.__processing__.purpose
            assert record["data_categories"] and record["subject_categories"]
            assert record["encrypted_fields"] == encrypted_columns(model)
    counselling = [r for r in document["records"] if r["retention"] == "counselling_closed"]
    assert counselling and counselling[0]["retention_days"] == app.config["RETENTION"]["counselling_closed"]
    assert document["general_security_measures"] and document["retention_periods_days"]
    page = client.get("/data-protection/processing").get_data(as_text=True)
    assert "Fortegnelse over behandlinger" in page
    for record in document["records"]:
        assert record["table"] in page
    api = client.get("/api/v1/data-protection/processing", headers=bearer(api_token(leader))).get_json()
    assert {r["table"] for r in api["records"]} == tables


def test_only_leaders_read_the_records_of_processing(client, login_as):
    login_as("social_worker")
    assert client.get("/data-protection/processing").status_code == 403
    assert client.get("/data-protection/processing.json").status_code == 403
