"""Data protection: consent, subject access, erasure, retention, records of processing, emergency access."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain, NavEntry
from caseapp.security.permissions import Permission

bp = Blueprint(
    "dataprotection",
    __name__,
    url_prefix="/data-protection",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
api_bp = Blueprint("dataprotection", __name__)

from caseapp.domains.dataprotection import api, cli, demo, models, privacy, views  # noqa: E402,F401 (api and views add routes to the blueprints)

DOMAIN = Domain(
    name="dataprotection",
    package=__name__,
    blueprint=bp,
    api=api_bp,
    navigation=(NavEntry("dataprotection.index", _l("Data protection"), Permission.DATA_PROTECTION),),
    consent_purposes={"photos": _l("Photos at activities")},
    retention={
        "consent_ended": 5 * 365,  # withdrawn or expired consents: proof of what processing rested on
        "break_glass": 5 * 365,  # emergency access grants
        "audit_events": 5 * 365,  # the access log (and the log-review marks on it)
    },
    privacy=privacy.SOURCE,
    person_scopes=models.PERSON_SCOPES,
    landing_panels=(views.emergency_panel, views.withdrawals_panel, views.review_panel),
    person_sections=(views.person_data_protection,),
    seeder=demo.seed,
    cli=(cli.retention_cli, cli.logreview_cli),
)
