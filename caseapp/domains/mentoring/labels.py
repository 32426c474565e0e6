"""Display names of mentoring's codes (Danish from this domain's catalogue), and how its records read in
a resident's access export."""

from flask_babel import lazy_gettext as _l

from caseapp.privacy import DisplayNames

KIND_LABELS = {
    "job_mentoring": _l("Job mentoring"),
    "education_mentoring": _l("Education mentoring"),
    "leisure_job": _l("Leisure-job counselling"),
    "pocket_money": _l("Pocket-money jobs"),
}
FOCUS_LABELS = {
    "job": _l("Work"),
    "education": _l("Education"),
    "leisure_job": _l("Leisure jobs"),
    "cv": _l("CV and applications"),
    "language": _l("Danish language"),
    "wellbeing": _l("Well-being"),
}
LANGUAGE_LABELS = {
    "da": _l("Danish"),
    "en": _l("English"),
    "ar": _l("Arabic"),
    "so": _l("Somali"),
    "tr": _l("Turkish"),
    "ur": _l("Urdu"),
    "fa": _l("Farsi"),
    "ps": _l("Pashto"),
    "ti": _l("Tigrinya"),
    "pl": _l("Polish"),
    "uk": _l("Ukrainian"),
}
STATE_LABELS = {
    "proposed": _l("Proposed"),
    "active": _l("Active"),
    "paused": _l("Paused"),
    "ended": _l("Ended"),
    "declined": _l("Declined"),
}
END_LABELS = {
    "goal_reached": _l("Goal reached"),
    "moved": _l("Moved"),
    "dropped_out": _l("Dropped out"),
    "transferred": _l("Transferred to another mentor"),
    "no_contact": _l("No contact"),
    "other": _l("Other reason"),
}
GOAL_KIND_LABELS = {
    "cv": _l("CV"),
    "applications": _l("Applications"),
    "interview": _l("Job interview"),
    "internship": _l("Internship"),
    "course": _l("Course"),
    "leisure_job": _l("Leisure job"),
    "driving_licence": _l("Driving licence"),
    "education": _l("Education"),
    "other": _l("Other"),
}
GOAL_STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "achieved": _l("Achieved"),
    "dropped": _l("Dropped"),
}
MODE_LABELS = {
    "in_person": _l("In person"),
    "phone": _l("Phone"),
    "video": _l("Video"),
    "with_employer": _l("With the employer"),
}
PLACEMENT_END_LABELS = {
    "season_ended": _l("The season ended"),
    "quit": _l("Quit"),
    "dismissed": _l("Dismissed"),
    "moved": _l("Moved"),
    "other": _l("Other reason"),
}
OUTCOME_LABELS = {
    "job_full_time": _l("Ordinary job, full time"),
    "job_part_time": _l("Ordinary job, part time"),
    "flex_job": _l("Flex job"),
    "internship": _l("Internship"),
    "apprenticeship": _l("Apprenticeship"),
    "education": _l("Education started"),
    "leisure_job": _l("Leisure job"),
}
VERIFICATION_LABELS = {
    "self_report": _l("Self-report"),
    "employer": _l("Employer"),
    "payslip": _l("Payslip"),
    "contract": _l("Contract"),
}
RESULT_LABELS = {
    "in_job": _l("In the job"),
    "in_education": _l("In the education"),
    "retained": _l("Retained (leisure job)"),
    "changed_job": _l("In another job"),
    "left": _l("Left"),
    "no_contact": _l("No contact"),
}
# What a relationship's outcomes make of it (the relationship measure's outcome codes).
RELATIONSHIP_OUTCOMES = {
    "in_job": _l("In a job"),
    "in_education": _l("In education"),
    "leisure_job": _l("In a leisure job"),
}
PLACEMENT_OUTCOMES = {"permanent": _l("Became permanent"), "bridged": _l("Bridged to an ordinary job")}

LABELS = {
    "kind": KIND_LABELS,
    "focus": FOCUS_LABELS,
    "language": LANGUAGE_LABELS,
    "state": STATE_LABELS,
    "end": END_LABELS,
    "goal_kind": GOAL_KIND_LABELS,
    "goal_status": GOAL_STATUS_LABELS,
    "mode": MODE_LABELS,
    "placement_end": PLACEMENT_END_LABELS,
    "outcome": OUTCOME_LABELS,
    "verification": VERIFICATION_LABELS,
    "result": RESULT_LABELS,
}

EXPORT_NAMES = DisplayNames(
    title=_l("Mentoring"),
    kinds={"mentoring_relationship": _l("Mentoring relationship"), "mentoring_mentor": _l("Mentor profile")},
    fields={
        "programme": _l("Programme"),
        "state": _l("State"),
        "started_on": _l("Started"),
        "ended_on": _l("Ended"),
        "end_reason": _l("End reason"),
        "purpose": _l("Purpose"),
        "mentor_tasks": _l("The mentor's tasks"),
        "contact_every_days": _l("Planned contact (days)"),
        "goals": _l("Goals"),
        "meetings": _l("Meetings"),
        "held_on": _l("Date"),
        "duration_minutes": _l("Duration (minutes)"),
        "mode": _l("Mode"),
        "notes": _l("Notes"),
        "amendments": _l("Amendments"),
        "outcomes": _l("Outcomes"),
        "kind": _l("Kind"),
        "starts_on": _l("Start"),
        "verified_by": _l("Verified by"),
        "followups": _l("Follow-ups"),
        "due_on": _l("Due"),
        "result": _l("Result"),
        "placements": _l("Leisure jobs"),
        "employer": _l("Employer"),
        "hours_per_week": _l("Hours a week"),
        "capacity": _l("Capacity"),
        "languages": _l("Languages"),
        "focus_areas": _l("Areas of focus"),
        "description": _l("Description"),
        "status": _l("Status"),
        "progress": _l("Progress notes"),
        "target_on": _l("Target date"),
        "text": _l("Text"),
        "reason": _l("Reason"),
        "note": _l("Note"),
        "what_changed": _l("What changed"),
    },
    codes={
        "state": STATE_LABELS,
        "end_reason": END_LABELS,
        "mode": MODE_LABELS,
        "kind": OUTCOME_LABELS | GOAL_KIND_LABELS,
        "status": GOAL_STATUS_LABELS,
        "verified_by": VERIFICATION_LABELS,
        "result": RESULT_LABELS,
    },
    objects={
        "mentoring_relationship": _l("Mentoring relationship"),
        "mentoring_meeting": _l("Mentoring meeting"),
        "mentoring_mentor": _l("Mentor profile"),
        "mentoring_programme": _l("Mentoring programme"),
        "mentoring_employer": _l("Employer"),
        "mentoring_outcome": _l("Mentoring outcome"),
    },
)
