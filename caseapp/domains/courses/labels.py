"""Display names of youth courses' codes (lazy, from this package's catalogue)."""

from flask_babel import lazy_gettext as _l

from caseapp.privacy import DisplayNames

STATUS_LABELS = {
    "enrolled": _l("Enrolled"),
    "waiting": _l("Waiting list"),
    "completed": _l("Completed the course"),
    "dropped_out": _l("Dropped out"),
}
MARK_LABELS = {"present": _l("Present"), "late": _l("Late"), "excused": _l("Excused"), "absent": _l("Absent")}
OUTCOME_LABELS = {
    "education": _l("In education"),
    "leisure_job": _l("In a leisure job"),
    "work": _l("In work"),
    "other": _l("Other"),
}
PARTNER_LABELS = {
    "none": _l("No partner"),
    "association": _l("An association"),
    "municipal": _l("A municipal institution"),
}
WEEKDAYS = [
    ("0", _l("Monday")),
    ("1", _l("Tuesday")),
    ("2", _l("Wednesday")),
    ("3", _l("Thursday")),
    ("4", _l("Friday")),
    ("5", _l("Saturday")),
    ("6", _l("Sunday")),
]

LABELS = {"status": STATUS_LABELS, "mark": MARK_LABELS, "outcome": OUTCOME_LABELS, "partner": PARTNER_LABELS}

EXPORT_NAMES = DisplayNames(
    title=_l("Youth courses"),
    kinds={"course_enrolment": _l("Course enrolment"), "course_leadership": _l("Course leadership")},
    fields={
        "course": _l("Course"),
        "status": _l("Status"),
        "enrolled_on": _l("Enrolled"),
        "waitlisted_on": _l("Put on the waiting list"),
        "completed_on": _l("Completed the course"),
        "dropped_on": _l("Dropped out"),
        "drop_reason": _l("Reason for leaving"),
        "age_reason": _l("Reason for accepting outside the age band"),
        "attendance": _l("Attendance"),
        "outcomes": _l("Later outcomes"),
        "starts_on": _l("Start date"),
        "ends_on": _l("End date"),
    },
    codes={"status": STATUS_LABELS},
    objects={
        "course": _l("Course"),
        "course_enrolment": _l("Course enrolment"),
        "course_attendance": _l("Course attendance"),
        "course_outcome": _l("Course outcome"),
        "course_session": _l("Course session"),
    },
)
