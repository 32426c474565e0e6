"""The nine staff roles (DESIGN §2). Exact names: other parts and tests rely on them."""

from flask_babel import lazy_gettext as _l

ROLES = (
    "admin",
    "leader",
    "social_worker",
    "mentor",
    "course_leader",
    "ssp",
    "police",
    "coordinator",
    "analyst",
)

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "leader": _l("Leader"),
    "social_worker": _l("Social worker"),
    "mentor": _l("Job mentor"),
    "course_leader": _l("Course leader"),
    "ssp": _l("SSP staff"),
    "police": _l("Police liaison"),
    "coordinator": _l("Coordinator"),
    "analyst": _l("Analyst"),
}
