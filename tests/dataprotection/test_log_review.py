"""Log review: a monthly sample of access with unusual patterns first, each marked reviewed."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

from sqlalchemy import select

from caseapp import audit
from caseapp.domains.dataprotection import logreview
from caseapp.domains.dataprotection.models import LogReviewItem
from caseapp.extensions import db
from caseapp.models.users import User

CPH = ZoneInfo("Europe/Copenhagen")


def _utc(local: datetime) -> datetime:
    return local.replace(tzinfo=CPH).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _access(actor_id, subject, at_local, action="person.view", purpose=None):
    # Recorded as if at that time (the audit table refuses to have `at` changed afterwards).
    with patch("caseapp.audit.chain.utcnow", return_value=_utc(at_local)):
        audit.record(
            action, object_type="person", subject_id=subject, purpose=purpose, actor=db.session.get(User, actor_id)
        )


def test_unusual_patterns_come_first_and_each_item_is_marked(app, client, make_user, login_as):
    busy, night, glass, ordinary = (make_user("social_worker") for _ in range(4))
    with app.app_context():
        month = logreview.default_month()
    year, mon = int(month[:4]), int(month[5:])
    tuesday = next(datetime(year, mon, d, 10, 0) for d in range(1, 8) if datetime(year, mon, d).weekday() == 1)
    with app.app_context():
        for n in range(logreview.MANY_PERSONS + 3):
            _access(busy.id, uuid.uuid4(), tuesday + timedelta(minutes=n))
        _access(night.id, uuid.uuid4(), tuesday.replace(hour=2))
        _access(glass.id, uuid.uuid4(), tuesday.replace(hour=11), action="breakglass.grant", purpose="break_glass")
        families = [uuid.uuid4() for _ in range(5)]
        for n in range(30):
            _access(ordinary.id, families[n % 5], tuesday.replace(hour=13) + timedelta(minutes=n))
        db.session.commit()
    leader = login_as("leader")
    page = client.get(f"/data-protection/log-review?month={month}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    with app.app_context():
        items = logreview.items_for(month)
        patterns = [i.pattern for i, _e in items]
        assert patterns[0] == "break_glass" and patterns[1] == "many_persons" and patterns[2] == "out_of_hours"
        assert set(patterns[3:]) == {"sample"} and len(patterns[3:]) == logreview.SAMPLE_SIZE
        many = next(i for i, _e in items if i.pattern == "many_persons")
        assert f'"persons": {logreview.MANY_PERSONS + 3}' in many.detail
        first_sample = [i.audit_seq for i, _e in items if i.pattern == "sample"]
        # The same month gives the same sample; building again adds nothing.
        assert logreview.build_sample(month) == 0
    assert "Mange personer åbnet af én bruger" in html and "Adgang uden for arbejdstid" in html
    with app.app_context():
        item_id = db.session.scalar(select(LogReviewItem.id).where(LogReviewItem.pattern == "out_of_hours"))
    marked = client.submit(
        f"/data-protection/log-review/{item_id}",
        {"outcome": "justified"},
        token_from=f"/data-protection/log-review?month={month}",
    )
    assert marked.status_code == 302
    with app.app_context():
        item = db.session.get(LogReviewItem, item_id)
        assert item.reviewed_by_id == leader.id and item.outcome == "justified"
        assert logreview.progress(month) == (1, 3 + logreview.SAMPLE_SIZE)
        assert [i.audit_seq for i, _e in logreview.items_for(month) if i.pattern == "sample"] == first_sample


def test_a_leader_does_not_review_their_own_access(app, client, login_as):
    leader = login_as("leader")
    with app.app_context():
        month = logreview.default_month()
    year, mon = int(month[:4]), int(month[5:])
    with app.app_context():
        _access(leader.id, uuid.uuid4(), datetime(year, mon, 3, 23, 30))
        db.session.commit()
    client.get(f"/data-protection/log-review?month={month}")
    with app.app_context():
        item_id = db.session.scalar(select(LogReviewItem.id))
    client.submit(
        f"/data-protection/log-review/{item_id}",
        {"outcome": "justified"},
        token_from=f"/data-protection/log-review?month={month}",
    )
    with app.app_context():
        assert db.session.get(LogReviewItem, item_id).reviewed_at is None


def test_log_review_is_for_leaders(client, login_as):
    login_as("social_worker")
    assert client.get("/data-protection/log-review").status_code == 403
