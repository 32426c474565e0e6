"""Who sees which concern, and which parts of it, through every page and route (DESIGN §2, issue 5).

A police liaison sees only concerns shared with police, only the shared parts, only until expiry,
and no other record of the person; a filer sees what they filed and its status, nothing else.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest

from caseapp.domains.concerns.models import Concern, ConcernShare, local_today
from caseapp.extensions import db
from tests.concerns import factories as f
from tests.conftest import bearer, log_in

FILERS = ["social_worker", "mentor", "course_leader"]
NO_CONCERNS = ["admin", "coordinator", "analyst"]


@pytest.fixture
def world(app, make_user):
    """A mentor's concern about their mentee, triaged by SSP; and a second filer with their own concern."""
    mentor, other, ssp = make_user("mentor"), make_user("social_worker"), make_user("ssp")
    person_id = f.subject(app, (mentor, "mentoring"), (other, "counselling"))
    concern_id = f.file(app, mentor, person_id)
    f.move(app, ssp, concern_id, "in_triage", "in_ssp", "action_agreed")
    others = f.file(app, other, person_id, summary="Pjækker fra skolen", description="Ikke set i skolen i to uger")
    return {
        "mentor": mentor,
        "other": other,
        "ssp": ssp,
        "person_id": person_id,
        "concern_id": concern_id,
        "others": others,
    }


def concern_routes(concern_id: str) -> list[str]:
    return [
        f"/concerns/{concern_id}",
        f"/api/v1/concerns/{concern_id}",
        f"/api/v1/concerns/{concern_id}/transitions",
        f"/api/v1/concerns/{concern_id}/shares",
        f"/api/v1/concerns/{concern_id}/actions",
    ]


def get(client, url, token):
    return client.get(url, headers=bearer(token)) if url.startswith("/api/") else client.get(url)


# Roles without concerns ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", NO_CONCERNS)
def test_roles_without_concerns_get_403_everywhere(role, client, login_as, api_token, world):
    staff = login_as(role)
    token = api_token(staff)
    for url in [
        "/concerns/",
        "/api/v1/concerns",
        *concern_routes(world["concern_id"]),
        f"/concerns/people/{world['person_id']}/chronology",
        f"/api/v1/concerns/chronology/{world['person_id']}",
    ]:
        assert get(client, url, token).status_code == 403, url
    assert client.submit("/concerns/new", {}, token_from="/").status_code == 403
    assert "Bekymringer" not in client.get("/").get_data(as_text=True)


# SSP and leaders read everything --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["ssp", "leader"])
def test_ssp_and_leaders_read_every_concern_in_full(role, client, login_as, api_token, world):
    staff = login_as(role)
    token = api_token(staff)
    for concern_id in (world["concern_id"], world["others"]):
        for url in concern_routes(concern_id):
            assert get(client, url, token).status_code == 200, url
    page = client.get(f"/concerns/{world['concern_id']}").get_data(as_text=True)
    assert f.DESCRIPTION in page and f.NOTE in page and f.ACTION in page and "010109-5234" in page
    listed = client.get("/api/v1/concerns", headers=bearer(token)).get_json()
    assert listed["total"] == 2
    assert client.get(f"/concerns/people/{world['person_id']}/chronology").status_code == 200
    assert client.get(f"/api/v1/concerns/chronology/{world['person_id']}", headers=bearer(token)).status_code == 200


def test_ssp_reads_concern_subjects_on_the_person_page_but_leaders_do_not_triage(client, login_as, world, api_token):
    staff = login_as("ssp")
    page = client.get(f"/people/{world['person_id']}")
    assert page.status_code == 200 and "Yusuf Jensen" in page.get_data(as_text=True)
    assert client.get(f"/api/v1/people/{world['person_id']}", headers=bearer(api_token(staff))).status_code == 200


def test_ssp_does_not_reach_people_without_concerns(app, client, login_as, make_user):
    worker = make_user("social_worker")
    bystander = f.subject(app, (worker, "counselling"), first_name="Karen", cpr="0202801234")
    login_as("ssp")
    assert client.get(f"/people/{bystander}").status_code == 404


def test_leader_may_read_but_not_triage(client, login_as, api_token, world):
    token = api_token(login_as("leader"))
    response = client.post(
        f"/api/v1/concerns/{world['concern_id']}/transitions",
        json={"to_state": "closed", "note": "x", "outcome": "resolved", "version": 1},
        headers=bearer(token),
    )
    assert response.status_code == 403
    assert (
        client.submit(
            f"/concerns/{world['concern_id']}/transition", {"to_state": "closed", "note": "x"}, token_from="/"
        ).status_code
        == 403
    )


# Filers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", FILERS)
def test_a_filer_reads_only_what_they_filed_and_its_status(role, app, client, make_user, api_token):
    filer, rival, ssp = make_user(role), make_user(role), make_user("ssp")
    programme = {"social_worker": "counselling", "mentor": "mentoring", "course_leader": "courses"}[role]
    person_id = f.subject(app, (filer, programme), (rival, programme))
    mine = f.file(app, filer, person_id)
    theirs = f.file(app, rival, person_id, summary="Rivalens sammendrag", description="Rivalens beskrivelse")
    f.move(app, ssp, mine, "in_triage", "in_ssp", "action_agreed")
    f.share(app, ssp, mine)
    log_in(client, filer)
    token = api_token(filer)

    page = client.get(f"/concerns/{mine}").get_data(as_text=True)
    assert f.SUMMARY in page and f.DESCRIPTION in page and "Handling aftalt" in page  # its status
    assert f.NOTE not in page and f.ACTION not in page and "Koordinering i SSP" not in page  # nothing else
    body = client.get(f"/api/v1/concerns/{mine}", headers=bearer(token)).get_json()
    assert body["state"] == "action_agreed" and body["description"] == f.DESCRIPTION
    assert not {"actions", "shares", "transitions"} & set(body)
    for url in concern_routes(mine)[2:]:  # transitions, shares, actions: not what they filed
        assert get(client, url, token).status_code == 404, url

    for url in concern_routes(theirs):  # another filer's concern does not exist for them
        assert get(client, url, token).status_code == 404, url
    listing = client.get("/concerns/").get_data(as_text=True)
    assert "Rivalens" not in listing and client.get("/api/v1/concerns", headers=bearer(token)).get_json()["total"] == 1
    assert client.get(f"/concerns/people/{person_id}/chronology").status_code == 403


# Police liaison ---------------------------------------------------------------------------------------


@pytest.fixture
def police(client, make_user, api_token):
    staff = make_user("police")
    log_in(client, staff)  # two-factor authentication included
    return staff, api_token(staff)


def test_police_see_nothing_before_a_concern_is_shared(client, police, world):
    _staff, token = police
    for url in concern_routes(world["concern_id"]):
        assert get(client, url, token).status_code == 404, url
    assert client.get("/api/v1/concerns", headers=bearer(token)).get_json()["total"] == 0
    assert "Yusuf" not in client.get("/concerns/").get_data(as_text=True)


def test_police_see_exactly_the_shared_parts_until_expiry(app, client, police, world):
    _staff, token = police
    f.share(app, world["ssp"], world["concern_id"], parts=("summary",))
    page = client.get(f"/concerns/{world['concern_id']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f.SUMMARY in html and "Yusuf Jensen" in html and "1. jan. 2009" in html
    for hidden in (
        f.DESCRIPTION,
        f.NOTE,
        f.ACTION,
        "Kriminalitet",
        "Høj",
        "010109-5234",
        "Bøgeparken",
        "Handling aftalt",
        "Egen observation",
    ):
        assert hidden not in html, hidden
    body = client.get(f"/api/v1/concerns/{world['concern_id']}", headers=bearer(token)).get_json()
    assert set(body) == {"id", "person", "summary", "shares"}
    assert body["person"] == {"name": "Yusuf Jensen", "birth_date": "2009-01-01"}
    for part in ("transitions", "shares", "actions"):  # parts not shared: as if they did not exist
        assert client.get(f"/api/v1/concerns/{world['concern_id']}/{part}", headers=bearer(token)).status_code == 404
    assert [i["id"] for i in client.get("/api/v1/concerns", headers=bearer(token)).get_json()["items"]] == [
        world["concern_id"]
    ]
    assert client.get(f"/concerns/{world['others']}").status_code == 404  # the unshared concern

    with app.app_context():  # the share expires
        db.session.execute(db.update(ConcernShare).values(expires_on=local_today() - timedelta(days=1)))
        db.session.commit()
    for url in concern_routes(world["concern_id"]):
        assert get(client, url, token).status_code == 404, url
    assert client.get("/api/v1/concerns", headers=bearer(token)).get_json()["total"] == 0


def test_police_see_a_share_on_its_last_day_and_lose_it_when_ended(app, client, police, world):
    _staff, token = police
    share_id = f.share(app, world["ssp"], world["concern_id"], expires_on=local_today())
    assert client.get(f"/concerns/{world['concern_id']}").status_code == 200
    with app.app_context():
        from caseapp.domains.concerns import services
        from caseapp.models.users import User

        share = db.session.get(ConcernShare, uuid.UUID(share_id))
        services.end_share_by(share, db.session.get(User, world["ssp"].id), "Ikke længere nødvendigt")
        db.session.commit()
    assert client.get(f"/concerns/{world['concern_id']}").status_code == 404
    assert client.get(f"/api/v1/concerns/{world['concern_id']}", headers=bearer(token)).status_code == 404


@pytest.mark.parametrize(
    "parts", [("description",), ("category_severity",), ("actions",), ("cpr",), ("summary", "actions")]
)
def test_police_see_each_shared_part_and_no_other(parts, app, client, police, world):
    _staff, token = police
    f.share(app, world["ssp"], world["concern_id"], parts=parts)
    html = client.get(f"/concerns/{world['concern_id']}").get_data(as_text=True)
    body = client.get(f"/api/v1/concerns/{world['concern_id']}", headers=bearer(token)).get_json()
    shown = {
        "summary": f.SUMMARY in html,
        "description": f.DESCRIPTION in html,
        "actions": f.ACTION in html,
        "category_severity": "Kriminalitet" in html,
        "cpr": "010109-5234" in html,
    }
    assert {p for p, seen in shown.items() if seen} == set(parts)
    assert f.NOTE not in html and "Handling aftalt" not in html
    keys = {"summary": "summary", "description": "description", "actions": "actions", "category_severity": "category"}
    assert {p for p, k in keys.items() if k in body} == set(parts) - {"cpr"}
    assert ("cpr" in body["person"]) == ("cpr" in parts)
    actions = client.get(f"/api/v1/concerns/{world['concern_id']}/actions", headers=bearer(token))
    assert actions.status_code == (200 if "actions" in parts else 404)


def test_shares_to_other_recipients_do_not_reach_police(app, client, police, world):
    f.share(app, world["ssp"], world["concern_id"], recipient="school", parts=("summary", "description"))
    f.share(app, world["ssp"], world["concern_id"], recipient="municipality", parts=("summary",))
    assert client.get(f"/concerns/{world['concern_id']}").status_code == 404


def test_police_never_reach_the_person_or_any_other_record(app, client, police, world):
    _staff, token = police
    f.share(app, world["ssp"], world["concern_id"], parts=("summary", "description", "actions", "cpr"))
    person_id = world["person_id"]
    for url in (
        f"/people/{person_id}",
        f"/api/v1/people/{person_id}",
        "/people/",
        "/api/v1/people",
        f"/concerns/people/{person_id}/chronology",
        f"/api/v1/concerns/chronology/{person_id}",
    ):
        assert get(client, url, token).status_code in (403, 404), url
    response = client.post("/api/v1/people/search", json={"name": "Yusuf"}, headers=bearer(token))
    assert response.status_code in (403, 404)
    # Counselling, mentoring and course records of the subject: none of their pages or routes answer.
    checked = 0
    for rule in app.url_map.iter_rules():
        prefix = rule.rule.split("/")[1] if not rule.rule.startswith("/api/") else rule.rule.split("/")[3]
        if prefix not in {"counselling", "mentoring", "courses"} or "GET" not in rule.methods:
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = re.sub(rf"<(?:[^:<>]+:)?{arg}>", person_id, url)
        assert get(client, url, token).status_code in (403, 404), url
        checked += 1
    assert checked or "counselling.index" not in app.view_functions


def test_police_cannot_act_on_a_shared_concern(app, client, police, world):
    _staff, token = police
    f.share(app, world["ssp"], world["concern_id"], parts=("summary",))
    cid = world["concern_id"]
    for url, body in (
        (f"/api/v1/concerns/{cid}/transitions", {"to_state": "closed", "note": "x", "version": 1}),
        (f"/api/v1/concerns/{cid}/shares", {"recipient": "police"}),
        (f"/api/v1/concerns/{cid}/actions", {"text": "x"}),
        (f"/api/v1/concerns/{cid}/amendments", {"field": "summary", "text": "x"}),
        (f"/api/v1/concerns/{cid}/notification", {"duty_holder_id": 1}),
    ):
        assert client.post(url, json=body, headers=bearer(token)).status_code == 403, url
    assert client.patch(f"/api/v1/concerns/{cid}", json={"version": 1}, headers=bearer(token)).status_code == 403
    for url in (f"/concerns/{cid}/edit", f"/concerns/{cid}/share", f"/concerns/{cid}/amend"):
        assert client.get(url).status_code == 403, url


def test_every_read_by_the_recipient_is_audited(app, client, police, world):
    from caseapp.models.audit import AuditEvent

    staff, token = police
    share_id = f.share(app, world["ssp"], world["concern_id"], parts=("summary", "actions"))
    client.get(f"/concerns/{world['concern_id']}")
    client.get(f"/api/v1/concerns/{world['concern_id']}", headers=bearer(token))
    client.get(f"/api/v1/concerns/{world['concern_id']}/actions", headers=bearer(token))
    client.get("/api/v1/concerns", headers=bearer(token))
    client.get("/concerns/")
    with app.app_context():
        events = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.actor_id == staff.id, AuditEvent.action.like("concern.%"))
        ).all()
        reads = [e for e in events if e.action == "concern.shared_read"]
        lists = [e for e in events if e.action == "concern.shared_list"]
        assert len(reads) == 3 and len(lists) == 2
        assert all(
            e.purpose == "share" and share_id in e.detail and e.subject_id == world["person_id"] for e in reads + lists
        )
        assert all(f.SUMMARY not in e.detail for e in events)
        share_events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "concern.share")).all()
        assert len(share_events) == 1 and share_events[0].actor_id == world["ssp"].id


def test_police_list_is_not_filterable_by_unshared_parts(app, client, police, world):
    _staff, token = police
    f.share(app, world["ssp"], world["concern_id"], parts=("summary",))
    # Filtering by severity would reveal the severity that was not shared: the filter is ignored.
    for severity in ("low", "high"):
        body = client.get(f"/api/v1/concerns?severity={severity}", headers=bearer(token)).get_json()
        assert body["total"] == 1


def test_police_landing_page_counts_shared_concerns(app, client, police, world):
    assert "Bekymringer delt med dig: 0" in client.get("/").get_data(as_text=True)
    f.share(app, world["ssp"], world["concern_id"])
    assert "Bekymringer delt med dig: 1" in client.get("/").get_data(as_text=True)


def test_concern_ids_that_are_not_uuids_are_404(client, login_as, api_token):
    token = api_token(login_as("ssp"))
    assert client.get("/concerns/not-a-uuid").status_code == 404
    assert client.get("/api/v1/concerns/not-a-uuid", headers=bearer(token)).status_code == 404
    assert client.get(f"/api/v1/concerns/{uuid.uuid4()}", headers=bearer(token)).status_code == 404
    assert Concern.__tablename__ == "concern"


# Every concern route, for everyone who may not see the concern ---------------------------------------

OUTSIDERS = ["police", "other_filer", "admin", "coordinator", "analyst"]


def _concern_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/concerns", "/api/v1/concerns")):
            yield rule


@pytest.mark.parametrize("who", OUTSIDERS)
def test_every_concern_route_refuses_everyone_who_may_not_see_the_concern(
    who, app, client, make_user, api_token, world
):
    from caseapp.domains.concerns.models import ConcernAction, ConcernAmendment, ConcernTransition

    cid = world["concern_id"]
    share_id = f.share(app, world["ssp"], cid, recipient="school", parts=("summary", "description", "actions"))
    with app.app_context():
        concern = db.session.get(Concern, uuid.UUID(cid))
        values = {
            "concern_id": cid,
            "person_id": world["person_id"],
            "share_id": share_id,
            "action_id": str(concern.actions[0].id),
            "step": "sent",
        }
        before = (concern.version, len(concern.transitions), len(concern.actions), len(concern.shares))
    staff = make_user("mentor") if who == "other_filer" else make_user(who)
    if who == "other_filer":
        f.file(
            app,
            staff,
            f.subject(app, (staff, "mentoring"), first_name="Anden", cpr="0303095234"),
            summary="Egen bekymring",
            description="Om en anden ung",
        )
    log_in(client, staff)
    token = api_token(staff)
    secrets = (f.SUMMARY, f.DESCRIPTION, f.NOTE, f.ACTION, "Yusuf")
    checked = 0
    for rule in _concern_rules(app):
        url = rule.rule
        for arg in rule.arguments:
            url = re.sub(rf"<(?:[^<>]+:)?{arg}>", values[arg], url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if url.startswith("/api/"):
                response = client.open(url, method=method, json={}, headers=bearer(token))
            elif method == "GET":
                response = client.get(url)
            else:
                response = client.submit(url, {}, token_from="/")
            checked += 1
            if rule.arguments:
                assert response.status_code in (403, 404), (method, url, response.status_code)
            else:  # lists and the filing form: allowed or not, they show nothing of the concern
                assert response.status_code in (200, 403, 405, 422), (method, url, response.status_code)
            body = response.get_data(as_text=True)
            assert not any(s in body for s in secrets), (method, url)
    assert checked >= 25
    with app.app_context():
        concern = db.session.get(Concern, uuid.UUID(cid))
        assert (concern.version, len(concern.transitions), len(concern.actions), len(concern.shares)) == before
        assert concern.notification is None and not concern.amendments
        assert db.session.scalar(db.select(db.func.count()).select_from(ConcernAmendment)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(ConcernTransition)) == 3
        assert db.session.scalar(db.select(db.func.count()).select_from(ConcernAction)) == 1
