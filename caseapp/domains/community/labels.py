"""Display names of the civil-society domain's codes, and how its records read in an access export."""

from flask_babel import lazy_gettext as _l

from caseapp.privacy import DisplayNames

SUPPORT_LABELS = {
    "advice": _l("Advice"),
    "premises": _l("Premises"),
    "money": _l("Money (kr.)"),
    "hours": _l("Staff hours"),
}
KIND_LABELS = {
    "bydelsmoedre": _l("Bydelsmødre (neighbourhood mothers)"),
    "lektiecafe": _l("Homework café"),
    "lommepengejob": _l("Pocket-money jobs"),
    "faedregruppe": _l("Fathers' group"),
    "sport": _l("Sport and exercise"),
    "culture": _l("Culture and creative"),
    "event": _l("Event or celebration"),
    "meeting_place": _l("Meeting place"),
    "other": _l("Other"),
}
AGE_LABELS = {
    "0_5": _l("0–5 years"),
    "6_14": _l("6–14 years"),
    "15_17": _l("15–17 years"),
    "18_29": _l("18–29 years"),
    "30_64": _l("30–64 years"),
    "65_plus": _l("65 years or more"),
}
GENDER_LABELS = {"female": _l("Female"), "male": _l("Male"), "other": _l("Other or not known")}
ORGANISER_LABELS = {"association": _l("An association"), "staff": _l("The secretariat's staff")}
ASSESSMENT_LABELS = {"no_entries": _l("No entries"), "entries": _l("Entries")}
STATUS_LABELS = {
    "valid": _l("Valid"),
    "pending": _l("Requested"),
    "entries": _l("Entries found"),
    "expired": _l("Expired"),
    "refused": _l("Consent refused"),
    "missing": _l("None"),
}

EXPORT_NAMES = DisplayNames(
    title=_l("Civil society (volunteering)"),
    kinds={
        "community_volunteer": _l("Volunteer"),
        "community_vetting": _l("Child-protection certificate"),
        "community_placement": _l("Activity you help with"),
        "community_hours": _l("Volunteer hours"),
    },
    fields={
        "started_on": _l("Started"),
        "ended_on": _l("Ended"),
        "associations": _l("Associations"),
        "requested_on": _l("Requested"),
        "consent_on": _l("Consent given"),
        "consent_refused_on": _l("Consent refused"),
        "received_on": _l("Received"),
        "assessment": _l("Assessment"),
        "note": _l("Note"),
        "activity": _l("Activity"),
        "role": _l("Role"),
        "placed_on": _l("Placed"),
        "override_reason": _l("Reason for the override"),
        "given_on": _l("Date"),
        "hours": _l("Hours"),
        "children_contact": _l("Contact with children under 15"),
    },
    codes={"assessment": ASSESSMENT_LABELS},
    objects={
        "community_volunteer": _l("Volunteer"),
        "community_vetting": _l("Child-protection certificate"),
        "community_placement": _l("Placement"),
        "community_hours": _l("Volunteer hours"),
        "community_association": _l("Association"),
        "community_activity": _l("Activity"),
        "community_occurrence": _l("Activity occurrence"),
        "community_support": _l("Support"),
    },
)
