"""The counselling demo seeder writes in bulk the rows the verbs would write: every sealed field opens
for the case's counsellor, the family is assigned to them, caseloads are capped, each case is tagged
to the plan, a year of sessions, monthly attendance and parent groups, the verbs work on what it made,
and the seeding is one audit event of a chain that still verifies."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from caseapp.audit import verify_chain
from caseapp.clock import local_today
from caseapp.crypto.fields import unreadable_reference
from caseapp.domains.counselling import cases
from caseapp.domains.counselling.access import PROGRAMME, get_visible_case
from caseapp.domains.counselling.demo import CASES_PER_COUNSELLOR, GROUP_MONTHS
from caseapp.domains.counselling.inputs import ActionChanges
from caseapp.domains.counselling.models import (
    PLAN_RECORD,
    AttendanceRecord,
    CounsellingCase,
    GroupAttendance,
    GroupSession,
)
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.users import User
from caseapp.plan.tagging import PlanTag
from caseapp.register.models import Assignment


def _sealed_fields_open(records) -> None:
    for record in records:
        assert unreadable_reference(record) is None, f"{type(record).__name__} {record.id} does not open"


def test_the_bulk_seeded_cases_read_as_the_verbs_would_have_written_them(app, make_user):
    from caseapp.demo import seed

    workers = [make_user("social_worker"), make_user("social_worker")]
    make_user("leader")
    with app.app_context():
        seed(people=400, seed=5, accounts=False)
        today = local_today()
        made = db.session.scalars(select(CounsellingCase)).all()
        assert made
        by_worker = {}
        for case in made:
            by_worker.setdefault(case.created_by_id, []).append(case.id)
        assert set(by_worker) <= {w.id for w in workers}
        assert all(len(ids) <= CASES_PER_COUNSELLOR for ids in by_worker.values())
        assigned = set(
            db.session.execute(
                select(Assignment.user_id, Assignment.person_id).where(Assignment.programme == PROGRAMME)
            ).all()
        )
        tagged = set(db.session.scalars(select(PlanTag.record_id).where(PlanTag.record_type == PLAN_RECORD)))
        for listed in made:
            worker = db.session.get(User, listed.created_by_id)
            case = get_visible_case(listed.id, worker, with_sessions=True)
            assert case is not None, "the counsellor cannot see the case the seeder gave them"
            assert {(worker.id, p) for p in (case.person_id, *case.child_ids)} <= assigned
            assert str(case.id) in tagged
            _sealed_fields_open([case, *case.goals, *case.sessions, *case.actions, *case.referrals])
            assert case.background and case.goals[0].description
            held = sorted(s.held_on for s in case.sessions)
            assert held and case.started_on < held[0] and held[-1] <= today
            assert all(s.notes and s.attendees for s in case.sessions)
            records = db.session.scalars(select(AttendanceRecord).where(AttendanceRecord.case_id == case.id)).all()
            _sealed_fields_open(records)
            assert all(r.child_id in case.child_ids and float(r.attendance_percent) >= 40 for r in records)
        open_actions = [a for c in made if c.status == "open" for a in c.actions if a.status == "open"]
        assert any(abs((a.due_on - today).days) <= 14 for a in open_actions), "nothing due around today"
        # A year of parent groups, each counsellor's, with parents of their own open cases in the register.
        groups = db.session.scalars(select(GroupSession)).all()
        assert len(groups) == GROUP_MONTHS * len({c.created_by_id for c in made if c.status == "open"})
        assert min(g.held_on for g in groups) < today - timedelta(days=300)
        for row in db.session.scalars(select(GroupAttendance)):
            assert row.case.status == "open" and row.case.person_id == row.person_id

        # The verbs work on what the seeder made (versions, keys, access).
        action = open_actions[0]
        worker = db.session.get(User, action.case.created_by_id)
        assert cases.update_action(action, ActionChanges(status="done", due_on=action.due_on), action.version, worker)
        db.session.commit()

        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "demo.seed", AuditEvent.object_type == "counselling_case")
        ).all()
        assert len(events) == 1 and json.loads(events[0].detail)["counselling_case"] == len(made)
        assert db.session.scalar(select(func.count()).where(AuditEvent.action.like("counselling.%"))) == 1
        checked, broken = verify_chain()
        assert broken is None and checked > 0
