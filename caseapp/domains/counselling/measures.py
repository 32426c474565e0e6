"""What parent counselling offers the plan's indicators (caseapp.domain.Measure): cases (the parent
counselled), the children in them, and sessions (contacts). Reporting counts these rows; it never
reads a case."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import literal, select

from caseapp.domain import Measure
from caseapp.domains.counselling import labels as L
from caseapp.domains.counselling.models import PLAN_RECORD, CaseChild, CounsellingCase, CounsellingSession


def _case_rows():
    return select(
        CounsellingCase.id.label("record_id"),
        CounsellingCase.person_id.label("person_id"),
        CounsellingCase.started_on.label("day"),
        literal(PLAN_RECORD).label("tag_type"),
        CounsellingCase.id.label("tag_id"),
        literal("counselling").label("programme"),
        CounsellingCase.closing_reason.label("outcome"),
        literal(1).label("headcount"),
    )


def _child_rows():
    return select(
        CaseChild.case_id.label("record_id"),
        CaseChild.person_id.label("person_id"),
        CounsellingCase.started_on.label("day"),
        literal(PLAN_RECORD).label("tag_type"),
        CaseChild.case_id.label("tag_id"),
        literal("counselling").label("programme"),
        CounsellingCase.closing_reason.label("outcome"),
        literal(1).label("headcount"),
    ).join(CounsellingCase, CounsellingCase.id == CaseChild.case_id)


def _session_rows():
    return select(
        CounsellingSession.id.label("record_id"),
        CounsellingSession.subject_id.label("person_id"),
        CounsellingSession.held_on.label("day"),
        literal(PLAN_RECORD).label("tag_type"),
        CounsellingSession.case_id.label("tag_id"),
        CounsellingSession.kind.label("programme"),
        literal(None).label("outcome"),
        literal(1).label("headcount"),
    )


MEASURES = (
    Measure(
        "counselling.case",
        _l("Parents in parent counselling (cases opened)"),
        "persons",
        _case_rows,
        outcomes=L.CLOSING_LABELS,
    ),
    Measure(
        "counselling.child",
        _l("Children in parent counselling cases"),
        "persons",
        _child_rows,
        outcomes=L.CLOSING_LABELS,
    ),
    Measure(
        "counselling.session", _l("Parent counselling sessions"), "contacts", _session_rows, programmes=L.KIND_LABELS
    ),
)
