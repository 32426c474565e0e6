"""Youth courses (udviklingsforløb for unge): courses, sessions, enrolment with a waiting list, one-tap
attendance registers, the completion rule and later outcomes."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain, NavEntry, Programme
from caseapp.security.permissions import Permission

bp = Blueprint(
    "courses",
    __name__,
    url_prefix="/courses",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
api_bp = Blueprint("courses", __name__)

from caseapp.domains.courses import access, api, demo, measures, privacy, views  # noqa: E402,F401 (api and views add routes)

DOMAIN = Domain(
    name="courses",
    package=__name__,
    blueprint=bp,
    api=api_bp,
    navigation=(NavEntry("courses.index", _l("Youth courses"), Permission.COURSES_READ),),
    # A course leader's assignment to a participant comes with the enrolment and ends with the course.
    programmes=(Programme(access.PROGRAMME, _l("Youth courses"), roles=("course_leader",)),),
    consent_purposes={"courses": _l("Youth course participation")},
    # Participants are anonymised (counts kept) this long after their course ended.
    retention={"courses_ended": 3 * 365},
    privacy=privacy.SOURCE,
    landing_panels=(views.today_panel,),
    person_sections=(views.person_section,),
    agenda=(views.agenda,),
    seeder=demo.seed,
    measures=measures.MEASURES,
    extra={"person_facts": views.person_facts},
)
