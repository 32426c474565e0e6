"""Counselling cases tagged to the plan: chosen on the case forms and in the API, shown on the case page,
kept when a new funding period becomes current, removed with the case."""

from __future__ import annotations

import re
import uuid
from datetime import date

from caseapp.domains.counselling import services
from caseapp.extensions import db
from caseapp.plan.models import FundingPeriod
from caseapp.plan.services import make_current
from caseapp.plan.tagging import tags_of
from tests.conftest import bearer
from tests.plan.factories import make_period

CASE = "counselling_case"
EARLIER = {"starts_on": date(2015, 1, 1), "ends_on": date(2018, 12, 31)}


def _period_ids(app, **kwargs) -> dict:
    with app.app_context():
        period = make_period(**kwargs)
        db.session.commit()
        return {"period": period.id, "themes": [t.id for t in period.themes],
                "subgoals": [t.agreement.subgoals[0].id for t in period.themes], "goals": [g.id for g in period.goals]}


def _case_id(response) -> str:
    return re.search(r"/counselling/cases/([0-9a-f-]{36})", response.location).group(1)


def test_a_case_is_tagged_on_the_forms_and_keeps_its_tag_in_a_new_period(client, login_as, make_family, app):
    old = _period_ids(app, name="Helhedsplan 2015–18", themes=("Forebyggelse og forældreansvar", "Tryghed og trivsel"),
                      goals=("Større tryghed",), **EARLIER)
    worker = login_as("social_worker")
    family = make_family(worker)
    url = f"/counselling/cases/new?person_id={family['parent']}"
    form = client.get(url).get_data(as_text=True)
    assert "Forebyggelse og forældreansvar" in form and "Forebyggelse og forældreansvar: delmål 1" in form
    wrong = client.submit(url, {"started_on": date.today().isoformat(), "focus_areas": ["language"],
                                "plan_theme": old["themes"][1], "plan_subgoal": old["subgoals"][0]})
    assert wrong.status_code == 422
    assert "Delmålet hører ikke til delaftalen for det valgte indsatsområde." in wrong.get_data(as_text=True)
    response = client.submit(url, {"started_on": date.today().isoformat(), "focus_areas": ["language"],
                                   "plan_theme": old["themes"][0], "plan_subgoal": old["subgoals"][0],
                                   "plan_goal": old["goals"][0]})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    case_id = _case_id(response)
    page = client.get(f"/counselling/cases/{case_id}").get_data(as_text=True)
    assert "Helhedsplan 2015–18" in page and "Delmål: Forebyggelse og forældreansvar: delmål 1" in page

    # A leader makes the 2019–26 period current: the case keeps its 2015–18 tag.
    new = _period_ids(app, name="Helhedsplan 2019–26", current=False,
                      themes=("Uddannelse og livschancer", "Beskæftigelse", "Kriminalitetsforebyggelse",
                              "Sammenhængskraft og medborgerskab", "Sundhed"))
    with app.app_context():
        make_current(db.session.get(FundingPeriod, new["period"]), None)
        db.session.commit()
    page = client.get(f"/counselling/cases/{case_id}").get_data(as_text=True)
    assert "Helhedsplan 2015–18" in page and "Forebyggelse og forældreansvar" in page
    edit = client.get(f"/counselling/cases/{case_id}/edit").get_data(as_text=True)
    assert "Sundhed" in edit and "Tryghed og trivsel" not in edit  # the current period's choices
    version = re.search(r'name="version" type="hidden" value="(\d+)"', edit).group(1)
    response = client.submit(f"/counselling/cases/{case_id}/edit", {
        "version": version, "status": "open", "started_on": date.today().isoformat(), "focus_areas": ["language"],
        "plan_theme": new["themes"][4]})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        tags = tags_of(CASE, case_id)
        assert [(t.period_id, t.theme_id) for t in tags] == [(new["period"], new["themes"][4]),
                                                           (old["period"], old["themes"][0])]
        assert tags[1].subgoal_id == old["subgoals"][0] and tags[1].goal_id == old["goals"][0]
    edit = client.get(f"/counselling/cases/{case_id}/edit").get_data(as_text=True)
    assert re.search(rf'<option selected value="{new["themes"][4]}">|<option value="{new["themes"][4]}" selected',
                     edit)


def test_the_api_sets_shows_and_keeps_a_cases_tag(client, make_user, make_family, api_token, app):
    ids = _period_ids(app)
    worker = make_user("social_worker")
    family = make_family(worker)
    headers = bearer(api_token(worker))
    refused = client.post("/api/v1/counselling/cases", headers=headers, json={
        "person_id": family["parent"], "focus_areas": ["language"], "plan_theme": "9999"})
    assert refused.status_code == 422 and "plan_theme" in refused.get_json()["error"]["fields"]
    made = client.post("/api/v1/counselling/cases", headers=headers, json={
        "person_id": family["parent"], "focus_areas": ["language"], "plan_subgoal": str(ids["subgoals"][1])})
    assert made.status_code == 201, made.get_json()
    case = made.get_json()
    [tag] = case["plan_tags"]
    assert tag["theme"]["id"] == ids["themes"][1] and tag["subgoal"]["id"] == ids["subgoals"][1]
    patched = client.patch(f"/api/v1/counselling/cases/{case['id']}", headers=headers,
                           json={"background": "Ny baggrund", "version": case["version"]})
    assert patched.status_code == 200 and patched.get_json()["plan_tags"] == case["plan_tags"]
    cleared = client.patch(f"/api/v1/counselling/cases/{case['id']}", headers=headers,
                           json={"plan_theme": "", "plan_subgoal": "", "version": patched.get_json()["version"]})
    assert cleared.status_code == 200 and cleared.get_json()["plan_tags"] == []


def test_erasing_the_parent_removes_the_cases_tags(app, make_user, make_family, make_case):
    ids = _period_ids(app)
    worker = make_user("social_worker")
    family = make_family(worker)
    case_id = make_case(worker, family, session=False)
    with app.app_context():
        from caseapp.plan.tagging import TagInput, set_tags

        set_tags(CASE, case_id, TagInput(ids["period"], ids["themes"][0], None, None))
        services.erase_person(uuid.UUID(family["parent"]))
        db.session.commit()
        assert tags_of(CASE, case_id) == []
