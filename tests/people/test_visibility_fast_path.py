"""A detail view's visibility: the user's own active assignment answers through a statement built once;
anything else through the whole probe. Both answer as the probe alone would, for every user in turn."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from caseapp.domains.dataprotection.models import BreakGlassGrant, ordinary_access_only
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.models.users import User
from caseapp.register.models import Assignment, get_visible_person
from tests.people.factories import make_person


def _visible(pid: str, staff) -> bool:
    db.session.remove()
    return get_visible_person(pid, db.session.get(User, staff.id)) is not None


def test_only_an_active_assignment_of_the_users_own_opens_the_person(app, make_user):
    worker, other = make_user("social_worker"), make_user("social_worker")
    pid = make_person(app, assign_to=[(worker, "counselling")])
    with app.app_context():
        assert _visible(pid, worker) and not _visible(pid, other)
        row = db.session.scalar(db.select(Assignment).where(Assignment.user_id == worker.id))
        row.starts_on = date.today() + timedelta(days=1)  # not yet begun
        db.session.commit()
        assert not _visible(pid, worker)
        row = db.session.scalar(db.select(Assignment).where(Assignment.user_id == worker.id))
        row.starts_on, row.ends_on = date.today() - timedelta(days=9), date.today() - timedelta(days=1)  # ended
        db.session.commit()
        assert not _visible(pid, worker) and not _visible(pid, other)


def test_a_person_reached_only_through_a_scope_is_still_found(app, make_user):
    worker = make_user("social_worker")
    pid = make_person(app)  # not assigned to anyone
    with app.app_context():
        assert not _visible(pid, worker)
        grant = BreakGlassGrant(user_id=worker.id, person_id=uuid.UUID(pid), reason="Akut", granted_at=utcnow())
        grant.expires_at = grant.granted_at + timedelta(minutes=30)
        db.session.add(grant)
        db.session.commit()
        assert _visible(pid, worker)  # through the emergency grant's scope
        with ordinary_access_only():
            assert not _visible(pid, worker)  # and only through it


def test_a_leader_sees_everyone_without_a_probe(app, make_user):
    leader = make_user("leader")
    pid = make_person(app)
    with app.app_context():
        assert _visible(pid, leader)
