"""Display names for the data-protection pages and the subject-access document (Danish by default).

The export document renders every domain's records generically; these names make the field and
record names of the domains readable. A name not listed here is shown humanised ("due_on" -> "Due on").
"""

import re
from datetime import date, datetime

from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l

from caseapp.blueprints.dataprotection.logreview import PATTERNS
from caseapp.models.consent import CONSENT_PURPOSES, GIVEN_BY, METHODS

GROUNDS = {
    "request": _l("The person asked for erasure (art. 17(1)(a)-(c))"),
    "consent_withdrawn": _l("Consent withdrawn and no other legal basis (art. 17(1)(b))"),
    "unlawful": _l("The data were processed unlawfully (art. 17(1)(d))"),
    "legal_obligation": _l("A legal obligation requires erasure (art. 17(1)(e))"),
    "registered_in_error": _l("The person was registered in error"),
    "retention": _l("The retention period has run out"),
}
OUTCOMES = {"justified": _l("Justified"), "follow_up": _l("Needs follow-up")}

DOMAINS = {
    "people": _l("Personal details"),
    "counselling": _l("Parent counselling"),
    "concerns": _l("Concerns (SSP)"),
    "mentoring": _l("Job mentoring"),
    "courses": _l("Youth courses"),
    "community": _l("Activities"),
    "dataprotection": _l("Consents and emergency access"),
}

KINDS = {
    "person": _l("Registered details"),
    "household_membership": _l("Household"),
    "assignment": _l("Responsible staff (programme)"),
    "counselling_case": _l("Counselling case"),
    "counselling_attendance": _l("Attendance follow-up"),
    "counselling_referral": _l("Referral"),
    "counselling_session_attendance": _l("Took part in a session"),
    "concern": _l("Concern"),
    "concern_involvement": _l("Named in a concern about someone else"),
    "consent": _l("Consent"),
    "emergency_access": _l("Emergency access to your data"),
}

FIELDS = {
    "first_name": _l("First name"), "last_name": _l("Last name"), "cpr": _l("CPR number"),
    "birth_date": _l("Birth date"), "phone": _l("Phone"), "email": _l("E-mail"), "address": _l("Address"),
    "area": _l("Housing section"), "preferred_language": _l("Preferred language"), "notes": _l("Notes"),
    "registered": _l("Registered"), "relation": _l("Relation"), "household_id": _l("Household number"),
    "programme": _l("Programme"), "starts_on": _l("Starts"), "ends_on": _l("Ends"), "status": _l("Status"),
    "started_on": _l("Started"), "closed_on": _l("Closed"), "closing_reason": _l("Closing reason"),
    "focus_areas": _l("Focus areas"), "goals": _l("Goals"), "sessions": _l("Sessions"), "referrals": _l("Referrals"),
    "held_on": _l("Date"), "duration_minutes": _l("Duration (minutes)"), "topics": _l("Topics"),
    "actions": _l("Actions"), "text": _l("Text"), "due_on": _l("Due"), "done_at": _l("Done"),
    "purpose": _l("Purpose"), "given_by": _l("Given by"), "giver_name": _l("Name of the parent or guardian"),
    "method": _l("How it was given"), "witness": _l("Witness"), "given_on": _l("Given"),
    "expires_on": _l("Expires"), "withdrawn_at": _l("Withdrawn"), "withdrawal_reason": _l("Reason for withdrawal"),
    "granted_at": _l("Opened"), "expires_at": _l("Closed at the latest"), "reason": _l("Reason"),
    "filed_at": _l("Filed"), "observed_on": _l("Observed"), "source": _l("Source"), "category": _l("Category"),
    "severity": _l("Severity"), "summary": _l("Summary"), "description": _l("Description"),
    "child_knows": _l("The child knows"), "parents_know": _l("The parents know"), "state": _l("State"),
    "outcome": _l("Outcome"), "amendments": _l("Amendments"), "transitions": _l("History"),
    "shares": _l("Shared with"), "recipient": _l("Recipient"), "legal_basis": _l("Legal basis"),
    "parts": _l("What was shared"), "shared_at": _l("Shared"), "ended_at": _l("Ended"),
    "notification": _l("Mandatory notification"), "flagged_at": _l("Flagged"), "sent_at": _l("Sent"),
    "acknowledged_at": _l("Receipt confirmed"), "since": _l("Since"), "role": _l("Role"), "at": _l("Time"),
    "from": _l("From"), "to": _l("To"), "note": _l("Note"), "field": _l("Field"), "kind": _l("Kind"),
    "record": _l("Record"), "id": _l("Reference"), "session_kind": _l("Kind of session"),
    "group_sessions": _l("Group sessions"), "title": _l("Title"), "children": _l("Children"),
    "attendance": _l("Attendance"), "institution": _l("Institution"), "period": _l("Period"),
}

OBJECTS = {
    "person": _l("Your personal details"), "consent": _l("Consent"), "concern": _l("Concern"),
    "concern_share": _l("Share of a concern"), "counselling_case": _l("Counselling case"),
    "counselling_session": _l("Counselling session"), "household": _l("Household"), "assignment": _l("Assignment"),
    "break_glass_grant": _l("Emergency access"), "referral": _l("Referral"),
}
AUDIT_PURPOSES = {
    "counselling": _l("Parent counselling"), "concerns": _l("Concerns (SSP)"), "mentoring": _l("Job mentoring"),
    "courses": _l("Youth courses"), "dataprotection": _l("Data protection"), "gdpr_art15": _l("Your access request"),
    "gdpr_art17": _l("Erasure"), "break_glass": _l("Emergency access"),
    "consent_withdrawn": _l("Consent withdrawn"), **CONSENT_PURPOSES,
}

# Codes in the domains' records, readable in the access document (a code not listed is shown as it is).
CODES = {
    "recipient": {"police": _l("Police liaison"), "municipality": _l("Municipality"), "school": _l("School")},
    "legal_basis": {"ssp_115": _l("Administration of Justice Act § 115 (SSP cooperation)"),
                    "consent": _l("Consent from the person or their parents"),
                    "mandatory_notification": _l("Mandatory notification (the law on children)")},
    "parts": {"summary": _l("Summary"), "category_severity": _l("Category and severity"),
              "description": _l("Description"), "actions": _l("Actions"), "cpr": _l("CPR number")},
    "state": {"new": _l("New"), "in_triage": _l("In triage"), "in_ssp": _l("In SSP"),
              "action_agreed": _l("Action agreed"), "closed": _l("Closed")},
    "severity": {"low": _l("Low"), "medium": _l("Medium"), "high": _l("High"), "acute": _l("Acute")},
    "category": {"school_absence": _l("School absence"), "crime": _l("Crime or suspected crime"),
                 "violence": _l("Violence"), "substance_use": _l("Substance use"),
                 "radicalisation": _l("Radicalisation or extremism"), "gang": _l("Gang affiliation"),
                 "wellbeing": _l("Wellbeing or neglect"), "neighbourhood_conflict": _l("Neighbourhood conflict"),
                 "other": _l("Other")},
    "source": {"own_observation": _l("Own observation"), "resident": _l("A resident"), "school": _l("School"),
               "institution": _l("Institution or club"), "police": _l("Police"), "other": _l("Other")},
    "status": {"open": _l("Open"), "paused": _l("Paused"), "closed": _l("Closed")},
    "focus_areas": {"language": _l("Language development"), "democracy": _l("Democratic formation"),
                    "attendance": _l("Attendance"), "parental_responsibility": _l("Parental responsibility"),
                    "other": _l("Other")},
    "session_kind": {"home_visit": _l("Home visit"), "office": _l("Meeting at the office"),
                     "phone": _l("Phone call"), "group_session": _l("Group session"),
                     "institution_visit": _l("Accompanied visit to an institution")},
    "relation": {"parent": _l("Parent"), "guardian": _l("Guardian"), "child": _l("Child"), "other": _l("Other")},
    "programme": {"counselling": _l("Parent counselling"), "mentoring": _l("Job mentoring"),
                  "courses": _l("Youth courses"), "concerns": _l("Concerns (SSP)")},
    "purpose": CONSENT_PURPOSES, "given_by": GIVEN_BY, "method": METHODS,
}
CODES["topics"] = CODES["focus_areas"]
CODES["to"] = CODES["from"] = CODES["state"]
CODES["role"] = {"parent": _l("Parent"), "child": _l("Child")}

CONSENT_STATUS = {"active": _l("Active"), "withdrawn": _l("Withdrawn"), "expired": _l("Expired"),
                  "future": _l("Not yet in force")}

LABELS = {
    "purposes": CONSENT_PURPOSES, "given_by": GIVEN_BY, "methods": METHODS, "grounds": GROUNDS,
    "outcomes": OUTCOMES, "patterns": PATTERNS, "domains": DOMAINS, "kinds": KINDS, "fields": FIELDS,
    "consent_status": CONSENT_STATUS, "objects": OBJECTS, "audit_purposes": AUDIT_PURPOSES,
}


def field_label(key: str):
    return FIELDS.get(key) or key.replace("_", " ").capitalize()


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?$")


def readable(value, key: str | None = None):
    """A value from an export as people read it: codes named, dates and times formatted, yes/no, a dash
    for nothing."""
    if isinstance(value, str) and key in CODES and value in CODES[key]:
        return CODES[key][value]
    if value is None or value == "" or value == []:
        return "–"
    if value is True:
        return _l("Yes")
    if value is False:
        return _l("No")
    if isinstance(value, str) and _DATE.match(value):
        return format_date(date.fromisoformat(value))
    if isinstance(value, str) and _DATETIME.match(value):
        return format_datetime(datetime.fromisoformat(value.rstrip("Z")), "short")
    if isinstance(value, list | tuple):
        return ", ".join(str(readable(v, key)) for v in value)
    return value
