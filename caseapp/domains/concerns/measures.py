"""What concerns offer the plan's indicators (caseapp.domain.Measure): one row per concern filed, its
subject the person, `programme` its category and `outcome` its severity (the two things the board
follows: what kind of concern, how grave), dated by the day it was observed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import literal, select

from caseapp.domain import Measure
from caseapp.domains.concerns import labels as L
from caseapp.domains.concerns.models import Concern

PLAN_RECORD = "concern"


def _rows():
    return select(
        Concern.id.label("record_id"),
        Concern.person_id.label("person_id"),
        Concern.observed_on.label("day"),
        literal(PLAN_RECORD).label("tag_type"),
        Concern.id.label("tag_id"),
        Concern.category.label("programme"),
        Concern.severity.label("outcome"),
        literal(1).label("headcount"),
    )


MEASURES = (
    Measure(
        "concerns.concern",
        _l("Concerns filed (by category and severity)"),
        "contacts",
        _rows,
        outcomes=L.SEVERITIES,
        programmes=L.CATEGORIES,
    ),
)
