"""`caseapp logreview sample [--month YYYY-MM]`: draws the month's sample from the command line (cron on
the 1st), prints only how many items were added, tells every leader in the app, and is audited."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from caseapp.domains.dataprotection import logreview
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.platform.notifications.models import Notification
from tests.dataprotection.test_log_review import _access


def _month_of_access(app, worker, month: str, people: list) -> None:
    year, mon = int(month[:4]), int(month[5:])
    with app.app_context():
        for n, person in enumerate(people):
            _access(worker.id, person, datetime(year, mon, 10, 10, 0) + timedelta(minutes=n))
        db.session.commit()


def test_the_command_draws_the_sample_and_tells_the_leaders(app, make_user):
    leaders = [make_user("leader", name="Lene Leder"), make_user("leader")]
    worker = make_user("social_worker", name="Sara Socialrådgiver")
    people = [uuid.uuid4() for _ in range(8)]
    _month_of_access(app, worker, "2026-03", people)
    runner = app.test_cli_runner()

    result = runner.invoke(args=["logreview", "sample", "--month", "2026-03"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "8 item(s) added to the log-review sample for 2026-03"
    # Nothing personal: no person, no staff member, no audit detail.
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}", result.output) and "Sara" not in result.output
    with app.app_context():
        assert len(logreview.items_for("2026-03")) == 8
        notes = db.session.scalars(select(Notification).where(Notification.kind == "logreview.sample")).all()
        assert sorted(n.user_id for n in notes) == sorted(s.id for s in leaders)
        assert {n.url for n in notes} == {"/data-protection/log-review?month=2026-03"}
        assert all("2026-03" in n.text and "Sara" not in n.text for n in notes)
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "logreview.sample")).all()
        assert event.actor_id is None and event.actor_roles == "system" and event.object_id == "2026-03"
        assert json.loads(event.detail) == {"added": 8}

    again = runner.invoke(args=["logreview", "sample", "--month", "2026-03"])
    assert again.exit_code == 0 and again.output.startswith("0 item(s) added"), "a second run adds nothing"
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Notification)) == 2, "no one is told twice"


def test_the_default_month_is_the_one_just_ended_and_a_bad_month_is_refused(app, make_user):
    make_user("leader")
    runner = app.test_cli_runner()
    with app.app_context():
        expected = logreview.default_month()
    result = runner.invoke(args=["logreview", "sample"])
    assert result.exit_code == 0 and result.output.strip().endswith(f"for {expected}"), result.output
    bad = runner.invoke(args=["logreview", "sample", "--month", "2026-13"])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output
    with app.app_context():
        assert db.session.scalars(select(Notification)).all() == [], "an empty sample tells no one"
