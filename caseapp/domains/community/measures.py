"""What the civil-society domain offers the plan's indicators (caseapp.domain.Measure): SELECTs with the
labelled columns Measure documents. Reporting counts these rows; it never reads the records."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, literal, null, select

from caseapp.domain import Measure
from caseapp.domains.community.models import (
    ASSOCIATION_RECORD,
    PLAN_RECORD,
    Activity,
    Association,
    HeadCount,
    Occurrence,
    Placement,
    Support,
    VolunteerHours,
)

PROGRAMME = "community"


def _text(column):
    return cast(column, String)


def volunteers_active():
    """One row per placement of a volunteer on an activity (a person's participation), on the day placed,
    counted under the activity's plan tags."""
    return select(
        _text(Placement.id).label("record_id"),
        Placement.person_id.label("person_id"),
        Placement.placed_on.label("day"),
        literal(PLAN_RECORD).label("tag_type"),
        Activity.tag_key.label("tag_id"),
        literal(PROGRAMME).label("programme"),
        null().label("outcome"),
        literal(1).label("headcount"),
        null().label("quantity"),
    ).join(Activity, Activity.id == Placement.activity_id)


def volunteer_hours():
    """One row per hours entry: headcount 1 (a contact), `quantity` the hours given. Entries of erased
    volunteers are anonymous monthly totals: person_id NULL."""
    return select(
        _text(VolunteerHours.id).label("record_id"),
        VolunteerHours.person_id.label("person_id"),
        VolunteerHours.given_on.label("day"),
        literal(PLAN_RECORD).label("tag_type"),
        Activity.tag_key.label("tag_id"),
        literal(PROGRAMME).label("programme"),
        null().label("outcome"),
        literal(1).label("headcount"),
        VolunteerHours.hours.label("quantity"),
    ).join(Activity, Activity.id == VolunteerHours.activity_id)


def associations_supported():
    """One row per support given to an association: no person (person_id NULL), the kind of support as
    the outcome, `quantity` the amount (kr. for money, hours for hours; NULL for advice and premises)."""
    return select(
        _text(Support.id).label("record_id"),
        null().label("person_id"),
        Support.given_on.label("day"),
        literal(ASSOCIATION_RECORD).label("tag_type"),
        Association.tag_key.label("tag_id"),
        literal(PROGRAMME).label("programme"),
        Support.kind.label("outcome"),
        literal(1).label("headcount"),
        Support.amount.label("quantity"),
    ).join(Association, Association.id == Support.association_id)


def activity_headcounts():
    """One row per head-count cell of an occurrence: anonymous (person_id NULL), headcount the number
    counted, with age_band, gender and resident; counted under the activity's plan tags."""
    return (
        select(
            _text(HeadCount.id).label("record_id"),
            null().label("person_id"),
            Occurrence.held_on.label("day"),
            literal(PLAN_RECORD).label("tag_type"),
            Activity.tag_key.label("tag_id"),
            literal(PROGRAMME).label("programme"),
            Activity.kind.label("outcome"),
            HeadCount.count.label("headcount"),
            null().label("quantity"),
            HeadCount.age_band.label("age_band"),
            HeadCount.gender.label("gender"),
            HeadCount.resident.label("resident"),
        )
        .join(Occurrence, Occurrence.id == HeadCount.occurrence_id)
        .join(Activity, Activity.id == Occurrence.activity_id)
    )


SUPPORT_OUTCOMES = {"advice": _l("Advice"), "premises": _l("Premises"), "money": _l("Money"), "hours": _l("Hours")}

MEASURES = (
    Measure("community.volunteer", _l("Volunteers active"), "persons", volunteers_active),
    Measure("community.volunteer_hours", _l("Volunteer hours"), "contacts", volunteer_hours),
    Measure(
        "community.association_support",
        _l("Associations supported"),
        "outcomes",
        associations_supported,
        outcomes=SUPPORT_OUTCOMES,
    ),
    Measure("community.headcount", _l("Activity head counts"), "headcount", activity_headcounts),
)
