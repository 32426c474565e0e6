"""Programmes, mentors and relationships for the tests, made through the same verbs the pages use."""

from __future__ import annotations

import uuid

import pytest

from caseapp.domains.mentoring import services
from caseapp.domains.mentoring.inputs import AnswerInput, MentorInput, ProgrammeInput, ProposalInput
from caseapp.extensions import db
from caseapp.models.users import User
from tests.people.factories import make_person

ROLES_WITHOUT_MENTORING = ("social_worker", "course_leader", "ssp", "police", "coordinator", "analyst", "admin")


@pytest.fixture
def world(app, make_user):
    """A leader, two staff mentors with profiles, and a job-mentoring programme (needs acceptance)."""
    leader = make_user("leader")
    mentor_a = make_user("mentor", name="Mads Mentor")
    mentor_b = make_user("mentor", name="Mira Mentor")
    with app.app_context():
        actor = db.session.get(User, leader.id)
        programme = services.save_programme(ProgrammeInput("job_mentoring", "Jobmentor", 18, 64, True), actor)
        leisure = services.save_programme(ProgrammeInput("leisure_job", "Fritidsjob", 13, 17, False), actor)
        profile_a = services.save_mentor(
            MentorInput(capacity=2, languages=("da", "ar"), focus_areas=("job",), user_id=mentor_a.id), actor
        )
        profile_b = services.save_mentor(MentorInput(capacity=2, languages=("da",), user_id=mentor_b.id), actor)
        db.session.commit()
        ids = {
            "programme": programme.id,
            "leisure": leisure.id,
            "profile_a": str(profile_a.id),
            "profile_b": str(profile_b.id),
        }
    return {"leader": leader, "a": mentor_a, "b": mentor_b, **ids}


@pytest.fixture
def relate(app):
    """relate(world, mentor_key="a", accept=True, programme="programme", **person) -> (relationship id, person id)."""

    def make(world, mentor_key="a", *, accept=True, programme="programme", override=False, **person):
        fields = {"first_name": "Aya", "last_name": "Nielsen", "cpr": "0101901234"} | person
        pid = make_person(app, **fields)
        with app.app_context():
            leader = db.session.get(User, world["leader"].id)
            rel = services.propose(
                ProposalInput(
                    person_id=uuid.UUID(pid),
                    programme_id=world[programme],
                    mentor_id=uuid.UUID(world[f"profile_{mentor_key}"]),
                    purpose="Job i detailhandlen",
                    contact_every_days=14,
                    capacity_override=override,
                    override_reason="Akut" if override else None,
                ),
                leader,
            )
            if accept is not None and rel.state == "proposed":
                mentor = db.session.get(User, world[mentor_key].id)
                services.answer(rel, AnswerInput(accept=accept, reason=None if accept else "Ingen tid"), mentor)
            db.session.commit()
            return str(rel.id), pid

    return make
