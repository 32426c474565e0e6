"""The plan's codes and their labels (lazy, translated); the models' code tuples are the keys here."""

from flask_babel import lazy_gettext as _l

PARTNER_KIND_LABELS = {
    "housing_organisation": _l("Housing organisation"),
    "municipality": _l("Municipality"),
    "other": _l("Other partner"),
}
APPROVAL_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Sent for approval"),
    "approved": _l("Approved"),
}
