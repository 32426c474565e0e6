"""Job mentoring and leisure-job counselling: programmes, mentors, matching, relationships with their plan,
goals, meetings, leisure jobs, outcomes and follow-ups."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from caseapp.domain import Domain, Measure, NavEntry, Programme
from caseapp.security.permissions import Permission

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring", template_folder="templates")
api_bp = Blueprint("mentoring", __name__)

from caseapp.domains.mentoring import access, api, demo, labels, models, privacy, queries, views  # noqa: E402,F401

_RESULTS = dict(labels.RESULT_LABELS)


def person_facts(user, person) -> list[tuple[object, object]]:
    """The person header's mentoring facts (Domain.extra["person_facts"]): each relationship the user
    may see that has not ended, with its state and programme."""
    from flask_babel import gettext

    from caseapp.extensions import db
    from caseapp.security.permissions import can

    if not can(user, Permission.MENTORING_READ):
        return []
    query = access.relationships_visible_to(user).where(
        models.Relationship.person_id == person.id, models.Relationship.state.in_(("proposed", "active", "paused"))
    )
    return [
        (gettext("Mentoring"), f"{r.programme.name}: {labels.STATE_LABELS[r.state]}") for r in db.session.scalars(query)
    ]


DOMAIN = Domain(
    name="mentoring",
    package=__name__,
    blueprint=bp,
    api=api_bp,
    navigation=(NavEntry("mentoring.index", _l("Mentoring"), Permission.MENTORING_READ),),
    # The assignment programme that opens a mentee to their mentor (DESIGN §2); the programmes people
    # are matched in are data (MentoringProgramme), configured by leaders.
    programmes=(Programme(access.PROGRAMME, _l("Mentoring"), roles=("mentor",)),),
    consent_purposes={"mentoring": _l("Job mentoring")},
    retention={"mentoring_ended": 3 * 365},  # ended relationships (their outcomes stay as anonymous counts)
    privacy=privacy.SOURCE,
    landing_panels=(views.caseload_panel,),
    person_sections=(views.person_section,),
    agenda=(views.agenda,),
    seeder=demo.seed,
    extra={"person_facts": person_facts},
    measures=(
        Measure(
            "mentoring.relationship",
            _l("Mentoring relationships"),
            "persons",
            queries.relationship_rows,
            outcomes=dict(labels.RELATIONSHIP_OUTCOMES),
        ),
        Measure("mentoring.meeting", _l("Mentoring meetings"), "contacts", queries.meeting_rows),
        Measure(
            "mentoring.leisure_job",
            _l("Leisure jobs held"),
            "persons",
            queries.placement_rows,
            outcomes=dict(labels.PLACEMENT_OUTCOMES),
        ),
        Measure(
            "mentoring.outcome",
            _l("Mentoring outcomes"),
            "outcomes",
            queries.outcome_rows,
            outcomes=dict(labels.OUTCOME_LABELS),
        ),
        Measure(
            "mentoring.followup",
            _l("Follow-ups of outcomes (3 and 6 months)"),
            "outcomes",
            queries.followup_rows,
            outcomes=_RESULTS,
        ),
        Measure("mentoring.guidance", _l("Open guidance contacts"), "headcount", queries.guidance_rows),
    ),
)
