"""The leader's configuration pages end to end, and what every other role may do with the plan."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.plan.models import FundingPeriod, PartialAgreement, PartialAgreementVersion, PlanTag, PlanTheme
from caseapp.plan.tagging import TagInput, set_tags
from caseapp.security.roles import ROLES
from tests.conftest import bearer
from tests.plan.conftest import period_form

FIVE_THEMES = [
    ("Uddannelse og livschancer", "Education and life chances"),
    ("Beskæftigelse", "Employment"),
    ("Kriminalitetsforebyggelse", "Crime prevention"),
    ("Sammenhængskraft og medborgerskab", "Cohesion and citizenship"),
    ("Sundhed og trivsel", "Health and wellbeing"),
]
PARTNERS = [
    ("Civica", "housing_organisation", "40"),
    ("FAB", "housing_organisation", "35"),
    ("Odense Kommune", "municipality", "25"),
]
READERS = ("social_worker", "mentor", "course_leader", "ssp", "coordinator", "analyst")


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def create_period(client, themes=FIVE_THEMES, **extra) -> int:
    response = client.submit("/plan/periods/new", {**period_form(themes, ["Flere i arbejde"], PARTNERS), **extra})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(response.location.rsplit("/", 1)[1])


def create_agreement(client, app, period_id: int, position: int) -> int:
    with app.app_context():
        theme_id = db.session.scalar(
            select(PlanTheme.id).where(PlanTheme.period_id == period_id, PlanTheme.position == position)
        )
    url = f"/plan/themes/{theme_id}/agreement/new"
    response = client.submit(
        url,
        {
            "title_da": "Delaftale om sundhed",
            "parties": "Civica\nOdense Kommune",
            "approval_state": "draft",
            "summary_da": "Aktiviteter for sundhed.",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.location.rsplit("/", 1)[1])


def edit_data(app, period_id: int) -> dict:
    """The edit form as the page fills it: the period's values and the ids of its rows."""
    data = period_form(FIVE_THEMES, ["Flere i arbejde"], PARTNERS)
    with app.app_context():
        period = db.session.get(FundingPeriod, period_id)
        data["version"] = period.version
        for name, rows in (("themes", period.themes), ("goals", period.goals), ("partners", period.partners)):
            for index, row in enumerate(rows):
                data[f"{name}-{index}-id"] = row.id
    return data


def latest(app, agreement_id: int) -> int:
    with app.app_context():
        return db.session.get(PartialAgreement, agreement_id).latest_number


def test_a_period_with_five_themes_works_end_to_end(client, app, leader):
    period_id = create_period(client)
    page = client.get(f"/plan/periods/{period_id}").get_data(as_text=True)
    for da, _en in FIVE_THEMES:
        assert da in page
    assert "Odense Kommune" in page and "100" in page
    agreement_id = create_agreement(client, app, period_id, 4)  # the fifth theme
    response = client.submit(
        f"/plan/agreements/{agreement_id}/subgoals/new",
        {"version": latest(app, agreement_id), "name_da": "Flere unge dyrker idræt"},
    )
    assert response.status_code == 302
    with app.app_context():
        subgoal = db.session.get(PartialAgreement, agreement_id).subgoals[0]
        subgoal_id, theme_id = subgoal.id, subgoal.agreement.theme_id
    response = client.submit(
        f"/plan/subgoals/{subgoal_id}/targets/new",
        {
            "version": latest(app, agreement_id),
            "measure_da": "antal unge i foreningsidræt",
            "unit_da": "unge",
            "baseline": "40",
            "target_value": "120",
            "deadline": "2026-06-30",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/plan/agreements/{agreement_id}").get_data(as_text=True)
    assert "antal unge i foreningsidræt" in page and "120" in page and "Version 3" in page
    targets = client.get("/plan/targets").get_data(as_text=True)
    assert "antal unge i foreningsidræt" in targets and "Sundhed og trivsel" in targets
    # and work can be tagged to the fifth theme's delmål
    with app.app_context():
        set_tags("course", "k1", TagInput(period_id, theme_id, None, subgoal_id))
        db.session.commit()
        assert db.session.scalar(select(func.count(PlanTag.id)).where(PlanTag.subgoal_id == subgoal_id)) == 1
    assert "Registreringer tagget hertil: 1" in client.get(f"/plan/agreements/{agreement_id}").get_data(as_text=True)


def test_the_first_period_is_current_and_a_later_one_is_made_current_deliberately(client, app, leader):
    first = create_period(
        client,
        themes=[("Tryghed og trivsel", "")],
        name_da="Helhedsplan 2015–18",
        starts_on="2015-01-01",
        ends_on="2018-12-31",
    )
    second = create_period(client)
    with app.app_context():
        assert db.session.get(FundingPeriod, first).is_current
        assert not db.session.get(FundingPeriod, second).is_current
    response = client.submit(f"/plan/periods/{second}/current", token_from=f"/plan/periods/{second}")
    assert response.status_code == 302
    with app.app_context():
        assert [p.id for p in db.session.scalars(select(FundingPeriod).where(FundingPeriod.is_current))] == [second]
    assert "plan.period.make_current" in actions(app)


def test_refused_period_input_says_what_is_wrong_and_keeps_what_was_typed(client, app, leader):
    data = period_form(
        [], ["Flere i arbejde"], [("Civica", "housing_organisation", "60"), ("Odense Kommune", "municipality", "30")]
    )
    data["ends_on"] = "2018-01-01"
    response = client.submit("/plan/periods/new", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Giv perioden mindst ét indsatsområde." in html
    assert "100 %" in html and "90" in html
    assert "Perioden skal slutte efter, den begynder." in html
    assert 'value="Helhedsplan 2019–26"' in html and 'value="Odense Kommune"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(FundingPeriod.id))) == 0


def test_a_theme_in_use_cannot_be_removed_but_can_be_renamed(client, app, leader):
    period_id = create_period(client)
    create_agreement(client, app, period_id, 0)
    data = edit_data(app, period_id)
    data["themes-0-name_da"] = ""
    data["themes-0-name_en"] = ""
    response = client.submit(f"/plan/periods/{period_id}/edit", data)
    assert response.status_code == 422
    assert "er i brug" in response.get_data(as_text=True)
    data["themes-0-name_da"] = "Uddannelse, læring og livschancer"
    assert client.submit(f"/plan/periods/{period_id}/edit", data).status_code == 302
    with app.app_context():
        names = [t.name_da for t in db.session.get(FundingPeriod, period_id).themes]
    assert names[0] == "Uddannelse, læring og livschancer" and len(names) == 5


def test_editing_a_delaftale_keeps_every_earlier_version_unchanged(client, app, leader):
    period_id = create_period(client)
    agreement_id = create_agreement(client, app, period_id, 0)
    client.submit(
        f"/plan/agreements/{agreement_id}/subgoals/new",
        {"version": latest(app, agreement_id), "name_da": "Flere forældre i forældrerådgivning"},
    )
    version_two = client.get(f"/plan/agreements/{agreement_id}/versions/2.json").get_data(as_text=True)
    response = client.submit(
        f"/plan/agreements/{agreement_id}/edit",
        {
            "version": 2,
            "title_da": "Delaftale om uddannelse (revideret)",
            "parties": "Civica",
            "approval_state": "approved",
            "summary_da": "Ny tekst.",
            "change_note": "Godkendt af bestyrelsen",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        subgoal_id = db.session.get(PartialAgreement, agreement_id).subgoals[0].id
    client.submit(f"/plan/subgoals/{subgoal_id}/edit", {"version": 3, "name_da": "Flere forældre deltager"})
    assert client.get(f"/plan/agreements/{agreement_id}/versions/2.json").get_data(as_text=True) == version_two
    document_two = client.get(f"/plan/agreements/{agreement_id}/versions/2/document").get_data(as_text=True)
    assert "Delaftale om sundhed" in document_two and "Flere forældre i forældrerådgivning" in document_two
    assert "revideret" not in document_two and "Flere forældre deltager" not in document_two
    two = json.loads(version_two)
    assert (
        two["title_da"] == "Delaftale om sundhed"
        and two["subgoals"][0]["name_da"] == "Flere forældre i forældrerådgivning"
    )
    four = client.get(f"/api/v1/plan/agreements/{agreement_id}/versions/4")  # no token: refused
    assert four.status_code == 401
    with app.app_context():
        versions = db.session.scalars(
            select(PartialAgreementVersion)
            .where(PartialAgreementVersion.agreement_id == agreement_id)
            .order_by(PartialAgreementVersion.number)
        ).all()
        assert [(v.number, v.approval_state) for v in versions] == [
            (1, "draft"),
            (2, "draft"),
            (3, "approved"),
            (4, "draft"),
        ]
        assert versions[3].subgoals[0]["name_da"] == "Flere forældre deltager"
        assert versions[3].title_da == "Delaftale om uddannelse (revideret)"
        versions[0].title_da = "changed behind the app's back"
        with pytest.raises(RuntimeError):
            db.session.flush()
        db.session.rollback()


def test_a_stale_delaftale_edit_is_refused_and_keeps_the_input(client, app, leader):
    agreement_id = create_agreement(client, app, create_period(client), 0)
    client.submit(f"/plan/agreements/{agreement_id}/subgoals/new", {"version": 1, "name_da": "Første delmål"})
    response = client.submit(
        f"/plan/agreements/{agreement_id}/edit", {"version": 1, "title_da": "Min ændring", "approval_state": "draft"}
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'value="Min ændring"' in html and "er ikke gemt" in html
    assert latest(app, agreement_id) == 2


def test_a_target_deadline_outside_the_period_is_refused(client, app, leader):
    agreement_id = create_agreement(client, app, create_period(client), 0)
    client.submit(f"/plan/agreements/{agreement_id}/subgoals/new", {"version": 1, "name_da": "Delmål"})
    with app.app_context():
        subgoal_id = db.session.get(PartialAgreement, agreement_id).subgoals[0].id
    response = client.submit(
        f"/plan/subgoals/{subgoal_id}/targets/new",
        {
            "version": 2,
            "measure_da": "antal unge i fritidsjob",
            "unit_da": "unge",
            "target_value": "50",
            "deadline": "2030-01-01",
        },
    )
    assert response.status_code == 422
    assert "inden for støtteperioden" in response.get_data(as_text=True)
    assert latest(app, agreement_id) == 2


def test_a_tagged_subgoal_cannot_be_removed(client, app, leader):
    period_id = create_period(client)
    agreement_id = create_agreement(client, app, period_id, 0)
    client.submit(f"/plan/agreements/{agreement_id}/subgoals/new", {"version": 1, "name_da": "Delmål"})
    with app.app_context():
        subgoal = db.session.get(PartialAgreement, agreement_id).subgoals[0]
        set_tags("counselling_case", "x", TagInput(period_id, subgoal.agreement.theme_id, None, subgoal.id))
        db.session.commit()
        subgoal_id = subgoal.id
    response = client.submit(
        f"/plan/subgoals/{subgoal_id}/remove", {"version": 2}, token_from=f"/plan/agreements/{agreement_id}"
    )
    assert response.status_code == 303
    assert "kan ikke fjernes" in client.get(f"/plan/agreements/{agreement_id}").get_data(as_text=True)
    assert latest(app, agreement_id) == 2


def test_every_change_is_audited(client, app, leader):
    period_id = create_period(client)
    agreement_id = create_agreement(client, app, period_id, 0)
    client.submit(f"/plan/agreements/{agreement_id}/subgoals/new", {"version": 1, "name_da": "Delmål"})
    with app.app_context():
        subgoal_id = db.session.get(PartialAgreement, agreement_id).subgoals[0].id
    client.submit(
        f"/plan/subgoals/{subgoal_id}/targets/new",
        {"version": 2, "measure_da": "antal", "unit_da": "personer", "target_value": "5", "deadline": "2025-01-01"},
    )
    client.submit(f"/plan/periods/{period_id}/strategic-agreement", {"title_da": "Aftale", "parties": "Alle"})
    client.get(f"/plan/agreements/{agreement_id}/versions/3/document")
    events = actions(app)
    for action in (
        "plan.period.create",
        "plan.agreement.create",
        "plan.subgoal.create",
        "plan.target.create",
        "plan.strategic_agreement.update",
        "plan.agreement.export",
    ):
        assert action in events, action


@pytest.mark.parametrize("role", READERS)
def test_readers_read_the_plan_but_cannot_change_it(client, app, login_as, make_user, role):
    staff = make_user("leader")
    with app.test_client() as other:
        from tests.conftest import log_in

        log_in(other, staff)
        period_id = create_period(other)
        agreement_id = create_agreement(other, app, period_id, 0)
    login_as(role)
    assert client.get("/plan/").status_code == 200
    page = client.get(f"/plan/periods/{period_id}").get_data(as_text=True)
    assert "Uddannelse og livschancer" in page and "/edit" not in page
    assert client.get(f"/plan/agreements/{agreement_id}").status_code == 200
    assert client.get(f"/plan/agreements/{agreement_id}/versions/1/document").status_code == 200
    token = client.csrf_token("/plan/")
    before = actions(app)
    for url, data in (
        (f"/plan/periods/{period_id}/edit", period_form([("Ændret", "")])),
        ("/plan/periods/new", period_form([("Ny", "")])),
        (f"/plan/agreements/{agreement_id}/edit", {"version": 1, "title_da": "X"}),
        (f"/plan/agreements/{agreement_id}/subgoals/new", {"version": 1, "name_da": "X"}),
        (f"/plan/periods/{period_id}/current", {}),
        (f"/plan/periods/{period_id}/mapping", {}),
    ):
        assert client.post(url, data={**data, "csrf_token": token}).status_code == 403, url
    assert actions(app) == before
    assert latest(app, agreement_id) == 1


@pytest.mark.parametrize("role", ["admin", "police"])
def test_admin_and_police_see_nothing_of_the_plan(client, login_as, role):
    login_as(role)
    assert client.get("/plan/").status_code == 403
    assert "/plan/" not in client.get("/").get_data(as_text=True).split('aria-label="Hovedmenu"')[1]


def test_the_permission_table_matches_the_design():
    from caseapp.security.permissions import ROLE_PERMISSIONS, Permission

    readers = {role for role in ROLES if Permission.PLAN_READ in ROLE_PERMISSIONS[role]}
    managers = {role for role in ROLES if Permission.PLAN_MANAGE in ROLE_PERMISSIONS[role]}
    assert readers == {"leader", *READERS} and managers == {"leader"}


def test_the_export_document_is_danish_printable_and_has_no_inline_code(client, app, leader):
    agreement_id = create_agreement(client, app, create_period(client), 0)
    # the document is Danish whatever the user's language
    client.submit("/language", {"lang": "en", "next": "/"}, token_from="/")
    response = client.get(f"/plan/agreements/{agreement_id}/versions/1/document")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="da">' in html
    assert "Delaftale om sundhed" in html and "Delmål og måltal" in html and "Godkendelse" in html
    assert "<style" not in html and "<script" not in html and " style=" not in html
    assert "plan-document.css" in html and "script-src 'self'" in response.headers["Content-Security-Policy"]
    with client.get("/plan/static/plan-document.css") as css:
        assert "@media print" in css.get_data(as_text=True)
    download = client.get(f"/plan/agreements/{agreement_id}/versions/1.json")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.get_json()["title_da"] == "Delaftale om sundhed"


def test_the_api_lists_periods_themes_agreements_and_targets(client, app, leader, api_token, make_user):
    period_id = create_period(client)
    agreement_id = create_agreement(client, app, period_id, 0)
    client.submit(f"/plan/agreements/{agreement_id}/subgoals/new", {"version": 1, "name_da": "Delmål"})
    with app.app_context():
        subgoal_id = db.session.get(PartialAgreement, agreement_id).subgoals[0].id
    client.submit(
        f"/plan/subgoals/{subgoal_id}/targets/new",
        {
            "version": 2,
            "measure_da": "antal unge i fritidsjob",
            "unit_da": "unge",
            "target_value": "50",
            "deadline": "2026-12-31",
        },
    )
    headers = bearer(api_token(make_user("analyst")))
    periods = client.get("/api/v1/plan/periods", headers=headers).get_json()
    assert periods["total"] == 1 and periods["items"][0]["grant"] == "2019–26"
    assert periods["items"][0]["partners"][2]["share_percent"] == 25
    themes = client.get(f"/api/v1/plan/periods/{period_id}/themes", headers=headers).get_json()
    assert [t["name_da"] for t in themes["items"]] == [da for da, _en in FIVE_THEMES]
    agreements = client.get(f"/api/v1/plan/periods/{period_id}/agreements", headers=headers).get_json()
    assert agreements["items"][0]["latest_version"] == 3
    assert agreements["items"][0]["current"]["subgoals"][0]["targets"][0]["target_value"] == 50
    targets = client.get("/api/v1/plan/targets", headers=headers).get_json()
    assert targets["items"][0]["measure_da"] == "antal unge i fritidsjob"
    assert (
        client.get(f"/api/v1/plan/agreements/{agreement_id}/versions/1", headers=headers).get_json()["subgoals"] == []
    )
    assert client.get("/api/v1/plan/periods/999/themes", headers=headers).status_code == 404
    assert client.get("/api/v1/plan/targets?period_id=x", headers=headers).status_code == 400
    police = bearer(api_token(make_user("police")))
    refused = client.get("/api/v1/plan/periods", headers=police)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/plan/periods",
        "/api/v1/plan/periods/{period_id}/themes",
        "/api/v1/plan/periods/{period_id}/agreements",
        "/api/v1/plan/targets",
    ):
        assert "get" in paths[path], path


def test_an_earlier_period_stays_as_it_was_once_a_later_one_is_current(client, app, leader):
    old_id = create_period(
        client,
        themes=[("Tryghed og trivsel", "")],
        name_da="Helhedsplan 2015–18",
        starts_on="2015-01-01",
        ends_on="2018-12-31",
    )
    agreement_id = create_agreement(client, app, old_id, 0)
    new_id = create_period(client)
    client.submit(f"/plan/periods/{new_id}/current", token_from=f"/plan/periods/{new_id}")
    page = client.get(f"/plan/periods/{old_id}").get_data(as_text=True)
    assert "tidligere støtteperiode" in page and f"/plan/periods/{old_id}/edit" not in page
    assert "Tilføj et delmål" not in client.get(f"/plan/agreements/{agreement_id}").get_data(as_text=True)
    data = edit_data(app, old_id)
    data.update({"themes-0-name_da": "Omdøbt", "name_da": "Helhedsplan 2015–18"})
    refused = client.submit(f"/plan/periods/{old_id}/edit", data)
    assert refused.status_code == 422 and "forbliver, som den var" in refused.get_data(as_text=True)
    refused = client.submit(f"/plan/agreements/{agreement_id}/subgoals/new", {"version": 1, "name_da": "Nyt"})
    assert refused.status_code == 422
    with app.app_context():
        assert db.session.get(FundingPeriod, old_id).themes[0].name_da == "Tryghed og trivsel"
    assert latest(app, agreement_id) == 1
