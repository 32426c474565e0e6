"""What lands in the database: meeting notes only as ciphertext; subject access, erasure (outcomes survive
as anonymous counts only, no note stays readable) and retention of ended relationships."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select, text

from caseapp.clock import local_today
from caseapp.domains.mentoring.models import FollowUp, Meeting, Outcome, Relationship
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.privacy.tallies import tallies
from tests.conftest import bearer

NOTE = "Aya fortalte om sin gæld og angst for samtalen"


def _meeting_and_outcome(client, token, rel_id):
    today = local_today().isoformat()
    meeting = client.post(
        f"/api/v1/mentoring/relationships/{rel_id}/meetings",
        headers=bearer(token),
        json={"held_on": today, "duration_minutes": 45, "mode": "in_person", "notes": NOTE},
    )
    assert meeting.status_code == 201, meeting.get_json()
    outcome = client.post(
        f"/api/v1/mentoring/relationships/{rel_id}/outcomes",
        headers=bearer(token),
        json={"kind": "job_full_time", "starts_on": today, "verified_by": "contract"},
    )
    assert outcome.status_code == 201


def test_meeting_notes_are_not_stored_in_plaintext(app, client, world, relate, api_token):
    rel_id, _ = relate(world, "a")
    _meeting_and_outcome(client, api_token(world["a"]), rel_id)
    with app.app_context():
        stored = db.session.execute(text("SELECT notes FROM mentoring_meeting")).scalar()
        assert NOTE.encode() not in bytes(stored)
        everything = b"".join(
            bytes(v)
            for table, column in (("mentoring_relationship", "purpose"), ("mentoring_meeting", "notes"))
            for v in db.session.execute(text(f"SELECT {column} FROM {table}")).scalars()
            if v
        )
        assert b"Aya" not in everything and b"detailhandlen" not in everything
        assert db.session.scalar(select(Meeting)).notes == NOTE


def test_export_and_erasure_leave_no_readable_note_and_keep_outcomes_as_counts(app, client, world, relate, api_token):
    from caseapp.domains.dataprotection.erasures import erase_person

    source = next(d.privacy for d in app.extensions["caseapp.domains"] if d.name == "mentoring")
    rel_id, person_id = relate(world, "a")
    _meeting_and_outcome(client, api_token(world["a"]), rel_id)
    pid = uuid.UUID(person_id)
    with app.app_context():
        exported = source.export(pid)
        assert exported[0]["kind"] == "mentoring_relationship"
        assert exported[0]["meetings"][0]["notes"] == NOTE
        assert exported[0]["outcomes"][0]["kind"] == "job_full_time"
        assert "mentor_id" not in exported[0]
        before = tallies("mentoring", "outcome")
        erase_person(pid, "request", "Anmodning fra borgeren", db.session.get(User, world["leader"].id))
        for model in (Relationship, Meeting, Outcome, FollowUp):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0
        assert db.session.execute(text("SELECT count(*) FROM mentoring_meeting")).scalar() == 0
        after = tallies("mentoring", "outcome")
        year = str(local_today().year)
        assert after.get((year, "job_full_time"), 0) == before.get((year, "job_full_time"), 0) + 1


def test_ended_relationships_are_purged_after_their_retention_period(app, world, relate):
    source = next(d.privacy for d in app.extensions["caseapp.domains"] if d.name == "mentoring")
    rel_id, _ = relate(world, "a")
    with app.app_context():
        rel = db.session.get(Relationship, uuid.UUID(rel_id))
        rel.state, rel.ended_on = "ended", local_today() - timedelta(days=10)
        db.session.commit()
        days = app.config["RETENTION"]["mentoring_ended"]
        assert source.expired(local_today()) == []  # not yet due
        due = source.expired(local_today() + timedelta(days=days))
        assert [r.object_id for r in due] == [rel_id]
        source.purge(due[0])
        db.session.commit()
        assert db.session.get(Relationship, uuid.UUID(rel_id)) is None


def test_the_lists_open_only_the_names_and_a_later_whole_load_opens_the_rest(app, world, relate):
    """relationship_list loads a mentee by name only; the same person loaded whole later in the same session
    reads every field in plaintext (the rest opened as it loads), never as ciphertext."""
    from caseapp.crypto.fields import StoredCiphertext
    from caseapp.domains.mentoring.queries import relationship_list
    from caseapp.register.models import Person

    _rel_id, pid = relate(world, "a", cpr="0202901234", phone="12345678")
    with app.app_context():
        leader = db.session.get(User, world["leader"].id)
        listed = db.session.scalars(relationship_list(leader)).all()
        person = listed[0].person
        assert person.full_name == "Aya Nielsen"
        assert {"cpr", "phone"}.isdisjoint(person.__dict__)  # not loaded, so not decrypted
        whole = db.session.scalars(select(Person).where(Person.id == uuid.UUID(pid))).one()
        assert whole is person
        assert (whole.cpr, whole.phone) == ("020290-1234", "12345678")
        assert not isinstance(person.__dict__["cpr"], StoredCiphertext)
