"""Display names of the people register's codes and exported records (from this blueprint's catalogue)."""

from flask_babel import lazy_gettext as _l

from caseapp.domain import DECLARED_PROGRAMMES
from caseapp.privacy import DisplayNames

GENDER_LABELS = {"female": _l("Female"), "male": _l("Male"), "other": _l("Other gender"), "unknown": _l("Unknown")}
RELATION_LABELS = {"parent": _l("Parent"), "guardian": _l("Guardian"), "child": _l("Child"), "other": _l("Other")}

EXPORT_NAMES = DisplayNames(
    title=_l("Personal details"),
    kinds={
        "person": _l("Registered details"),
        "household_membership": _l("Household"),
        "assignment": _l("Responsible staff (programme)"),
    },
    fields={
        "first_name": _l("First name"),
        "last_name": _l("Last name"),
        "cpr": _l("CPR number"),
        "birth_date": _l("Birth date"),
        "phone": _l("Phone"),
        "email": _l("E-mail"),
        "address": _l("Address"),
        "area": _l("Housing section"),
        "preferred_language": _l("Preferred language"),
        "notes": _l("Notes"),
        "gender": _l("Gender"),
        "registered": _l("Registered"),
        "relation": _l("Relation"),
        "household_id": _l("Household number"),
        "programme": _l("Programme"),
        "starts_on": _l("Starts"),
        "ends_on": _l("Ends"),
    },
    codes={"relation": RELATION_LABELS, "gender": GENDER_LABELS, "programme": DECLARED_PROGRAMMES},
    objects={"person": _l("Your personal details"), "household": _l("Household"), "assignment": _l("Assignment")},
)
