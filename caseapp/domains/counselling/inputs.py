"""What the verbs of parent counselling take: typed, shape-checked input (the forms' `to_input()` make
these, and the demo seeder builds them directly). The verbs check only what needs the database:
visibility, state, uniqueness."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from caseapp.plan.tagging import TagInput


@dataclass(frozen=True)
class CaseOpening:
    person_id: uuid.UUID  # the parent the case is for
    started_on: date
    focus_areas: tuple[str, ...]
    children: tuple[uuid.UUID, ...] = ()
    background: str | None = None
    household_id: uuid.UUID | None = None
    # The household was not said (the API may leave it out): take the parent's, if they have exactly one.
    only_household: bool = False
    plan_tags: TagInput | None = None  # what the case serves in the current funding period


@dataclass(frozen=True)
class CaseChanges:
    """A case's editable values as they should be after the save (a PATCH lays what it sends over the rest)."""

    status: str
    started_on: date
    focus_areas: tuple[str, ...]
    children: tuple[uuid.UUID, ...] = ()
    background: str | None = None
    closing_reason: str | None = None
    closing_note: str | None = None
    plan_tags: TagInput | None = None  # None: the case's tags stay as they are


@dataclass(frozen=True)
class GoalInput:
    description: str
    status: str = "agreed"
    agreed_on: date | None = None  # None: today


@dataclass(frozen=True)
class GoalChanges:
    description: str
    status: str


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: str
    due_on: date


@dataclass(frozen=True)
class SessionInput:
    held_on: date
    duration_minutes: int
    kind: str
    notes: str
    attendees: tuple[uuid.UUID, ...] = ()
    other_attendees: str | None = None
    topics: tuple[str, ...] = ()
    next_follow_up: date | None = None
    actions: tuple[ActionInput, ...] = ()


@dataclass(frozen=True)
class AmendmentInput:
    text: str
    reason: str | None = None


@dataclass(frozen=True)
class ActionChanges:
    status: str
    due_on: date


@dataclass(frozen=True)
class AttendanceInput:
    child_id: uuid.UUID
    institution_kind: str
    period_start: date
    period_end: date
    attendance_percent: float | None = None  # one of the two at least
    days_absent: int | None = None
    concern: bool = False
    institution_name: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ReferralInput:
    service: str
    referred_on: date
    status: str = "planned"
    service_other: str | None = None  # only for the service "other"
    person_id: uuid.UUID | None = None  # None: the family
    outcome: str | None = None


@dataclass(frozen=True)
class GroupSessionInput:
    title: str
    held_on: date
    duration_minutes: int
    topics: tuple[str, ...] = ()
    area: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Registration:
    """A parent marked present at a group meeting, by their case."""

    case_id: uuid.UUID
