"""A volunteer leads a course only with valid child-protection vetting, asked of whichever domain records
it (provided("child_vetting")); with no such domain, a volunteer is refused with a message saying so."""

from __future__ import annotations

import uuid

import pytest

import caseapp.domains
from caseapp.domain import Domain
from caseapp.domains.courses import services
from caseapp.domains.courses.models import Course
from caseapp.errors import Refused
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.register.models import Person
from tests.people.factories import make_person

VETTING: dict[str, str] = {}


@pytest.fixture
def app_with_vetting(other_app, monkeypatch):
    """The app with a test-only domain that records vetting (as the civil-society domain does)."""
    vetting = Domain(
        name="vettingtest",
        package=__name__,
        extra={"child_vetting": lambda person_id, day: VETTING.get(str(person_id), "missing")},
    )
    monkeypatch.setattr(caseapp.domains, "DOMAINS", (*_without_vetting(), vetting))
    VETTING.clear()
    return other_app()


def _without_vetting():
    """The app's domains but any that records vetting (the civil-society domain does)."""
    return tuple(d for d in caseapp.domains.DOMAINS if "child_vetting" not in d.extra)


@pytest.fixture
def app_without_vetting(other_app, monkeypatch):
    monkeypatch.setattr(caseapp.domains, "DOMAINS", _without_vetting())
    return other_app()


def _add(application, leader, course_id, person_id):
    with application.test_request_context():
        course = db.session.get(Course, uuid.UUID(course_id))
        services.add_volunteer_leader(
            course, db.session.get(Person, uuid.UUID(person_id)), db.session.get(User, leader.id)
        )
        db.session.commit()
        return [str(x.person_id) for x in course.leaders if x.person_id]


def test_without_a_domain_that_records_vetting_a_volunteer_is_refused(app_without_vetting, make_user, make_course):
    leader = make_user("course_leader")
    course_id = make_course(leader)
    volunteer = make_person(app_without_vetting, first_name="Frida", last_name="Frivillig", cpr="0101904321")
    with pytest.raises(Refused) as refused:
        _add(app_without_vetting, leader, course_id, volunteer)
    assert "cannot be checked" in str(refused.value.message)


@pytest.mark.parametrize("state", ["missing", "expired", "refused"])
def test_a_volunteer_without_valid_vetting_is_refused(app_with_vetting, make_user, make_course, state):
    leader = make_user("course_leader")
    course_id = make_course(leader)
    volunteer = make_person(app_with_vetting, first_name="Frida", last_name="Frivillig", cpr="0101904321")
    VETTING[volunteer] = state
    with pytest.raises(Refused):
        _add(app_with_vetting, leader, course_id, volunteer)


def test_a_volunteer_with_valid_vetting_leads_the_course(app_with_vetting, make_user, make_course):
    leader = make_user("course_leader")
    course_id = make_course(leader)
    volunteer = make_person(app_with_vetting, first_name="Frida", last_name="Frivillig", cpr="0101904321")
    VETTING[volunteer] = "valid"
    assert _add(app_with_vetting, leader, course_id, volunteer) == [volunteer]


def test_a_partner_association_is_offered_when_a_domain_provides_them(other_app, monkeypatch, make_user):
    offers = Domain(
        name="associationstest", package=__name__, extra={"associations": lambda: [(7, "Boldklubben Bøgeparken")]}
    )
    monkeypatch.setattr(caseapp.domains, "DOMAINS", (*caseapp.domains.DOMAINS, offers))
    application = other_app()
    from tests.conftest import log_in

    client = application.test_client()
    log_in(client, make_user("course_leader"))
    form = client.get("/courses/new").get_data(as_text=True)
    assert "Boldklubben Bøgeparken" in form
    response = client.submit(
        "/courses/new",
        {
            "title": "Fodboldskolen",
            "starts_on": "2026-01-05",
            "ends_on": "2026-02-20",
            "capacity": "10",
            "partner_kind": "association",
            "partner_association_id": "7",
            "follow_up_months": "3,6",
            "min_attendance_pct": "75",
        },
        token_from="/courses/new",
    )
    assert response.status_code == 302
    with application.app_context():
        course = db.session.scalar(db.select(Course).where(Course.title == "Fodboldskolen"))
        assert (course.partner_kind, course.partner_name, course.partner_association_id) == (
            "association",
            "Boldklubben Bøgeparken",
            "7",
        )


def test_the_civil_society_domains_vetting_decides_for_a_volunteer_leader(app, make_user, make_course):
    """The two domains together, as the app lists them: community records the certificate, courses asks."""
    from caseapp.domains.community.models import Volunteer
    from tests.community import factories as community

    leader = make_user("course_leader")
    course_id = make_course(leader)
    unvetted = community.volunteer(app, first_name="Uffe", last_name="Uattesteret")
    vetted = community.volunteer(app, first_name="Vera", last_name="Attesteret")
    community.vet(app, vetted)
    with app.app_context():
        person_of = {v: str(db.session.get(Volunteer, uuid.UUID(v)).person_id) for v in (unvetted, vetted)}
    with pytest.raises(Refused):
        _add(app, leader, course_id, person_of[unvetted])
    assert person_of[vetted] in _add(app, leader, course_id, person_of[vetted])
