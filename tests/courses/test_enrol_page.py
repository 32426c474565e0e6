"""The enrolment page: the person picker over the leader's own people with their age at the course's start,
someone outside the age band only with the confirmation and a reason (the form refuses and keeps what was
chosen and typed), and a young person outside the caseload found by the whole CPR number, audited."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date

from sqlalchemy import select

from caseapp.domains.courses.models import Course
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from tests.conftest import log_in


def _enrolled(app, course_id) -> dict[str, str | None]:
    """{person id: age reason} of the course's enrolments."""
    with app.app_context():
        course = db.session.get(Course, uuid.UUID(course_id))
        return {str(e.person_id): e.age_reason for e in course.enrolments}


def test_the_picker_offers_the_leaders_own_people_not_yet_on_the_course(
    app, client, login_as, make_course, make_youth, in_caseload, enrol
):
    leader = login_as("course_leader")
    course_id = make_course(leader, age=(14, 19))
    mine = in_caseload(leader, make_youth(3, last_name="Egen"))
    (stranger,) = make_youth(1, birth_year=date.today().year - 15, last_name="Fremmed")
    enrol(leader, course_id, mine[:1])
    page = client.get(f"/courses/{course_id}/enrol").get_data(as_text=True)
    assert "data-picker" in page and 'data-age-min="14"' in page and 'data-age-max="19"' in page
    offered = set(re.findall(r'name="person_id" value="([0-9a-f-]{36})"', page))
    assert offered == set(mine[1:]), "the picker shows the leader's people who are not on the course, no one else"
    assert "Fremmed" not in page and "16 år" in page

    response = client.submit(f"/courses/{course_id}/enrol", {"person_id": mine[1]})
    assert response.status_code == 302
    # Someone outside the caseload, posted by id without a CPR look-up, is not enrolled.
    refused = client.submit(f"/courses/{course_id}/enrol", {"person_id": stranger})
    assert refused.status_code == 422
    assert set(_enrolled(app, course_id)) == set(mine[:2])


def test_outside_the_age_band_the_form_refuses_without_the_confirmation_and_keeps_the_input(
    app, client, login_as, make_course, make_youth, in_caseload
):
    leader = login_as("course_leader")
    course_id = make_course(leader, age=(14, 15))
    (older,) = in_caseload(leader, make_youth(1, birth_year=date.today().year - 19, last_name="Storebror"))
    url = f"/courses/{course_id}/enrol"
    page = client.get(url).get_data(as_text=True)
    assert "uden for forløbets aldersgruppe" in page  # the picker's warning, shown by the script on choosing

    unconfirmed = client.submit(url, {"person_id": older, "age_reason": "Søster på holdet"})
    body = unconfirmed.get_data(as_text=True)
    assert unconfirmed.status_code == 422
    assert "19 år" in body and "14–15" in body and "bekræft" in body
    assert re.search(rf'value="{older}"[^>]* checked', body), "the chosen person stays chosen"
    assert "Søster på holdet" in body, "the reason typed is kept"

    no_reason = client.submit(url, {"person_id": older, "confirm_age": "y"})
    assert no_reason.status_code == 422 and "skriv hvorfor de optages" in no_reason.get_data(as_text=True)
    assert _enrolled(app, course_id) == {}

    confirmed = client.submit(url, {"person_id": older, "confirm_age": "y", "age_reason": "Søster på holdet"})
    assert confirmed.status_code == 302
    assert _enrolled(app, course_id) == {older: "Søster på holdet"}


def test_a_reason_typed_for_someone_inside_the_band_is_not_recorded(
    app, client, login_as, make_course, make_youth, in_caseload
):
    leader = login_as("course_leader")
    course_id = make_course(leader, age=(14, 19))
    (inside,) = in_caseload(leader, make_youth(1))
    response = client.submit(f"/courses/{course_id}/enrol", {"person_id": inside, "age_reason": "Glemt tekst"})
    assert response.status_code == 302
    assert _enrolled(app, course_id) == {inside: None}


def test_a_young_person_outside_the_caseload_is_found_by_the_whole_cpr_and_audited(
    app, client, login_as, make_user, make_course, make_youth
):
    leader = login_as("course_leader")
    course_id = make_course(leader)
    (youth,) = make_youth(1, last_name="Nyhold")
    cpr = f"0101{(date.today().year - 16) % 100:02d}4000"
    lookup = f"/courses/{course_id}/enrol/lookup"

    partial = client.submit(lookup, {"cpr": cpr[:6]}, token_from=f"/courses/{course_id}/enrol")
    assert partial.status_code == 422 and "DDMMÅÅ-SSSS" in partial.get_data(as_text=True)
    unknown = client.submit(lookup, {"cpr": "311299-9999"}, token_from=f"/courses/{course_id}/enrol")
    assert unknown.status_code == 422 and "Ingen i registret" in unknown.get_data(as_text=True)

    found = client.submit(lookup, {"cpr": f"{cpr[:6]}-{cpr[6:]}"}, token_from=f"/courses/{course_id}/enrol")
    assert found.status_code == 303
    assert cpr[:6] not in found.location and youth not in found.location, "neither number nor person in the URL"
    page = client.get(found.location).get_data(as_text=True)
    assert "Nyhold" in page and re.search(rf'value="{youth}"[^>]* checked', page)

    enrolled = client.submit(found.location, {"person_id": youth})
    assert enrolled.status_code == 302
    assert set(_enrolled(app, course_id)) == {youth}
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "courses.enrolment.search").order_by(AuditEvent.seq)
        ).all()
        assert [json.loads(e.detail)["found"] for e in events] == [False, True]  # the malformed one looked up nothing
        assert events[1].subject_id == youth and events[1].actor_id == leader.id
        assert all(cpr[:6] not in e.detail for e in events)

    # The look-up is the leader's own: another leader's session cannot use its id.
    other, other_client = make_user("course_leader"), app.test_client()
    log_in(other_client, other)
    other_course = make_course(other)
    search_id = found.location.rsplit("found=", 1)[1]
    theirs = other_client.get(f"/courses/{other_course}/enrol?found={search_id}").get_data(as_text=True)
    assert "Nyhold" not in theirs


def test_a_cpr_look_up_of_someone_already_on_the_course_says_so(app, client, login_as, make_course, make_youth, enrol):
    leader = login_as("course_leader")
    course_id = make_course(leader)
    (youth,) = make_youth(1)
    enrol(leader, course_id, [youth])
    cpr = f"0101{(date.today().year - 16) % 100:02d}4000"
    answer = client.submit(f"/courses/{course_id}/enrol/lookup", {"cpr": cpr}, token_from=f"/courses/{course_id}/enrol")
    assert answer.status_code == 422 and "allerede" in answer.get_data(as_text=True)
