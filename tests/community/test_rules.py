"""The domain's rules through its API and verbs: vetting before under-15 work, head counts, no certificate
stored, what it offers other domains, and the measures it offers the plan's indicators."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import LargeBinary, inspect, select

from caseapp.clock import local_today
from caseapp.domain import all_measures, provided
from caseapp.domains.community.models import HeadCount, Occurrence, Placement, Vetting
from caseapp.extensions import db
from tests.community import factories as f
from tests.conftest import bearer

API = "/api/v1/community"


def _volunteer_and_activity(app, coordinator, **activity):
    return f.volunteer(app, coordinator), f.activity(app, coordinator, **activity)


def test_an_unvetted_volunteer_is_refused_for_under_15_work_without_a_leaders_override(
    app, client, make_user, api_token
):
    coordinator, leader = make_user("coordinator"), make_user("leader")
    vid, aid = _volunteer_and_activity(app, coordinator)
    body = {"activity_id": aid, "role": "Lektiehjælper", "children_contact": True}
    refused = client.post(f"{API}/volunteers/{vid}/placements", json=body, headers=bearer(api_token(coordinator)))
    assert refused.status_code == 422
    assert "override_reason" in refused.get_json()["error"]["fields"]
    # A coordinator cannot override, even with a reason.
    again = client.post(
        f"{API}/volunteers/{vid}/placements",
        json={**body, "override_reason": "Har travlt"},
        headers=bearer(api_token(coordinator)),
    )
    assert again.status_code == 422
    # A leader without a reason: refused as well.
    no_reason = client.post(f"{API}/volunteers/{vid}/placements", json=body, headers=bearer(api_token(leader)))
    assert no_reason.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Placement.id)) is None
    done = client.post(
        f"{API}/volunteers/{vid}/placements",
        json={**body, "override_reason": "Arbejder altid sammen med en godkendt leder"},
        headers=bearer(api_token(leader)),
    )
    assert done.status_code == 201, done.get_json()
    assert done.get_json()["vetting_status"] == "missing"
    with app.app_context():
        placement = db.session.scalar(select(Placement))
        assert placement.override_by_id == leader.id
        assert placement.override_reason == "Arbejder altid sammen med en godkendt leder"


def test_a_vetted_volunteer_is_placed_and_an_expired_one_is_not(app, client, make_user, api_token):
    coordinator = make_user("coordinator")
    token = bearer(api_token(coordinator))
    vid, aid = _volunteer_and_activity(app, coordinator)
    f.vet(app, vid, coordinator, received=local_today() - timedelta(days=30))
    assert (
        client.post(f"{API}/volunteers/{vid}/placements", json={"activity_id": aid}, headers=token).status_code == 201
    )
    old = f.volunteer(app, coordinator, first_name="Ole")
    f.vet(app, old, coordinator, received=local_today() - timedelta(days=2 * 366))
    answer = client.post(f"{API}/volunteers/{old}/placements", json={"activity_id": aid}, headers=token)
    assert answer.status_code == 422
    # Work without contact with under-15s needs no certificate.
    adults = f.activity(app, coordinator, title="Fædregruppe", kind="faedregruppe", for_under_15=False)
    assert (
        client.post(f"{API}/volunteers/{old}/placements", json={"activity_id": adults}, headers=token).status_code
        == 201
    )


def test_vetting_stores_dates_and_assessment_and_refuses_a_certificate_file(app, client, make_user, api_token):
    coordinator = make_user("coordinator")
    token = bearer(api_token(coordinator))
    vid = f.volunteer(app, coordinator)
    today = local_today().isoformat()
    upload = client.post(
        f"{API}/volunteers/{vid}/vetting",
        headers=token,
        json={"requested_on": today, "certificate": "JVBERi0xLjQKJcfs...", "file_name": "attest.pdf"},
    )
    assert upload.status_code == 422
    assert set(upload.get_json()["error"]["fields"]) == {"certificate", "file_name"}
    too_long = client.post(
        f"{API}/volunteers/{vid}/vetting", headers=token, json={"requested_on": today, "note": "A" * 5000}
    )
    assert too_long.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Vetting.id)) is None
        # No column of the vetting table could hold a file: dates, codes, ids and a short encrypted note.
        columns = {c["name"]: c["type"] for c in inspect(db.engine).get_columns("community_vetting")}
        assert [n for n, t in columns.items() if isinstance(t, LargeBinary)] == ["note"]
    made = client.post(
        f"{API}/volunteers/{vid}/vetting",
        headers=token,
        json={
            "requested_on": today,
            "consent_on": today,
            "received_on": today,
            "assessment": "no_entries",
            "note": "Ingen anmærkninger",
        },
    )
    assert made.status_code == 201, made.get_json()
    state = client.get(f"{API}/volunteers/{vid}/vetting", headers=token).get_json()
    assert state["status"] == "valid"
    assert state["items"][0]["assessed_by"]
    # A page form posted with a file is refused and keeps nothing.
    refused = client.post(
        f"{API}/volunteers/{vid}/vetting",
        headers=token,
        json={"requested_on": today, "consent_refused_on": today, "received_on": today},
    )
    assert refused.status_code == 422


def test_consent_refused_is_its_own_status(app, client, make_user, api_token):
    coordinator = make_user("coordinator")
    vid = f.volunteer(app, coordinator)
    f.vet(
        app,
        vid,
        coordinator,
        received_on=None,
        consent_on=None,
        assessment=None,
        requested_on=local_today() - timedelta(days=5),
        consent_refused_on=local_today() - timedelta(days=2),
    )
    body = client.get(f"{API}/volunteers/{vid}", headers=bearer(api_token(coordinator))).get_json()
    assert body["vetting_status"] == "refused"


def test_head_counts_refuse_negative_numbers_and_totals_that_disagree(app, client, make_user, api_token):
    coordinator = make_user("coordinator")
    token = bearer(api_token(coordinator))
    aid = f.activity(app, coordinator)
    day = (local_today() - timedelta(days=1)).isoformat()
    cells = [
        {"age_band": "6_14", "gender": "female", "resident": True, "count": 5},
        {"age_band": "6_14", "gender": "male", "resident": True, "count": 3},
    ]
    wrong_total = client.post(
        f"{API}/activities/{aid}/occurrences", headers=token, json={"held_on": day, "total": 9, "counts": cells}
    )
    assert wrong_total.status_code == 422
    assert "total" in wrong_total.get_json()["error"]["fields"]
    negative = client.post(
        f"{API}/activities/{aid}/occurrences",
        headers=token,
        json={"held_on": day, "total": 2, "counts": [{**cells[0], "count": -3}, {**cells[1], "count": 5}]},
    )
    assert negative.status_code == 422
    negative_total = client.post(
        f"{API}/activities/{aid}/occurrences", headers=token, json={"held_on": day, "total": -1, "counts": []}
    )
    assert negative_total.status_code == 422
    twice = client.post(
        f"{API}/activities/{aid}/occurrences",
        headers=token,
        json={"held_on": day, "total": 10, "counts": [cells[0], cells[0]]},
    )
    assert twice.status_code == 422
    named = client.post(
        f"{API}/activities/{aid}/occurrences",
        headers=token,
        json={"held_on": day, "total": 8, "counts": cells, "names": ["Amira", "Yusuf"]},
    )
    assert named.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Occurrence.id)) is None and db.session.scalar(select(HeadCount.id)) is None
    done = client.post(
        f"{API}/activities/{aid}/occurrences", headers=token, json={"held_on": day, "total": 8, "counts": cells}
    )
    assert done.status_code == 201, done.get_json()
    listed = client.get(f"{API}/activities/{aid}/occurrences", headers=token).get_json()
    assert listed["total"] == 1 and listed["items"][0]["total"] == 8
    assert {(c["gender"], c["count"]) for c in listed["items"][0]["counts"]} == {("female", 5), ("male", 3)}


def test_the_verb_refuses_a_wrong_sum_whatever_calls_it(app, make_user):
    import pytest

    from caseapp.domains.community import services
    from caseapp.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.check_counts(3, [{"age_band": "0_5", "gender": "female", "resident": True, "count": 2}])
    with pytest.raises(InvalidInput):
        services.check_counts(
            0,
            [
                {"age_band": "0_5", "gender": "female", "resident": True, "count": -1},
                {"age_band": "0_5", "gender": "male", "resident": True, "count": 1},
            ],
        )


def test_child_vetting_and_associations_are_offered_to_other_domains(app, make_user):
    coordinator = make_user("coordinator")
    valid, expired, refused, none = (f.volunteer(app, coordinator, first_name=n) for n in ("A", "B", "C", "D"))
    f.vet(app, valid, coordinator, received=local_today() - timedelta(days=10))
    f.vet(app, expired, coordinator, received=local_today() - timedelta(days=800))
    f.vet(
        app,
        refused,
        coordinator,
        received_on=None,
        consent_on=None,
        assessment=None,
        requested_on=local_today() - timedelta(days=3),
        consent_refused_on=local_today() - timedelta(days=1),
    )
    active = f.association(app, coordinator, name="Aktiv forening")
    f.association(app, coordinator, name="Sovende forening", active=False)
    with app.app_context():
        from caseapp.domains.community.models import Volunteer

        (vetting,) = provided("child_vetting")
        (associations,) = provided("associations")
        person = {vid: db.session.get(Volunteer, uuid.UUID(vid)).person_id for vid in (valid, expired, refused, none)}
        today = local_today()
        assert vetting(person[valid], today) == "valid"
        assert vetting(person[expired], today) == "expired"
        assert vetting(person[refused], today) == "refused"
        assert vetting(person[none], today) == "missing"
        assert vetting(uuid.uuid4(), today) == "missing"
        assert vetting(person[valid], today - timedelta(days=30)) == "missing"  # before it was requested
        assert associations() == [(active, "Aktiv forening")]


def _rows(code):
    measure = next(m for m in all_measures() if m.code == code)
    return measure, [dict(r._mapping) for r in db.session.execute(measure.rows())]


def test_each_measure_answers_its_rows_on_the_database(app, make_user):
    coordinator = make_user("coordinator")
    vid, aid = _volunteer_and_activity(app, coordinator)
    f.vet(app, vid, coordinator)
    f.place(app, vid, aid, coordinator)
    f.hours(app, vid, aid, coordinator, amount=2.5)
    f.hours(app, vid, aid, coordinator, amount=1.0)
    f.occurrence(app, aid, coordinator)
    assoc = f.association(app, coordinator)
    with app.app_context():
        from caseapp.domains.community import services
        from caseapp.domains.community.models import Association, Volunteer

        services.add_support(
            db.session.get(Association, uuid.UUID(assoc)),
            {"kind": "money", "amount": 5000.0, "given_on": local_today()},
            None,
        )
        db.session.commit()
        person_id = db.session.get(Volunteer, uuid.UUID(vid)).person_id
        common = {"record_id", "person_id", "day", "tag_type", "tag_id", "programme", "outcome", "headcount"}

        measure, rows = _rows("community.volunteer")
        assert measure.unit == "persons" and len(rows) == 1 and common <= set(rows[0])
        assert rows[0]["person_id"] == person_id and rows[0]["tag_id"] == aid and rows[0]["headcount"] == 1
        assert rows[0]["tag_type"] == "community_activity"

        measure, rows = _rows("community.volunteer_hours")
        assert measure.unit == "contacts" and len(rows) == 2
        assert sorted(float(r["quantity"]) for r in rows) == [1.0, 2.5] and {r["headcount"] for r in rows} == {1}

        measure, rows = _rows("community.association_support")
        assert measure.unit == "outcomes" and rows[0]["person_id"] is None and rows[0]["outcome"] == "money"
        assert float(rows[0]["quantity"]) == 5000.0 and rows[0]["tag_id"] == assoc

        measure, rows = _rows("community.headcount")
        assert measure.unit == "headcount" and {r["person_id"] for r in rows} == {None}
        assert sorted((r["age_band"], r["gender"], bool(r["resident"]), r["headcount"]) for r in rows) == [
            ("6_14", "female", True, 4),
            ("6_14", "male", False, 2),
        ]
        assert {r["tag_id"] for r in rows} == {aid}


def test_activity_plan_tags_match_the_measures_tag_id(app, make_user):
    from caseapp.plan.tagging import PlanTag

    coordinator = make_user("coordinator")
    with app.app_context():
        from caseapp.plan import demo as plan_demo

        plan_demo.seed(staff={}, count=1, seed=1) if hasattr(plan_demo, "seed") else None
        db.session.commit()
        tags = plan_demo.form_tag("Sammenhængskraft og medborgerskab")
    aid = f.activity(app, coordinator, **tags)
    f.occurrence(app, aid, coordinator)
    with app.app_context():
        if tags:
            assert (
                db.session.scalar(select(PlanTag.record_id).where(PlanTag.record_type == "community_activity")) == aid
            )
        _measure, rows = _rows("community.headcount")
        assert {r["tag_id"] for r in rows} == {aid}
