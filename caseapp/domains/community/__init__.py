"""Civil society (civilsamfund): associations and the support they get, volunteers (persons in the register,
no login) with child-protection vetting, placements and hours, and activities with anonymous head counts."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain, NavEntry
from caseapp.security.permissions import Permission

bp = Blueprint("community", __name__, url_prefix="/community", template_folder="templates")
api_bp = Blueprint("community", __name__, url_prefix="/community")

from caseapp.domains.community import access, api, demo, measures, privacy, services, views  # noqa: E402,F401
from caseapp.domains.community import vetting as _vetting  # noqa: E402


def child_vetting(person_id, day):
    """Offered to other domains: a person's child-protection certificate status on `day`:
    "valid", "missing" (never vetted, pending, or entries found), "expired" or "refused"."""
    from sqlalchemy import select

    from caseapp.domains.community.models import Vetting
    from caseapp.extensions import db

    rows = db.session.scalars(select(Vetting).where(Vetting.person_id == person_id)).all()
    return _vetting.offered_status(_vetting.status_on(rows, day, _vetting.interval_months()))


DOMAIN = Domain(
    name="community",
    package=__name__,
    blueprint=bp,
    api=api_bp,
    navigation=(NavEntry("community.index", _l("Civil society"), Permission.COMMUNITY_READ, section="community."),),
    retention={privacy.RETENTION_KEY: 2 * 365},  # ended volunteers: two years after they stopped
    privacy=privacy.SOURCE,
    person_scopes={"coordinator": (access.volunteer_people,)},
    landing_panels=(views.coordinator_panel,),
    person_sections=(views.person_section,),
    agenda=(views.agenda,),
    seeder=demo.seed,
    measures=measures.MEASURES,
    extra={
        "child_vetting": child_vetting,
        "associations": services.active_associations,
        "volunteers": services.active_volunteer_people,
    },
)
