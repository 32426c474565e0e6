""" "Today" as the secretariat counts it: the date in its time zone (Europe/Copenhagen by default),
never the server's. Every deadline, due date and "today" in caseapp comes from here."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Europe/Copenhagen"


def local_today() -> date:
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context() else DEFAULT_ZONE
    return datetime.now(ZoneInfo(zone)).date()
