"""The verbs of the civil-society domain. They check the rules, flush and audit; the request commits once.
Pages, API and demo data all call these, so each rule is written once."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select

from caseapp import audit
from caseapp.clock import local_today
from caseapp.domains.community import vetting as V
from caseapp.domains.community.access import PURPOSE
from caseapp.domains.community.models import (
    AGE_BANDS,
    GENDERS,
    PLAN_RECORD,
    Activity,
    Association,
    HeadCount,
    Occurrence,
    Placement,
    Support,
    Vetting,
    Volunteer,
    VolunteerAssociation,
    VolunteerHours,
)
from caseapp.errors import InvalidInput, NotFound, NotPermitted, Refused
from caseapp.extensions import db
from caseapp.models.base import StaleVersion, parse_uuid
from caseapp.plan.tagging import set_tags, tag_input_from
from caseapp.register import services as register
from caseapp.register.models import Person, get_visible_person, listed
from caseapp.security.permissions import Permission, can

NEEDS_VETTING = _l(
    "This volunteer has no valid child-protection certificate (børneattest): a leader must "
    "override with a reason to place them in contact with children under 15."
)


def _check_version(record, version) -> None:
    if version is None or int(version) != record.version:
        raise StaleVersion()


def _log(action: str, record, *, subject=None, **detail) -> None:
    audit.record(
        f"community.{action}",
        object_type=record.__tablename__,
        object_id=record.id,
        subject_id=subject,
        purpose=PURPOSE,
        detail=detail or None,
    )


# Associations ------------------------------------------------------------------------------------

ASSOCIATION_FIELDS = ("name", "cvr", "folkeoplysende", "active", "declared_on", "description")


def _contact(data: dict):
    vid = parse_uuid(data.get("contact_volunteer_id")) if data.get("contact_volunteer_id") else None
    if vid is None:
        return None
    if db.session.get(Volunteer, vid) is None:
        raise InvalidInput({"contact_volunteer_id": _l("Choose one of the registered volunteers.")})
    return vid


def create_association(data: dict, actor) -> Association:
    association = Association(
        id=uuid.uuid4(),
        created_by_id=actor.id if actor else None,
        **{f: data.get(f) for f in ASSOCIATION_FIELDS if f in data},
    )
    association.tag_key = str(association.id)
    association.contact_volunteer_id = _contact(data)
    db.session.add(association)
    db.session.flush()
    _log("association.create", association, fields=sorted(f for f in ASSOCIATION_FIELDS if data.get(f)))
    return association


def update_association(association: Association, data: dict, version, actor) -> list[str]:
    _check_version(association, version)
    changed = []
    for field in ASSOCIATION_FIELDS:
        if field in data and getattr(association, field) != data[field]:
            setattr(association, field, data[field])
            changed.append(field)
    if "contact_volunteer_id" in data:
        contact = _contact(data)
        if contact != association.contact_volunteer_id:
            association.contact_volunteer_id = contact
            changed.append("contact_volunteer_id")
    if changed:
        association.updated_at = association.updated_at  # the versioned UPDATE below
        db.session.flush()
        _log("association.update", association, fields=sorted(changed))
    return changed


def add_support(association: Association, data: dict, actor) -> Support:
    if data.get("amount") is not None and data["amount"] < 0:
        raise InvalidInput({"amount": _l("The amount cannot be negative.")})
    support = Support(
        association_id=association.id,
        kind=data["kind"],
        amount=data.get("amount"),
        given_on=data.get("given_on") or local_today(),
        description=data.get("description"),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(support)
    db.session.flush()
    _log("support.create", support, kind=support.kind)
    return support


def active_associations() -> list[tuple[str, str]]:
    """[(id, name)] of the active associations, by name: offered to other domains as "associations"."""
    rows = db.session.execute(
        select(Association.id, Association.name)
        .where(Association.active.is_(True))
        .order_by(Association.name, Association.id)
    )
    return [(str(i), name) for i, name in rows]


def active_volunteer_people(day: date | None = None) -> list[Person]:
    """The persons volunteering on `day` (today), by name and the unencrypted columns a picker shows:
    offered to other domains as "volunteers" (mentoring's volunteer mentors). The caller audits the list."""
    day = day or local_today()
    return list(
        db.session.scalars(
            select(Person)
            .join(Volunteer, Volunteer.person_id == Person.id)
            .where(Volunteer.started_on <= day, or_(Volunteer.ended_on.is_(None), Volunteer.ended_on >= day))
            .options(listed())
        )
    )


def declarations_due(day: date) -> list[Association]:
    """Active associations whose yearly child-protection declaration is missing or 12 months old by `day`."""
    cutoff = V.add_months(day, -12)
    return list(
        db.session.scalars(
            select(Association)
            .where(
                Association.active.is_(True), (Association.declared_on.is_(None)) | (Association.declared_on <= cutoff)
            )
            .order_by(Association.name)
        )
    )


# Volunteers --------------------------------------------------------------------------------------

CONTACT_FIELDS = ("first_name", "last_name", "phone", "email", "area")


def _set_associations(volunteer: Volunteer, ids) -> bool:
    wanted = {i for i in (parse_uuid(x) for x in ids or ()) if i}
    if wanted:
        found = set(db.session.scalars(select(Association.id).where(Association.id.in_(wanted))))
        if found != wanted:
            raise InvalidInput({"associations": _l("Choose from the list.")})
    current = {m.association_id for m in volunteer.memberships}
    if current == wanted:
        return False
    volunteer.memberships = [m for m in volunteer.memberships if m.association_id in wanted] + [
        VolunteerAssociation(association_id=a) for a in wanted - current
    ]
    return True


def create_volunteer(data: dict, actor) -> Volunteer:
    """Register a volunteer: an existing person (only someone who may see them in the register may link
    them), or a new person with just a name and contact details."""
    person_id = parse_uuid(data.get("person_id")) if data.get("person_id") else None
    if person_id is not None:
        if not can(actor, Permission.PEOPLE_READ) or get_visible_person(person_id, actor) is None:
            raise InvalidInput({"person_id": _l("Choose a person you may see in the register.")})
        if db.session.scalar(select(Volunteer.id).where(Volunteer.person_id == person_id)) is not None:
            raise InvalidInput({"person_id": _l("This person is already a volunteer.")})
        person = db.session.get(Person, person_id)
    else:
        if not (data.get("first_name") and data.get("last_name")):
            raise InvalidInput({"first_name": _l("Enter the volunteer's name.")})
        person = register.build_person(
            register.PersonInput(**{f: data.get(f) for f in CONTACT_FIELDS}), actor.id if actor else None
        )
        db.session.flush()
        audit.record(
            "person.create",
            object_type="person",
            object_id=person.id,
            subject_id=person.id,
            purpose=PURPOSE,
            detail={"fields": sorted(f for f in CONTACT_FIELDS if data.get(f)), "as": "volunteer"},
        )
    return enlist(person, data, actor)


def enlist(person: Person, data: dict, actor) -> Volunteer:
    """Register `person` as a volunteer (the caller has checked it may: create_volunteer, the demo)."""
    volunteer = Volunteer(
        id=uuid.uuid4(),
        person_id=person.id,
        person=person,
        started_on=data.get("started_on") or local_today(),
        ended_on=data.get("ended_on"),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(volunteer)
    _set_associations(volunteer, data.get("associations"))
    db.session.flush()
    _log("volunteer.create", volunteer, subject=person.id)
    return volunteer


def update_volunteer(volunteer: Volunteer, data: dict, version, actor) -> list[str]:
    """Change a volunteer's name and contact (the register's record, its other fields untouched),
    their associations and dates."""
    _check_version(volunteer, version)
    person = volunteer.person
    changed = []
    contact = {f: data[f] for f in CONTACT_FIELDS if f in data}
    if contact:
        details = {f: getattr(person, f) for f in register.PERSON_FIELDS} | contact
        changed += register.update_person(person, register.PersonInput(**details), person.version, actor)
    for field in ("started_on", "ended_on"):
        if field in data and getattr(volunteer, field) != data[field]:
            setattr(volunteer, field, data[field])
            changed.append(field)
    if "associations" in data and _set_associations(volunteer, data["associations"]):
        changed.append("associations")
    if changed:
        volunteer.updated_at = volunteer.updated_at
        db.session.flush()
        _log("volunteer.update", volunteer, subject=volunteer.person_id, fields=sorted(changed))
    return changed


def vetting_status(volunteer: Volunteer, day: date | None = None) -> str:
    return V.status_on(volunteer.vettings, day or local_today(), V.interval_months())


def vetting_expiry(volunteer: Volunteer, day: date | None = None) -> date | None:
    return V.current_expiry(volunteer.vettings, day or local_today(), V.interval_months())


def _check_vetting(data: dict) -> None:
    problems = {}
    requested = data.get("requested_on")
    for name in ("consent_on", "consent_refused_on", "received_on"):
        if data.get(name) and requested and data[name] < requested:
            problems[name] = _l("Cannot be before the request.")
    if data.get("consent_on") and data.get("consent_refused_on"):
        problems["consent_refused_on"] = _l("Consent cannot be both given and refused.")
    if data.get("consent_refused_on") and data.get("received_on"):
        problems["received_on"] = _l("No certificate is received when consent is refused.")
    if data.get("received_on") and not data.get("assessment"):
        problems["assessment"] = _l("Record the assessment of the received certificate.")
    if data.get("assessment") and not data.get("received_on"):
        problems["received_on"] = _l("Enter when the certificate was received.")
    if data.get("received_on") and data.get("consent_on") and data["received_on"] < data["consent_on"]:
        problems["received_on"] = _l("Cannot be before consent was given.")
    if problems:
        raise InvalidInput(problems)


VETTING_FIELDS = ("requested_on", "consent_on", "consent_refused_on", "received_on", "assessment", "note")


def add_vetting(volunteer: Volunteer, data: dict, actor) -> Vetting:
    _check_vetting(data)
    record = Vetting(
        id=uuid.uuid4(),
        volunteer_id=volunteer.id,
        person_id=volunteer.person_id,
        **{f: data.get(f) for f in VETTING_FIELDS},
    )
    if record.assessment:
        record.assessed_by_id = actor.id if actor else None
    db.session.add(record)
    volunteer.vettings.append(record)
    db.session.flush()
    _log("vetting.create", record, subject=volunteer.person_id, fields=sorted(f for f in VETTING_FIELDS if data.get(f)))
    return record


def update_vetting(record: Vetting, data: dict, version, actor) -> list[str]:
    _check_version(record, version)
    merged = {f: getattr(record, f) for f in VETTING_FIELDS} | {f: data[f] for f in VETTING_FIELDS if f in data}
    _check_vetting(merged)
    changed = [f for f in VETTING_FIELDS if f in data and getattr(record, f) != data[f]]
    for field in changed:
        setattr(record, field, data[field])
    if "assessment" in changed:
        record.assessed_by_id = actor.id if actor else None
    if changed:
        db.session.flush()
        _log("vetting.update", record, subject=record.person_id, fields=sorted(changed))
    return changed


def vetting_of(volunteer: Volunteer, vetting_id) -> Vetting:
    wanted = parse_uuid(vetting_id)
    found = next((v for v in volunteer.vettings if v.id == wanted), None)
    if found is None:
        raise NotFound()
    return found


def place(volunteer: Volunteer, activity: Activity, data: dict, actor) -> Placement:
    """Place a volunteer on an activity. Direct contact with children under 15 needs valid vetting,
    unless a leader overrides with a recorded reason."""
    contact = bool(data.get("children_contact", activity.for_under_15)) and activity.for_under_15
    status = vetting_status(volunteer)
    reason = (data.get("override_reason") or "").strip() or None
    if (
        db.session.scalar(
            select(Placement.id).where(Placement.volunteer_id == volunteer.id, Placement.activity_id == activity.id)
        )
        is not None
    ):
        raise InvalidInput({"activity_id": _l("The volunteer is already placed on this activity.")})
    override = False
    if contact and status != V.VALID:
        if not can(actor, Permission.VETTING_OVERRIDE):
            raise Refused(NEEDS_VETTING, fields={"override_reason": NEEDS_VETTING})
        if reason is None:
            raise Refused(NEEDS_VETTING, fields={"override_reason": _l("Give the reason for the override.")})
        override = True
    placement = Placement(
        id=uuid.uuid4(),
        volunteer_id=volunteer.id,
        person_id=volunteer.person_id,
        activity_id=activity.id,
        role=data.get("role"),
        children_contact=contact,
        placed_on=data.get("placed_on") or local_today(),
        vetting_status=status,
        override_reason=reason if override else None,
        override_by_id=actor.id if override else None,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(placement)
    db.session.flush()
    _log("placement.create", placement, subject=volunteer.person_id, vetting=status, override=override)
    return placement


def log_hours(volunteer: Volunteer, activity: Activity, data: dict, actor) -> VolunteerHours:
    hours = data.get("hours")
    if hours is None or hours <= 0 or hours > 24:
        raise InvalidInput({"hours": _l("Between 0.25 and 24 hours.")})
    row = VolunteerHours(
        id=uuid.uuid4(),
        volunteer_id=volunteer.id,
        person_id=volunteer.person_id,
        activity_id=activity.id,
        given_on=data.get("given_on") or local_today(),
        hours=hours,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(row)
    db.session.flush()
    _log("hours.create", row, subject=volunteer.person_id)
    return row


def hours_of(volunteer_id) -> list[VolunteerHours]:
    return list(
        db.session.scalars(
            select(VolunteerHours)
            .where(VolunteerHours.volunteer_id == volunteer_id)
            .order_by(VolunteerHours.given_on.desc())
        )
    )


def hour_totals(activity_ids) -> dict:
    ids = list(activity_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(VolunteerHours.activity_id, func.sum(VolunteerHours.hours))
            .where(VolunteerHours.activity_id.in_(ids))
            .group_by(VolunteerHours.activity_id)
        ).all()
    )


# Activities and head counts ----------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "title",
    "kind",
    "area",
    "organiser",
    "for_under_15",
    "recurring",
    "starts_on",
    "ends_on",
    "description",
)


def _organiser(activity: Activity, data: dict, actor) -> None:
    if activity.organiser == "association":
        aid = parse_uuid(data.get("association_id")) if data.get("association_id") else None
        if aid is None or db.session.get(Association, aid) is None:
            raise InvalidInput({"association_id": _l("Choose the organising association.")})
        activity.association_id, activity.organiser_user_id = aid, None
    else:
        activity.association_id = None
        activity.organiser_user_id = activity.organiser_user_id or (actor.id if actor else None)
    if activity.ends_on and activity.starts_on and activity.ends_on < activity.starts_on:
        raise InvalidInput({"ends_on": _l("Cannot be before the start.")})


def create_activity(data: dict, actor) -> Activity:
    activity = Activity(
        id=uuid.uuid4(),
        created_by_id=actor.id if actor else None,
        **{f: data.get(f) for f in ACTIVITY_FIELDS if data.get(f) is not None},
    )
    activity.tag_key = str(activity.id)
    activity.organiser = activity.organiser or "staff"
    _organiser(activity, data, actor)
    db.session.add(activity)
    db.session.flush()
    tags = tag_input_from(data)
    if tags is not None:
        set_tags(PLAN_RECORD, activity.id, tags)
    _log("activity.create", activity)
    return activity


def update_activity(activity: Activity, data: dict, version, actor) -> list[str]:
    _check_version(activity, version)
    changed = [f for f in ACTIVITY_FIELDS if f in data and getattr(activity, f) != data[f]]
    for field in changed:
        setattr(activity, field, data[field])
    if "association_id" in data or "organiser" in data:
        before = activity.association_id
        _organiser(activity, data if "association_id" in data else {"association_id": activity.association_id}, actor)
        if before != activity.association_id:
            changed.append("association_id")
    if changed:
        activity.updated_at = activity.updated_at
        db.session.flush()
        _log("activity.update", activity, fields=sorted(set(changed)))
    tags = tag_input_from(data)
    if tags is not None:
        set_tags(PLAN_RECORD, activity.id, tags)
    return changed


def check_counts(total, counts) -> list[tuple[str, str, bool, int]]:
    """The head count's cells as (age band, gender, resident, count), refusing negative numbers, unknown
    codes, a cell given twice, and a total that disagrees with the sum of its parts."""
    problems = {}
    cells, seen = [], set()
    for index, cell in enumerate(counts or ()):
        key = (cell.get("age_band"), cell.get("gender"), bool(cell.get("resident")))
        number = cell.get("count")
        if key[0] not in AGE_BANDS or key[1] not in GENDERS:
            problems[f"counts-{index}-age_band"] = _l("Choose an age band and a gender from the list.")
        elif not isinstance(number, int) or isinstance(number, bool) or number < 0:
            problems[f"counts-{index}-count"] = _l("A whole number, 0 or more.")
        elif key in seen:
            problems[f"counts-{index}-age_band"] = _l("This group is counted twice.")
        else:
            seen.add(key)
            if number:
                cells.append((*key, number))
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        problems["total"] = _l("A whole number, 0 or more.")
    elif not problems and sum(c[3] for c in cells) != total:
        problems["total"] = _l(
            "The total (%(total)d) is not the sum of the groups (%(sum)d).", total=total, sum=sum(c[3] for c in cells)
        )
    if problems:
        raise InvalidInput(problems)
    return cells


def record_occurrence(activity: Activity, data: dict, actor) -> Occurrence:
    """Record one occurrence of the activity with its anonymous head count."""
    cells = check_counts(data.get("total"), data.get("counts"))
    held_on = data.get("held_on") or local_today()
    if held_on < activity.starts_on:
        raise InvalidInput({"held_on": _l("Cannot be before the activity started.")})
    occurrence = Occurrence(
        id=uuid.uuid4(),
        activity_id=activity.id,
        held_on=held_on,
        total=data["total"],
        created_by_id=actor.id if actor else None,
    )
    occurrence.counts = [HeadCount(age_band=a, gender=g, resident=r, count=n) for a, g, r, n in cells]
    db.session.add(occurrence)
    db.session.flush()
    _log("occurrence.create", occurrence, total=occurrence.total)
    return occurrence


def occurrence_of(activity: Activity, occurrence_id) -> Occurrence:
    wanted = parse_uuid(occurrence_id)
    found = (
        db.session.scalar(select(Occurrence).where(Occurrence.activity_id == activity.id, Occurrence.id == wanted))
        if wanted
        else None
    )
    if found is None:
        raise NotFound()
    return found


def check_manager(user) -> None:
    if not can(user, Permission.COMMUNITY_MANAGE):
        raise NotPermitted(_l("You may read this but not change it"))


# Erasure -----------------------------------------------------------------------------------------


def anonymise_hours(person_id: uuid.UUID) -> int:
    """Replace the person's hour rows by anonymous monthly totals per activity; returns rows replaced."""
    rows = list(db.session.scalars(select(VolunteerHours).where(VolunteerHours.person_id == person_id)))
    totals: dict = defaultdict(float)
    for row in rows:
        totals[(row.activity_id, row.given_on.replace(day=1))] += float(row.hours)
    db.session.execute(delete(VolunteerHours).where(VolunteerHours.person_id == person_id))
    for (activity_id, month), hours in totals.items():
        db.session.add(
            VolunteerHours(id=uuid.uuid4(), activity_id=activity_id, given_on=month, hours=hours, anonymous=True)
        )
    db.session.flush()
    return len(rows)
