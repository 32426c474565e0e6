"""Parent counselling (forældrerådgivning): family cases, sessions, attendance, referrals."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain, NavEntry, Programme
from caseapp.security.permissions import Permission

bp = Blueprint("counselling", __name__, url_prefix="/counselling", template_folder="templates")
api_bp = Blueprint("counselling", __name__)

from caseapp.domains.counselling import access, agenda, api, demo, measures, privacy, views  # noqa: E402,F401 (api and views add routes to the blueprints)

DOMAIN = Domain(
    name="counselling",
    package=__name__,
    blueprint=bp,
    api=api_bp,
    navigation=(NavEntry("counselling.index", _l("Parent counselling"), Permission.COUNSELLING_READ),),
    programmes=(Programme(access.PROGRAMME, _l("Parent counselling"), roles=("social_worker",)),),
    consent_purposes={"counselling": _l("Store data for parent counselling")},
    retention={"counselling_closed": 5 * 365},  # closed cases (Serviceloven journal practice)
    privacy=privacy.SOURCE,
    landing_panels=(views.my_work_panel,),
    person_sections=(views.person_cases,),
    agenda=(agenda.agenda,),
    seeder=demo.seed,
    measures=measures.MEASURES,
    extra={"person_facts": views.person_facts},
)
