"""The concerns demo seeder writes in bulk what filing, triage, actions, shares and the filer's
notifications would write: every sealed field opens for SSP, each concern's transitions chain to its
state and version, the filer knows the young person and was told of each step, one notification is
overdue, the verbs go on from what it made, and the seeding is one event of a chain that verifies."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from caseapp.audit import verify_chain
from caseapp.crypto.fields import unreadable_reference
from caseapp.domains.concerns import services
from caseapp.domains.concerns.models import ConcernNotification
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.users import User
from caseapp.platform.notifications.models import Notification
from caseapp.register.models import Assignment


def test_the_bulk_seeded_concerns_read_and_move_on_as_the_verbs_would_have_made_them(app, make_user):
    from caseapp.demo import seed

    for role in ("social_worker", "mentor", "course_leader", "leader"):
        make_user(role)
    ssp_user = make_user("ssp")
    with app.app_context():
        report = seed(people=600, seed=4, accounts=False)
        assert any(line.startswith("seeded 50 concerns") for line in report)
        ssp = db.session.get(User, ssp_user.id)
        listed = db.session.scalars(services.list_query(ssp)).all()
        assert len(listed) == 50
        assigned = set(db.session.execute(select(Assignment.user_id, Assignment.person_id)).all())
        for concern in listed:
            found = services.get_concern(concern.id, ssp)
            assert found is not None
            assert (concern.filed_by_id, concern.person_id) in assigned
            records = [concern, *concern.transitions, *concern.actions, *concern.shares]
            assert all(unreadable_reference(r) is None for r in records)
            assert concern.summary and concern.description
            steps = sorted(concern.transitions, key=lambda t: t.at)
            state = "new"
            for step in steps:
                assert step.from_state == state and step.note
                state = step.to_state
            assert concern.state == state and concern.version == 1 + len(steps)
            if any(s.to_state == "action_agreed" for s in steps):
                assert concern.actions
            assert all(s.is_active and s.legal_basis == "ssp_115" for s in concern.shares)
        assert sum(c.severity == "acute" and c.state == "new" for c in listed) >= 1
        sent = Counter(db.session.scalars(select(Notification.user_id).where(Notification.kind == "concern.status")))
        everything = Counter(db.session.scalars(select(Notification.user_id)))
        for user_id, number in everything.items():
            assert db.session.scalar(select(User.unread_notifications).where(User.id == user_id)) == number
        assert sum(len(c.transitions) for c in listed if c.filed_by_id != ssp.id) == sum(sent.values())
        assert len(db.session.scalars(services.overdue_notifications(ssp)).all()) == 1
        assert db.session.scalar(select(func.count(ConcernNotification.id))) >= 1

        moving = next(c for c in listed if c.state == "in_triage")
        services.transition(moving, "in_ssp", "Løftes til SSP-gruppen.", ssp, moving.version)
        db.session.commit()

        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "demo.seed", AuditEvent.object_type == "concern")
        ).all()
        assert len(events) == 1
        checked, broken = verify_chain()
        assert broken is None and checked > 0
