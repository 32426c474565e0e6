"""What the verbs of mentoring take: typed, shape-checked input (the forms' `to_input()` make these, and
the demo seeder builds them directly). The verbs check what needs the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from caseapp.plan.tagging import TagInput


@dataclass(frozen=True)
class ProgrammeInput:
    kind: str
    name: str
    age_min: int | None
    age_max: int | None
    needs_acceptance: bool
    followup_months: tuple[int, ...] = (3, 6)
    active: bool = True
    plan_tags: TagInput | None = None


@dataclass(frozen=True)
class MentorInput:
    capacity: int
    languages: tuple[str, ...] = ()
    focus_areas: tuple[str, ...] = ()
    paused_from: date | None = None
    user_id: int | None = None  # a staff mentor
    person_id: uuid.UUID | None = None  # a volunteer mentor (a person of the register)


@dataclass(frozen=True)
class ProposalInput:
    person_id: uuid.UUID
    programme_id: int
    mentor_id: uuid.UUID
    purpose: str | None = None
    mentor_tasks: str | None = None
    contact_every_days: int | None = 14
    capacity_override: bool = False
    override_reason: str | None = None
    age_confirmed: bool = False  # the leader confirms a mentee outside the programme's age band


@dataclass(frozen=True)
class AnswerInput:
    accept: bool
    reason: str | None = None


@dataclass(frozen=True)
class StateInput:
    state: str
    reason: str | None = None  # the end reason, for "ended"


@dataclass(frozen=True)
class PlanInput:
    purpose: str | None
    mentor_tasks: str | None
    contact_every_days: int | None
    plan_tags: TagInput | None = None


@dataclass(frozen=True)
class GoalInput:
    kind: str
    description: str | None = None
    target_on: date | None = None
    status: str = "planned"


@dataclass(frozen=True)
class GoalChanges:
    status: str
    target_on: date | None = None
    progress_note: str | None = None  # appended to the goal's progress notes


@dataclass(frozen=True)
class MeetingInput:
    held_on: date
    duration_minutes: int
    mode: str
    notes: str
    goal_ids: tuple[uuid.UUID, ...] = ()
    next_meeting_on: date | None = None


@dataclass(frozen=True)
class AmendmentInput:
    text: str
    reason: str | None = None


@dataclass(frozen=True)
class EmployerInput:
    company: str
    contact_person: str | None = None
    contact_phone: str | None = None
    branch: str | None = None
    cvr: str | None = None


@dataclass(frozen=True)
class PlacementInput:
    employer_id: uuid.UUID
    starts_on: date
    hours_per_week: int
    parent_contact: str | None = None
    parent_consent: bool = False
    parent_consent_on: date | None = None


@dataclass(frozen=True)
class PlacementEnd:
    ended_on: date | None
    end_reason: str | None
    became_permanent: bool = False
    bridged_to_job: bool = False


@dataclass(frozen=True)
class OutcomeInput:
    kind: str
    starts_on: date
    verified_by: str
    note: str | None = None


@dataclass(frozen=True)
class FollowUpInput:
    still_there: bool
    result: str
    what_changed: str | None = None
    recorded_on: date | None = None  # None: today


@dataclass(frozen=True)
class TallyInput:
    programme_id: int
    place: str
    held_on: date
    headcount: int


@dataclass(frozen=True)
class WorkRuleInput:
    age_min: int
    age_max: int
    text: str
