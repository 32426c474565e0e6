"""The measures the domains declare for reporting: their rows match the records, and the register's
gender code is kept and validated (it feeds the gender breakdown)."""

from __future__ import annotations

from caseapp.domain import all_measures
from caseapp.extensions import db
from tests.concerns.factories import file, subject
from tests.conftest import bearer

COLUMNS = {"record_id", "person_id", "day", "tag_type", "tag_id", "programme", "outcome", "headcount"}
# Documented in caseapp.domain.Measure: an amount, an anonymous tally's breakdown, a follow-up's months.
OPTIONAL = {"quantity", "age_band", "gender", "resident", "months"}


def test_every_domain_declares_measures_with_the_agreed_columns(app):
    with app.app_context():
        measures = {m.code: m for m in all_measures()}
        assert {"counselling.case", "counselling.child", "counselling.session", "concerns.concern"} <= set(measures)
        assert {d.split(".")[0] for d in measures} >= {"counselling", "concerns", "mentoring", "courses", "community"}
        for measure in measures.values():
            columns = set(measure.rows().selected_columns.keys())
            assert COLUMNS <= columns <= COLUMNS | OPTIONAL, measure.code
            db.session.execute(measure.rows().limit(1)).all()  # runs on this database


def test_a_concern_is_one_row_with_its_category_and_severity(app, make_user):
    filer = make_user("mentor")
    person_id = subject(app, (filer, "mentoring"))
    concern_id = file(app, filer, person_id, category="gang", severity="acute")
    with app.app_context():
        measure = next(m for m in all_measures() if m.code == "concerns.concern")
        rows = [r for r in db.session.execute(measure.rows()).mappings() if str(r["record_id"]) == concern_id]
        assert len(rows) == 1
        row = rows[0]
        assert (str(row["person_id"]), row["programme"], row["outcome"], row["headcount"]) == (
            person_id,
            "gang",
            "acute",
            1,
        )
        assert str(row["tag_id"]) == concern_id and row["tag_type"] == "concern"


def test_gender_is_registered_shown_and_validated(client, make_user, api_token):
    token = api_token(make_user("social_worker"))
    made = client.post(
        "/api/v1/people", json={"first_name": "Aya", "last_name": "Nielsen", "gender": "female"}, headers=bearer(token)
    )
    assert made.status_code == 201, made.get_json()
    person = client.get(f"/api/v1/people/{made.get_json()['id']}", headers=bearer(token)).get_json()
    assert person["gender"] == "female"
    bad = client.post(
        "/api/v1/people", json={"first_name": "A", "last_name": "B", "gender": "x"}, headers=bearer(token)
    )
    assert bad.status_code == 422 and "gender" in bad.get_json()["error"]["fields"]
