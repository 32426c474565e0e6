"""Display names of the concerns domain's codes (Danish by default, from this blueprint's catalogue)."""

from flask_babel import lazy_gettext as _l

from caseapp.privacy import DisplayNames

SOURCES = {
    "own_observation": _l("Own observation"),
    "resident": _l("A resident"),
    "school": _l("School"),
    "institution": _l("Institution or club"),
    "police": _l("Police"),
    "other": _l("Other"),
}
CATEGORIES = {
    "school_absence": _l("School absence"),
    "crime": _l("Crime or suspected crime"),
    "violence": _l("Violence"),
    "substance_use": _l("Substance use"),
    "radicalisation": _l("Radicalisation or extremism"),
    "gang": _l("Gang affiliation"),
    "wellbeing": _l("Wellbeing or neglect"),
    "neighbourhood_conflict": _l("Neighbourhood conflict"),
    "other": _l("Other"),
}
SEVERITIES = {"low": _l("Low"), "medium": _l("Medium"), "high": _l("High"), "acute": _l("Acute")}

STATES = {
    "new": _l("New"),
    "in_triage": _l("In triage"),
    "in_ssp": _l("In SSP"),
    "action_agreed": _l("Action agreed"),
    "closed": _l("Closed"),
}
OUTCOMES = {
    "no_further_action": _l("No further action needed"),
    "resolved": _l("Resolved through the agreed actions"),
    "referred_municipality": _l("Referred to the municipality"),
    "referred_police": _l("Handed over to the police"),
    "moved_away": _l("Moved away"),
    "other": _l("Other"),
}

RECIPIENTS = {"police": _l("Police liaison"), "municipality": _l("Municipality"), "school": _l("School")}
LEGAL_BASES = {
    "ssp_115": _l("Administration of Justice Act § 115 (SSP cooperation)"),
    "consent": _l("Consent from the person or their parents"),
    "mandatory_notification": _l("Mandatory notification (the law on children)"),
}
PARTS = {
    "summary": _l("Summary"),
    "category_severity": _l("Category and severity"),
    "description": _l("Description"),
    "actions": _l("Actions"),
    "cpr": _l("CPR number"),
}
AMENDABLE = {"summary": _l("Summary"), "description": _l("Description"), "note": _l("Transition note")}
AREA_ELSEWHERE = _l("Outside the estate")


# How concerns read in a resident's access export (see caseapp/privacy.py).
EXPORT_NAMES = DisplayNames(
    title=_l("Concerns (SSP)"),
    kinds={"concern": _l("Concern"), "concern_involvement": _l("Named in a concern about someone else")},
    fields={
        "filed_at": _l("Filed"),
        "observed_on": _l("Observed"),
        "area": _l("Housing section"),
        "source": _l("Source"),
        "category": _l("Category"),
        "severity": _l("Severity"),
        "summary": _l("Summary"),
        "description": _l("Description"),
        "child_knows": _l("The child knows"),
        "parents_know": _l("The parents know"),
        "state": _l("State"),
        "outcome": _l("Outcome"),
        "amendments": _l("Amendments"),
        "field": _l("Field"),
        "text": _l("Text"),
        "at": _l("Time"),
        "transitions": _l("History"),
        "from": _l("From"),
        "to": _l("To"),
        "note": _l("Note"),
        "actions": _l("Actions"),
        "due_on": _l("Due"),
        "done_at": _l("Done"),
        "shares": _l("Shared with"),
        "recipient": _l("Recipient"),
        "legal_basis": _l("Legal basis"),
        "purpose": _l("Purpose"),
        "parts": _l("What was shared"),
        "shared_at": _l("Shared"),
        "expires_on": _l("Expires"),
        "ended_at": _l("Ended"),
        "notification": _l("Mandatory notification"),
        "flagged_at": _l("Flagged"),
        "sent_at": _l("Sent"),
        "acknowledged_at": _l("Receipt confirmed"),
        "since": _l("Since"),
    },
    codes={
        "source": SOURCES,
        "category": CATEGORIES,
        "severity": SEVERITIES,
        "state": STATES,
        "from": STATES,
        "to": STATES,
        "outcome": OUTCOMES,
        "recipient": RECIPIENTS,
        "legal_basis": LEGAL_BASES,
        "parts": PARTS,
        "field": AMENDABLE,
    },
    objects={
        "concern": _l("Concern"),
        "concern_share": _l("Share of a concern"),
        "concern_action": _l("Action on a concern"),
    },
)
