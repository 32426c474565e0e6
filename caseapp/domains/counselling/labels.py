"""Display names of parent counselling's codes (Danish from this domain's catalogue), and how its
records read in a resident's access export."""

from flask_babel import lazy_gettext as _l

from caseapp.privacy import DisplayNames

FOCUS_LABELS = {
    "language": _l("Language development"),
    "democracy": _l("Democratic formation"),
    "attendance": _l("Attendance"),
    "parental_responsibility": _l("Parental responsibility"),
    "other": _l("Other"),
}
STATUS_LABELS = {"open": _l("Open"), "paused": _l("Paused"), "closed": _l("Closed")}
CLOSING_LABELS = {
    "goals_met": _l("Goals reached"),
    "family_ended": _l("The family ended the counselling"),
    "moved": _l("The family moved"),
    "referred_on": _l("Referred to another service"),
    "no_contact": _l("No contact"),
    "other": _l("Other reason"),
}
GOAL_LABELS = {
    "agreed": _l("Agreed"),
    "in_progress": _l("In progress"),
    "achieved": _l("Achieved"),
    "dropped": _l("Dropped"),
}
KIND_LABELS = {
    "home_visit": _l("Home visit"),
    "office": _l("Meeting at the office"),
    "phone": _l("Phone call"),
    "group_session": _l("Group session"),
    "institution_visit": _l("Accompanied visit to an institution"),
}
OWNER_LABELS = {
    "counsellor": _l("Counsellor"),
    "parent": _l("Parent"),
    "child": _l("Child"),
    "institution": _l("Institution"),
    "other": _l("Someone else"),
}
ACTION_LABELS = {"open": _l("Open"), "done": _l("Done"), "dropped": _l("Dropped")}
INSTITUTION_LABELS = {
    "day_care": _l("Day care"),
    "kindergarten": _l("Kindergarten"),
    "school": _l("School"),
    "youth_education": _l("Youth education"),
}
SERVICE_LABELS = {
    "health_visitor": _l("Health visitor"),
    "ppr": _l("Educational-psychological counselling (PPR)"),
    "family_department": _l("Family department"),
    "job_centre": _l("Job centre"),
    "other": _l("Other service"),
}
REFERRAL_LABELS = {
    "planned": _l("Planned"),
    "sent": _l("Sent"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "completed": _l("Completed"),
    "withdrawn": _l("Withdrawn"),
}

LABELS = {
    "focus": FOCUS_LABELS,
    "status": STATUS_LABELS,
    "closing": CLOSING_LABELS,
    "goal": GOAL_LABELS,
    "kind": KIND_LABELS,
    "owner": OWNER_LABELS,
    "action": ACTION_LABELS,
    "institution": INSTITUTION_LABELS,
    "service": SERVICE_LABELS,
    "referral": REFERRAL_LABELS,
}

# How counselling's records read in a resident's access export (see caseapp/privacy.py).
EXPORT_NAMES = DisplayNames(
    title=_l("Parent counselling"),
    kinds={
        "counselling_case": _l("Counselling case"),
        "counselling_attendance": _l("Attendance follow-up"),
        "counselling_referral": _l("Referral"),
        "counselling_session_attendance": _l("Took part in a session"),
    },
    fields={
        "role": _l("Your part"),
        "status": _l("Status"),
        "started_on": _l("Started"),
        "closed_on": _l("Closed"),
        "closing_reason": _l("Closing reason"),
        "focus_areas": _l("Focus areas"),
        "goals": _l("Goals"),
        "description": _l("Description"),
        "sessions": _l("Sessions"),
        "held_on": _l("Date"),
        "duration_minutes": _l("Duration (minutes)"),
        "session_kind": _l("Kind of session"),
        "topics": _l("Topics"),
        "notes": _l("Notes"),
        "note": _l("Note"),
        "amendments": _l("Amendments"),
        "actions": _l("Agreed actions"),
        "owner": _l("Owner"),
        "due_on": _l("Due"),
        "next_follow_up": _l("Next follow-up"),
        "attendees": _l("Present"),
        "referrals": _l("Referrals"),
        "service": _l("Service"),
        "referred_on": _l("Referred"),
        "outcome": _l("Outcome"),
        "institution_kind": _l("Institution"),
        "institution_name": _l("Name of the institution"),
        "period_start": _l("From"),
        "period_end": _l("To"),
        "attendance_percent": _l("Attendance (%)"),
        "days_absent": _l("Days absent"),
        "group_sessions": _l("Parent groups"),
        "title": _l("Title"),
    },
    codes={
        "status": STATUS_LABELS | REFERRAL_LABELS | ACTION_LABELS,
        "closing_reason": CLOSING_LABELS,
        "focus_areas": FOCUS_LABELS,
        "topics": FOCUS_LABELS,
        "session_kind": KIND_LABELS,
        "owner": OWNER_LABELS,
        "institution_kind": INSTITUTION_LABELS,
        "service": SERVICE_LABELS,
        "role": {"parent": _l("Parent"), "child": _l("Child")},
    },
    objects={
        "counselling_case": _l("Counselling case"),
        "counselling_session": _l("Counselling session"),
        "counselling_referral": _l("Referral"),
        "counselling_attendance": _l("Attendance follow-up"),
        "counselling_group_session": _l("Parent group"),
    },
)
