"""Mandatory notifications (underretning) and the concerns domain's part in export and erasure."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from caseapp.domains.concerns.models import Concern, ConcernInvolved, ConcernNotification, local_today
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.workdays import add_working_days, is_working_day
from tests.concerns import factories as f
from tests.conftest import bearer, log_in

OVERDUE = "Underretninger"


@pytest.fixture
def flagged(app, make_user):
    """A concern filed with the duty to notify, by a social worker."""
    worker = make_user("social_worker")
    person_id = f.subject(app, (worker, "counselling"))
    concern_id = f.file(app, worker, person_id, notify=True)
    return {"worker": worker, "person_id": person_id, "id": concern_id}


def set_notification(app, **values):
    with app.app_context():
        db.session.execute(db.update(ConcernNotification).values(**values))
        db.session.commit()


def test_filing_with_the_duty_flags_a_notification_held_by_the_filer(app, flagged):
    with app.app_context():
        n = db.session.scalar(db.select(ConcernNotification))
        assert n.duty_holder_id == flagged["worker"].id and n.due_on == local_today() and n.status == "not_sent"
        assert not n.overdue


def test_overdue_notifications_show_to_filer_ssp_and_leaders_until_resolved(app, client, make_user, flagged):
    set_notification(app, due_on=local_today() - timedelta(days=2))
    viewers = {"filer": flagged["worker"], "ssp": make_user("ssp"), "leader": make_user("leader")}
    others = {"mentor": make_user("mentor"), "police": make_user("police"), "analyst": make_user("analyst")}
    for name, staff in {**viewers, **others}.items():
        log_in(client, staff)
        landing = client.get("/").get_data(as_text=True)
        assert (OVERDUE in landing) == (name in viewers), name
        client.submit("/logout", token_from="/")

    # Sent: no longer overdue until the six weekdays for the acknowledgement run out.
    log_in(client, flagged["worker"])
    assert (
        client.submit(
            f"/concerns/{flagged['id']}/notification/sent", {}, token_from=f"/concerns/{flagged['id']}"
        ).status_code
        == 302
    )
    assert OVERDUE not in client.get("/").get_data(as_text=True)
    with app.app_context():
        due = db.session.scalar(db.select(ConcernNotification.acknowledge_due_on))
        assert due == add_working_days(local_today(), 6) and is_working_day(due)
    set_notification(app, acknowledge_due_on=local_today() - timedelta(days=1))
    assert OVERDUE in client.get("/").get_data(as_text=True)
    assert (
        client.submit(
            f"/concerns/{flagged['id']}/notification/acknowledged", {}, token_from=f"/concerns/{flagged['id']}"
        ).status_code
        == 302
    )
    assert OVERDUE not in client.get("/").get_data(as_text=True)


def test_recording_is_for_the_duty_holder_or_ssp_and_in_order(app, client, make_user, api_token, flagged):
    url = f"/api/v1/concerns/{flagged['id']}/notification"
    ssp_token = api_token(make_user("ssp"))
    early = client.patch(url, json={"acknowledged": True}, headers=bearer(ssp_token))
    assert early.status_code == 422 and "sent" in early.get_json()["error"]["message"]
    assert client.patch(url, json={"sent": True}, headers=bearer(api_token(make_user("leader")))).status_code == 403
    sent = client.patch(url, json={"sent": True}, headers=bearer(api_token(flagged["worker"])))
    assert sent.status_code == 200 and sent.get_json()["status"] == "sent"
    assert client.patch(url, json={"sent": True}, headers=bearer(ssp_token)).status_code == 422
    done = client.patch(url, json={"acknowledged": True}, headers=bearer(ssp_token))
    assert done.status_code == 200 and done.get_json()["status"] == "acknowledged"
    again = client.post(url, json={"duty_holder_id": flagged["worker"].id}, headers=bearer(ssp_token))
    assert again.status_code == 422


def test_ssp_flags_a_notification_naming_the_filer_or_ssp_only(app, client, make_user, api_token):
    mentor, ssp, bystander = make_user("mentor"), make_user("ssp"), make_user("social_worker")
    concern_id = f.file(app, mentor, f.subject(app, (mentor, "mentoring")))
    url = f"/api/v1/concerns/{concern_id}/notification"
    token = api_token(ssp)
    wrong = client.post(url, json={"duty_holder_id": bystander.id}, headers=bearer(token))
    assert wrong.status_code == 422 and "duty_holder_id" in wrong.get_json()["error"]["fields"]
    ok = client.post(url, json={"duty_holder_id": mentor.id}, headers=bearer(token))
    assert ok.status_code == 201 and ok.get_json()["duty_holder"]["id"] == mentor.id


def test_filer_flags_their_own_duty_by_page(app, client, make_user):
    mentor = make_user("mentor")
    concern_id = f.file(app, mentor, f.subject(app, (mentor, "mentoring")))
    log_in(client, mentor)
    response = client.submit(
        f"/concerns/{concern_id}/notification", {"duty_holder_id": str(mentor.id)}, token_from=f"/concerns/{concern_id}"
    )
    assert response.status_code == 302
    assert "Markér en underretning" not in client.get(f"/concerns/{concern_id}").get_data(as_text=True)


# Data protection ---------------------------------------------------------------------------------------


def source():
    from caseapp.domain import privacy_sources

    return next(s for s in privacy_sources() if s.domain == "concerns")


def test_an_open_concern_with_a_notification_blocks_erasure(app, make_user, flagged):
    with app.app_context():
        reason = source().erasure_blocker(uuid.UUID(flagged["person_id"]))
        assert reason and "mandatory notification" in reason
    f.move(app, make_user("ssp"), flagged["id"], "in_triage", "closed", outcome="no_further_action")
    with app.app_context():
        assert source().erasure_blocker(uuid.UUID(flagged["person_id"])) is None


def test_export_and_erase_a_persons_concerns(app, make_user, flagged):
    ssp = make_user("ssp")
    friend = f.subject(app, (flagged["worker"], "counselling"), first_name="Ali", cpr="0202095234")
    other = f.file(app, flagged["worker"], friend, involved_ids=[flagged["person_id"]])
    f.move(app, ssp, flagged["id"], "in_triage", "in_ssp", "action_agreed")
    f.share(app, ssp, flagged["id"])
    with app.app_context():
        records = source().export(uuid.UUID(flagged["person_id"]))
        concern = next(r for r in records if r["record"] == "concern")
        assert concern["description"] == f.DESCRIPTION and len(concern["transitions"]) == 3
        assert concern["shares"][0]["legal_basis"] == "ssp_115" and concern["notification"]["sent_at"] is None
        assert any(r["record"] == "concern_involvement" for r in records)
        assert "Test Person" not in str(records)  # no staff names anywhere in the export
        counts = source().erase(uuid.UUID(flagged["person_id"]))
        db.session.commit()
        assert counts == {"concerns": 1, "concern_involvements": 1}
        assert db.session.get(Concern, uuid.UUID(flagged["id"])) is None
        assert db.session.get(Concern, uuid.UUID(other)) is not None  # the other person's concern stays
        assert db.session.scalar(db.select(db.func.count()).select_from(ConcernInvolved)) == 0


def test_landing_page_overdue_list_links_to_the_filtered_list(app, client, make_user, flagged):
    set_notification(app, due_on=local_today() - timedelta(days=1), flagged_at=utcnow() - timedelta(days=1))
    log_in(client, make_user("leader"))
    listing = client.get("/concerns/?notification=overdue").get_data(as_text=True)
    assert "Yusuf Jensen" in listing
    set_notification(app, sent_at=utcnow(), acknowledged_at=utcnow())
    assert "Yusuf Jensen" not in client.get("/concerns/?notification=overdue").get_data(as_text=True)


def test_closed_concerns_are_purged_after_the_retention_period_and_counted(app, make_user, flagged):
    from caseapp.privacy.tallies import tallies

    ssp = make_user("ssp")
    f.move(app, ssp, flagged["id"], "in_triage", "closed", outcome="no_further_action")
    still_open = f.file(app, flagged["worker"], flagged["person_id"])
    with app.app_context():
        days = app.config["RETENTION"]["concerns_closed"]
        assert source().expired(local_today()) == []  # just closed: not due
        later = local_today() + timedelta(days=days + 1)
        due = source().expired(later)
        assert [r.object_id for r in due] == [flagged["id"]]
        source().purge(due[0])
        db.session.commit()
        assert db.session.get(Concern, uuid.UUID(flagged["id"])) is None
        assert db.session.get(Concern, uuid.UUID(still_open)) is not None
        assert sum(tallies("concerns", "concern").values()) == 1


def test_flagging_without_a_duty_holder_says_what_is_missing(app, client, make_user):
    mentor = make_user("mentor")
    concern_id = f.file(app, mentor, f.subject(app, (mentor, "mentoring")))
    log_in(client, make_user("ssp"))
    response = client.submit(
        f"/concerns/{concern_id}/notification",
        {"duty_holder_id": ""},
        token_from=f"/concerns/{concern_id}",
        follow_redirects=True,
    )
    assert "Vælg, hvem der har underretningspligten." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(ConcernNotification)) is None
