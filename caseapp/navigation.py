"""The main navigation and the landing-page panels, each entry shown only to who may use it.

Domains add their entries where they are registered; the layout reads them from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from caseapp.security.permissions import Permission, can


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object
    permission: Permission | None  # None: every logged-in user
    # Endpoints starting with this mark the entry as the current page (default: its blueprint).
    section: str | None = None

    @property
    def prefix(self) -> str:
        return self.section or self.endpoint.split(".")[0] + "."


NAVIGATION: list[NavEntry] = [
    NavEntry("main.index", _l("Overview"), None),
    NavEntry("people.index", _l("Residents"), Permission.PEOPLE_READ),
    NavEntry("people.households", _l("Households"), Permission.PEOPLE_READ, section="people.household"),
    NavEntry("counselling.index", _l("Parent counselling"), Permission.COUNSELLING_READ),
    NavEntry("concerns.index", _l("Concerns"), Permission.CONCERNS_READ),
    NavEntry("plan.index", _l("The plan"), Permission.PLAN_READ),
    NavEntry("dataprotection.index", _l("Data protection"), Permission.DATA_PROTECTION),
    NavEntry("auditlog.index", _l("Audit log"), Permission.AUDIT_READ),
    NavEntry("admin.users", _l("Staff accounts"), Permission.STAFF_MANAGE),
]


def navigation_for(user, current_endpoint: str | None) -> list[tuple[str, object, bool]]:
    """(url, label, is_current) of each entry the user may use and the app has.

    The current entry is the one whose section prefix matches the endpoint most closely.
    """
    entries = [e for e in NAVIGATION
               if e.endpoint in current_app.view_functions and (e.permission is None or can(user, e.permission))]
    matching = [e for e in entries if current_endpoint and current_endpoint.startswith(e.prefix)]
    current = max(matching, key=lambda e: len(e.prefix), default=None)
    return [(url_for(e.endpoint), e.label, e is current) for e in entries]


# Landing panels: callables (user) -> rendered HTML or None, added by each domain.
LANDING_PANELS: list[Callable] = []


def landing_panel(func: Callable) -> Callable:
    LANDING_PANELS.append(func)
    return func


# Person-page sections: callables (user, person) -> rendered HTML or None, added by each domain,
# so the person page links to the person's records in every domain the user may see.
PERSON_SECTIONS: list[Callable] = []


def person_section(func: Callable) -> Callable:
    PERSON_SECTIONS.append(func)
    return func
