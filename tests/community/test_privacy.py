"""Volunteers in subject access, erasure (hours survive as anonymous totals) and retention."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select

from caseapp.clock import local_today
from caseapp.domain import privacy_sources
from caseapp.domains.community.models import Association, Placement, Vetting, Volunteer, VolunteerHours
from caseapp.extensions import db
from tests.community import factories as f


def _source():
    return next(s for s in privacy_sources() if s.domain == "community")


def test_export_and_erasure_keep_the_hours_as_anonymous_totals(app, make_user):
    coordinator = make_user("coordinator")
    vid = f.volunteer(app, coordinator)
    aid = f.activity(app, coordinator)
    f.vet(app, vid, coordinator, note="Ingen anmærkninger")
    f.place(app, vid, aid, coordinator)
    first = local_today().replace(day=1) - timedelta(days=40)
    f.hours(app, vid, aid, coordinator, amount=2.0, day=first)
    f.hours(app, vid, aid, coordinator, amount=1.5, day=first + timedelta(days=1))
    assoc = f.association(app, coordinator, name="Forening", contact_volunteer_id=vid)
    with app.app_context():
        person_id = db.session.get(Volunteer, uuid.UUID(vid)).person_id
        exported = _source().export(person_id)
        kinds = [r["kind"] for r in exported]
        assert kinds.count("community_hours") == 2 and "community_vetting" in kinds
        assert next(r for r in exported if r["kind"] == "community_vetting")["note"] == "Ingen anmærkninger"
        counts = _source().erase(person_id)
        db.session.commit()
        assert counts["volunteer"] == 1 and counts["hours_anonymised"] == 2
        assert db.session.scalar(select(func.count()).select_from(Vetting)) == 0
        assert db.session.scalar(select(func.count()).select_from(Placement)) == 0
        rows = db.session.scalars(select(VolunteerHours)).all()
        assert len(rows) == 1 and rows[0].person_id is None and rows[0].volunteer_id is None and rows[0].anonymous
        assert float(rows[0].hours) == 3.5 and rows[0].given_on.day == 1
        assert db.session.get(Association, uuid.UUID(assoc)).contact_volunteer_id is None
        assert _source().export(person_id) == []


def test_retention_lists_only_volunteers_who_ended_long_enough_ago(app, make_user):
    coordinator = make_user("coordinator")
    today = local_today()
    old = f.volunteer(
        app,
        coordinator,
        first_name="Gammel",
        started_on=today - timedelta(days=2000),
        ended_on=today - timedelta(days=2 * 365 + 5),
    )
    f.volunteer(
        app,
        coordinator,
        first_name="Nylig",
        started_on=today - timedelta(days=900),
        ended_on=today - timedelta(days=30),
    )
    f.volunteer(app, coordinator, first_name="Aktiv")
    with app.app_context():
        due = _source().expired(today)
        assert [r.object_id for r in due] == [old]
        _source().purge(due[0])
        db.session.commit()
        assert db.session.get(Volunteer, uuid.UUID(old)) is None
        assert db.session.scalar(select(func.count()).select_from(Volunteer)) == 2


def test_the_records_of_processing_name_the_volunteer_tables(app):
    from caseapp.extensions import db as database

    processed = {
        m.class_.__tablename__
        for m in database.Model.registry.mappers
        if getattr(m.class_, "__processing__", None) is not None
    }
    assert {
        "community_volunteer",
        "community_vetting",
        "community_placement",
        "community_hours",
        "community_volunteer_association",
    } <= processed
