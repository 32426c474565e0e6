"""The one declaration a domain makes of itself (`DOMAIN = Domain(...)` in its package's `__init__`).

The app lists its domains once (`caseapp/domains/__init__.py`); everything that spans domains
(navigation, landing page, person page, agenda, programmes, consent purposes, retention defaults,
subject access, erasure, records of processing, demo data, the command line, the measures reports count) reads
these declarations through `domains()`, never a module-name convention.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from flask import Blueprint, current_app


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object
    permission: object | None  # a Permission; None: every logged-in user
    # Endpoints starting with this mark the entry as the current page (default: its blueprint).
    section: str | None = None

    @property
    def prefix(self) -> str:
        return self.section or self.endpoint.rsplit(".", 1)[0] + "."


@dataclass(frozen=True)
class Programme:
    """A kind of frontline work a staff member is assigned to a person for (DESIGN §2: "assigned")."""

    code: str  # stored in Assignment.programme
    label: object
    roles: tuple[str, ...]  # roles whose assignments in this programme open the person to them


@dataclass(frozen=True)
class AgendaItem:
    """One thing due on a day in a user's week (a session, a meeting, a follow-up, a deadline)."""

    day: date
    label: str
    url: str
    kind: object  # translated, e.g. "Counselling session"
    overdue: bool = False


@dataclass(frozen=True)
class Measure:
    """Records of one kind a domain offers the plan's indicators (reporting counts them, never reads them).

    `rows()` returns a SELECT with these labelled columns, one row per record:
      record_id (str), person_id (the person's UUID; NULL for an anonymous tally), day (date),
      tag_type and tag_id (the plan-tagged record this row counts under: PlanTag.record_type/record_id,
      e.g. a course for its attendance rows; tag_id may be the id column itself: reports compare
      str(tag_id) with PlanTag.record_id, as set_tags stores it), programme (str or NULL), outcome (str code or NULL),
      headcount (int: 1 for a person's record; the number counted for an anonymous tally).
    Anonymous tallies (head counts) may add age_band, gender and resident columns; persons' breakdowns
    come from the register (birth year, gender, housing section).
    Optional `quantity` (number or NULL): an amount the record carries beside its headcount, e.g. the
    hours of a volunteer-hours entry (unit "contacts", headcount 1) or the kroner or hours of a support
    given to an association (unit "outcomes", person_id NULL, outcome the kind of support). Indicators
    that sum an amount sum `quantity`; those that count records count rows or sum `headcount`.
    Optional `months` (integer): the interval of a follow-up row (3 or 6: retention at N months).

    Optional declarations (reports' labels): `outcomes` names the outcome codes, `programmes` the
    programme codes (a concern's category, a course's kind). Reports read measures only through
    `caseapp.domain.all_measures()`; an indicator naming a code no domain declares is "not available".
    """

    code: str  # "<domain>.<kind>", e.g. "mentoring.meeting": stable, indicators refer to it
    label: object
    unit: str  # "persons" (a participation), "contacts" (a session, meeting), "outcomes", "headcount"
    rows: Callable[[], object]
    outcomes: Mapping[str, object] = field(default_factory=dict)  # outcome code -> label
    programmes: Mapping[str, object] = field(default_factory=dict)  # programme code -> label


@dataclass(frozen=True)
class Domain:
    name: str  # the blueprint name, the catalogue's area, the audit prefix
    package: str  # the package that holds it (its tables, verbs, templates, catalogue): usually __name__
    blueprint: Blueprint | None = None
    api: Blueprint | None = None  # nested under /api/v1 as endpoint namespace "api.<name>"
    navigation: tuple[NavEntry, ...] = ()
    programmes: tuple[Programme, ...] = ()
    consent_purposes: Mapping[str, object] = field(default_factory=dict)  # stable key -> label
    # RETENTION key -> default days (CASEAPP_RETENTION overrides)
    retention: Mapping[str, int] = field(default_factory=dict)
    privacy: object | None = None  # a caseapp.privacy.PersonalDataSource
    # role -> callables (user) -> a SELECT of person ids this domain opens to that role
    person_scopes: Mapping[str, tuple[Callable, ...]] = field(default_factory=dict)
    # (person_id, purpose, reason) -> how many processings or shares ended; flush and audit only
    consent_withdrawal: tuple[Callable, ...] = ()
    landing_panels: tuple[Callable, ...] = ()  # (user) -> HTML or None
    # Roles whose landing page opens on this part's panels, before every other part's (app order otherwise)
    landing_first_for: frozenset[str] = frozenset()
    person_sections: tuple[Callable, ...] = ()  # (user, person) -> HTML or None
    agenda: tuple[Callable, ...] = ()  # (user, start, end) -> list[AgendaItem]
    seeder: Callable | None = None  # (staff, count, seed) -> report lines
    cli: tuple = ()  # click groups added to `caseapp` (e.g. `caseapp retention ...`)
    measures: tuple[Measure, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict)  # anything a platform part reads by name


def domains() -> tuple[Domain, ...]:
    """The app's domains in their one order (navigation, panels, sections, seeding)."""
    return current_app.extensions["caseapp.domains"]


def all_programmes() -> tuple[Programme, ...]:
    return tuple(p for d in domains() for p in d.programmes)


def role_programmes(role: str) -> tuple[str, ...]:
    return tuple(p.code for p in all_programmes() if role in p.roles)


def all_measures() -> tuple[Measure, ...]:
    return tuple(m for d in domains() for m in d.measures)


def provided(name: str) -> list:
    """What the app's domains offer each other under `name` in `extra` (a domain never imports another):
    e.g. "child_vetting", a callable (person_id, day) -> "valid" | "missing" | "expired" | "refused"."""
    return [d.extra[name] for d in domains() if name in d.extra]


def consent_purposes() -> dict[str, object]:
    return {key: label for d in domains() for key, label in d.consent_purposes.items()}


def privacy_sources() -> list:
    return [d.privacy for d in domains() if d.privacy is not None]


def person_scopes(role: str) -> list[Callable]:
    return [scope for d in domains() for scope in d.person_scopes.get(role, ())]


class Declared(Mapping):
    """{code: label} of what the app's domains declare, read when used (inside the app), so labels
    and choices built at import time still follow the declarations."""

    def __init__(self, read: Callable[[], Mapping]):
        self._read = read

    def __getitem__(self, key):
        return self._read()[key]

    def __iter__(self):
        return iter(self._read())

    def __len__(self):
        return len(self._read())


DECLARED_PURPOSES = Declared(consent_purposes)
DECLARED_PROGRAMMES = Declared(lambda: {p.code: p.label for p in all_programmes()})
