"""The community demo seeder's year of activity, written in bulk: each recurring activity has a weekly
occurrence for a year, none before it started, each total the sum of its anonymous head counts; the placed
volunteers' hours cover the year; the bulk part is one audit event of a chain that still verifies."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from caseapp.audit import verify_chain
from caseapp.clock import local_today
from caseapp.domains.community.demo import WEEKS
from caseapp.domains.community.models import Activity, HeadCount, Occurrence, VolunteerHours
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent


def test_a_year_of_weekly_head_counts_and_hours_in_bulk(app, make_user):
    from caseapp.demo import seed

    for role in ("social_worker", "coordinator", "leader"):
        make_user(role)
    with app.app_context():
        seed(people=200, seed=9, accounts=False)
        today = local_today()
        recurring = db.session.scalars(select(Activity).where(Activity.recurring.is_(True))).all()
        assert recurring
        for activity in recurring:
            held = sorted(o.held_on for o in activity.occurrences)
            assert len(held) == WEEKS and len(set(held)) == WEEKS
            assert held[0] >= activity.starts_on and held[-1] < today
            assert held[0] <= today - timedelta(days=350)
        for occurrence in db.session.scalars(select(Occurrence)):
            counted = db.session.scalar(
                select(func.sum(HeadCount.count)).where(HeadCount.occurrence_id == occurrence.id)
            )
            assert occurrence.total == counted
        hours = db.session.scalars(select(VolunteerHours)).all()
        assert hours and all(h.person_id and 0 < h.hours <= 24 for h in hours)
        assert min(h.given_on for h in hours) <= today - timedelta(days=350)
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "demo.seed", AuditEvent.object_type == "community_activity")
        )
        detail = json.loads(event.detail)
        assert detail["community_occurrence"] == WEEKS * len(recurring)
        assert detail["community_hours"] == len(hours)
        checked, broken = verify_chain()
        assert broken is None and checked > 0
