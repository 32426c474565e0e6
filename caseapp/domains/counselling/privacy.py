"""Parent counselling's part in data protection: a resident's access export, erasure, and the closed
cases whose retention period has run out (its PersonalDataSource)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, select

from caseapp.domains.counselling.labels import EXPORT_NAMES
from caseapp.domains.counselling.models import (
    PLAN_RECORD,
    AttendanceRecord,
    CaseChild,
    CounsellingCase,
    CounsellingSession,
    GroupAttendance,
    Referral,
    SessionAttendee,
)
from caseapp.domains.counselling.queries import group_attendance_of
from caseapp.domains.counselling.serialise import attendance_dict, case_detail, iso, referral_dict, session_dict
from caseapp.extensions import db
from caseapp.plan.tagging import delete_tags
from caseapp.privacy import ExpiredRecord, PersonalDataSource, retention_cutoff


def export_person(person_id: uuid.UUID) -> list[dict]:
    """Everything counselling holds about the person, decrypted, without staff names."""
    records: list[dict] = []
    for case in db.session.scalars(select(CounsellingCase).where(CounsellingCase.person_id == person_id)):
        data = case_detail(case, staff=False)
        data["sessions"] = [session_dict(s, staff=False) for s in case.sessions]
        data["referrals"] = [referral_dict(r) for r in case.referrals]
        data["group_sessions"] = [
            {"title": g.group_session.title, "held_on": iso(g.group_session.held_on)} for g in group_attendance_of(case)
        ]
        records.append({"kind": "counselling_case", "role": "parent", **data})
    child_cases = db.session.scalars(select(CounsellingCase).join(CaseChild).where(CaseChild.person_id == person_id))
    for case in child_cases:
        records.append(
            {
                "kind": "counselling_case",
                "role": "child",
                "id": str(case.id),
                "status": case.status,
                "started_on": iso(case.started_on),
                "closed_on": iso(case.closed_on),
                "focus_areas": case.focus_list,
            }
        )
    for record in db.session.scalars(select(AttendanceRecord).where(AttendanceRecord.child_id == person_id)):
        records.append({"kind": "counselling_attendance", **attendance_dict(record)})
    for referral in db.session.scalars(
        select(Referral).where(Referral.person_id == person_id, Referral.subject_id != person_id)
    ):
        records.append({"kind": "counselling_referral", **referral_dict(referral)})
    attended = db.session.scalars(
        select(CounsellingSession)
        .join(SessionAttendee)
        .where(SessionAttendee.person_id == person_id, CounsellingSession.subject_id != person_id)
    )
    for session in attended:
        records.append(
            {
                "kind": "counselling_session_attendance",
                "held_on": iso(session.held_on),
                "session_kind": session.kind,
            }
        )
    return records


def erase_person(person_id: uuid.UUID) -> dict[str, int]:
    """Delete the person's counselling data: their cases with everything in them, and the traces of
    them in other families' cases (child links, attendance, referrals, session and group attendance)."""
    counts = {}

    def remove(kind, statement):
        counts[kind] = db.session.execute(statement).rowcount or 0

    remove("group_attendance", delete(GroupAttendance).where(GroupAttendance.person_id == person_id))
    for case_id in db.session.scalars(select(CounsellingCase.id).where(CounsellingCase.person_id == person_id)):
        delete_tags(PLAN_RECORD, case_id)
    remove("cases", delete(CounsellingCase).where(CounsellingCase.person_id == person_id))
    remove("attendance", delete(AttendanceRecord).where(AttendanceRecord.child_id == person_id))
    remove("referrals", delete(Referral).where(Referral.person_id == person_id))
    remove("case_children", delete(CaseChild).where(CaseChild.person_id == person_id))
    remove("session_attendance", delete(SessionAttendee).where(SessionAttendee.person_id == person_id))
    db.session.expire_all()
    return counts


def expired_cases(today: date) -> list[ExpiredRecord]:
    """Closed cases whose retention period (RETENTION["counselling_closed"]) has run out."""
    cutoff = retention_cutoff("counselling_closed", today)
    if cutoff is None:
        return []
    rows = db.session.execute(
        select(CounsellingCase.id, CounsellingCase.person_id).where(
            CounsellingCase.status == "closed", CounsellingCase.closed_on <= cutoff
        )
    )
    return [ExpiredRecord("counselling_closed", "counselling_case", str(cid), pid) for cid, pid in rows]


def purge_case(record: ExpiredRecord) -> None:
    delete_tags(PLAN_RECORD, record.object_id)
    db.session.execute(delete(CounsellingCase).where(CounsellingCase.id == uuid.UUID(record.object_id)))
    db.session.flush()
    db.session.expire_all()


SOURCE = PersonalDataSource(
    domain="counselling",
    names=EXPORT_NAMES,
    export=export_person,
    erase=erase_person,
    expired=expired_cases,
    purge=purge_case,
)
