"""The main navigation, the landing-page panels and the person-page sections, assembled from what each
part of the app declares (`Domain.navigation`, `.landing_panels`, `.person_sections`), in the app's order."""

from __future__ import annotations

from flask import current_app, url_for
from markupsafe import Markup

from caseapp.domain import domains
from caseapp.security.permissions import can


def navigation_for(user, current_endpoint: str | None) -> list[tuple[str, object, bool]]:
    """(url, label, is_current) of each entry the user may use and the app has.

    The current entry is the one whose section prefix matches the endpoint most closely.
    """
    entries = [
        e
        for d in domains()
        for e in d.navigation
        if e.endpoint in current_app.view_functions and (e.permission is None or can(user, e.permission))
    ]
    matching = [e for e in entries if current_endpoint and current_endpoint.startswith(e.prefix)]
    current = max(matching, key=lambda e: len(e.prefix), default=None)
    return [(url_for(e.endpoint), e.label, e is current) for e in entries]


def landing_panels(user) -> list[Markup]:
    """Each part's panels for this user (a panel answers None where it has nothing for them): first the
    parts that declare they open the landing page for one of the user's roles, then the rest, each in
    the app's order."""
    roles = set(user.roles)
    ordered = sorted(domains(), key=lambda d: not (d.landing_first_for & roles))  # stable: app order kept
    return [Markup(html) for d in ordered for panel in d.landing_panels if (html := panel(user))]


def person_sections(user, person) -> list[Markup]:
    """Each part's section of the person page: the person's records there that the user may see."""
    return [Markup(html) for d in domains() for section in d.person_sections if (html := section(user, person))]
