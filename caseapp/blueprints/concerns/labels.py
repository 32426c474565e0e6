"""Display names of the concerns domain's codes (Danish by default, from this blueprint's catalogue)."""

from flask_babel import lazy_gettext as _l

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

