"""The records mentoring offers the plan's indicators: each measure's rows() runs on the database and
returns the documented columns with the right rows (persons, contacts, outcomes, head counts)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from caseapp.clock import local_today
from caseapp.domain import Measure, all_measures
from caseapp.domains.mentoring import services
from caseapp.domains.mentoring.inputs import (
    EmployerInput,
    FollowUpInput,
    MeetingInput,
    OutcomeInput,
    PlacementInput,
    TallyInput,
)
from caseapp.domains.mentoring.models import Relationship
from caseapp.extensions import db
from caseapp.models.users import User

COLUMNS = {"record_id", "person_id", "day", "tag_type", "tag_id", "programme", "outcome", "headcount"}


def _rows(code: str) -> list:
    measure = next(m for m in all_measures() if m.code == code)
    assert isinstance(measure, Measure)
    result = db.session.execute(measure.rows())
    assert COLUMNS <= set(result.keys())
    return [row._mapping for row in result]


def test_every_measure_runs_and_counts_what_it_says(app, world, relate):
    rel_id, person_id = relate(world, "a")
    declined_id, _ = relate(world, "b", accept=False, first_name="Omar")
    young_id, young_person = relate(world, "a", accept=None, programme="leisure", cpr="0103114123", first_name="Ali")
    today = local_today()
    with app.app_context():
        mentor = db.session.get(User, world["a"].id)
        leader = db.session.get(User, world["leader"].id)
        rel = db.session.get(Relationship, uuid.UUID(rel_id))
        young = db.session.get(Relationship, uuid.UUID(young_id))
        rel.started_on = today - timedelta(days=300)
        services.record_meeting(rel, MeetingInput(today, 45, "phone", "Notat"), mentor)
        services.record_meeting(rel, MeetingInput(today, 30, "video", "Notat"), mentor)
        outcome = services.record_outcome(
            rel, OutcomeInput("job_part_time", today - timedelta(days=200), "payslip"), mentor
        )
        services.record_followup(outcome.followups[0], FollowUpInput(True, "in_job"), mentor, None)
        employer = services.save_employer(EmployerInput("Netto"), mentor)
        placement = services.add_placement(young, PlacementInput(employer.id, today, 6, "Mor", True), mentor)
        placement.became_permanent = True
        services.add_tally(TallyInput(world["leisure"], "Bøgeparkens Skole", today, 14), leader)
        db.session.flush()

        relationships = {r["record_id"].replace("-", ""): r for r in _rows("mentoring.relationship")}
        assert uuid.UUID(rel_id).hex in relationships and uuid.UUID(young_id).hex in relationships
        assert uuid.UUID(declined_id).hex not in relationships  # a declined proposal is no participation
        job = relationships[uuid.UUID(rel_id).hex]
        assert job["outcome"] == "in_job" and job["programme"] == "job_mentoring" and job["headcount"] == 1
        assert job["tag_type"] == "mentoring_programme" and job["tag_id"] == str(world["programme"])
        assert str(job["person_id"]).replace("-", "") == uuid.UUID(person_id).hex

        meetings = _rows("mentoring.meeting")
        assert len(meetings) == 2 and {m["day"] for m in meetings} == {today}

        jobs = _rows("mentoring.leisure_job")
        assert [(j["programme"], j["outcome"]) for j in jobs] == [("leisure_job", "permanent")]
        assert str(jobs[0]["person_id"]).replace("-", "") == uuid.UUID(young_person).hex

        outcomes = _rows("mentoring.outcome")
        assert [o["outcome"] for o in outcomes] == ["job_part_time"]

        followups = _rows("mentoring.followup")  # only the recorded one counts
        assert [(f["outcome"], f["months"]) for f in followups] == [("in_job", 3)]

        guidance = _rows("mentoring.guidance")
        assert [(g["headcount"], g["person_id"]) for g in guidance] == [(14, None)]
        db.session.rollback()


def test_the_measures_declare_their_units_and_outcome_codes(app):
    with app.app_context():
        measures = {m.code: m for m in all_measures() if m.code.startswith("mentoring.")}
    assert {code: m.unit for code, m in measures.items()} == {
        "mentoring.relationship": "persons",
        "mentoring.meeting": "contacts",
        "mentoring.leisure_job": "persons",
        "mentoring.outcome": "outcomes",
        "mentoring.followup": "outcomes",
        "mentoring.guidance": "headcount",
    }
    assert {"in_job", "in_education", "retained"} <= set(measures["mentoring.followup"].outcomes)
    assert {"in_job", "in_education"} <= set(measures["mentoring.relationship"].outcomes)
