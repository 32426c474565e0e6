"""The demo seed is consistent and deterministic for mentoring: a mentor is assigned to a mentee only
through an open relationship of theirs (none from the register's seeder), and the same --seed gives
the same relationships, meetings, goals, jobs, outcomes and guidance tallies."""

from __future__ import annotations

from sqlalchemy import delete, select

from caseapp.domains.mentoring.access import OPEN_STATES, PROGRAMME
from caseapp.domains.mentoring.models import GuidanceTally, Mentor, Relationship
from caseapp.extensions import db
from caseapp.register.models import Assignment, active_assignment_clause


def _signature() -> list[tuple]:
    rels = db.session.scalars(select(Relationship)).all()
    rows = sorted(
        (
            r.person.full_name,
            r.programme.name,
            r.state,
            r.mentor.display_name if r.mentor else None,
            len(r.meetings),
            len(r.goals),
            len(r.placements),
            len(r.outcomes),
        )
        for r in rels
    )
    tallies = sorted((t.place, t.held_on, t.headcount) for t in db.session.scalars(select(GuidanceTally)))
    return [*rows, *tallies]


def _mentoring_assignments() -> set[tuple]:
    return set(
        db.session.execute(
            select(Assignment.user_id, Assignment.person_id).where(
                Assignment.programme == PROGRAMME, active_assignment_clause()
            )
        ).all()
    )


def _open_staff_relationships() -> set[tuple]:
    return set(
        db.session.execute(
            select(Mentor.user_id, Relationship.person_id)
            .join(Mentor, Mentor.id == Relationship.mentor_id)
            .where(Relationship.state.in_(OPEN_STATES), Mentor.user_id.is_not(None))
        ).all()
    )


def _wipe_all_but_staff() -> None:
    from caseapp.audit import append_only

    keep = {"user", "audit_event"}
    with append_only.lifted(db.session):
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in keep:
                db.session.execute(delete(table))
    db.session.commit()
    db.session.expunge_all()  # the rows are gone: none of their objects may stand for the next seed's


def test_the_demo_assigns_mentors_only_through_open_relationships_and_repeats_with_its_seed(app, make_user):
    from caseapp.demo import seed

    for role in ("leader", "mentor", "mentor", "social_worker", "course_leader"):
        make_user(role, name=f"Demo {role}")
    with app.app_context():
        seed(people=80, seed=11, accounts=False)
        assigned, related = _mentoring_assignments(), _open_staff_relationships()
        assert related, "the demo made no open relationship with a staff mentor"
        assert assigned == related
        first = _signature()
        assert any(row[2] == "active" for row in first if len(row) > 3)
        _wipe_all_but_staff()
        seed(people=80, seed=11, accounts=False)
        assert _signature() == first
        assert _mentoring_assignments() == _open_staff_relationships()
