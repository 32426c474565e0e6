"""Crime-prevention concerns (SSP): filing, triage, sharing with police liaisons, notifications."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain, NavEntry, Programme
from caseapp.security.permissions import Permission

bp = Blueprint("concerns", __name__, url_prefix="/concerns", template_folder="templates")
api_bp = Blueprint("concerns", __name__)

from caseapp.domains.concerns import agenda, api, demo, measures, services, views  # noqa: E402,F401 (api and views add routes to the blueprints)

DOMAIN = Domain(
    name="concerns",
    package=__name__,
    blueprint=bp,
    api=api_bp,
    navigation=(NavEntry("concerns.index", _l("Concerns"), Permission.CONCERNS_READ),),
    programmes=(Programme("concerns", _l("Concerns (SSP)"), roles=("ssp",)),),
    # A share "on consent" rests on one of these (the recipient decides which).
    consent_purposes={
        "share_school": _l("Share information with the school"),
        "share_ssp": _l("Share information in the SSP cooperation (school, social services, police)"),
        "share_municipality": _l("Share information with the municipality"),
    },
    retention={"concerns_closed": 2 * 365},  # crime prevention keeps the least
    privacy=services.SOURCE,
    person_scopes={"ssp": (services.concern_subjects, services.involved_people)},
    consent_withdrawal=(services.end_shares_resting_on_consent,),
    landing_panels=(views.acute_panel, views.overdue_panel, views.concerns_panel),
    person_sections=(views.person_concerns,),
    agenda=(agenda.agenda,),
    seeder=demo.seed,
    measures=measures.MEASURES,
)
