"""The person header (issue 17): on the person page and on the case pages, with the facts each domain
contributes through Domain.extra["person_facts"]: counselling's next follow-up and open agreed actions."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask_babel import force_locale, format_date

from caseapp.domain import provided


def _header(html: str) -> str:
    return re.search(r'<header class="person-header".*?</header>', html, re.S).group(0)


def test_the_domains_declare_their_person_facts(app):
    with app.app_context():
        sources = provided("person_facts")
        names = {s.__module__.split(".")[2] for s in sources}
        assert {"counselling", "courses", "mentoring"} <= names


def test_person_and_case_pages_show_the_header_with_counselling_facts(
    app, client, login_as, make_user, make_family, make_case
):
    worker = make_user("social_worker")
    family = make_family(worker)
    case_id = make_case(worker, family)
    from tests.conftest import log_in

    log_in(client, worker)
    with app.test_request_context(), force_locale("da"):
        tomorrow = format_date(date.today() + timedelta(days=1))
    person_page = _header(client.get(f"/people/{family['parent']}").get_data(as_text=True))
    assert "Næste opfølgning" in person_page and tomorrow in person_page
    assert re.search(r"Åbne aftalte handlinger</dt><dd>1<", person_page)
    assert "Husstand</a> (Forælder)" in person_page and "Test" in person_page  # the responsible worker
    case_page = _header(client.get(f"/counselling/cases/{case_id}").get_data(as_text=True))
    # On the case page the case has the heading; the header links to the person.
    assert "<h1" not in case_page and f'href="/people/{family["parent"]}"' in case_page
    assert tomorrow in case_page and "Alder" in case_page


def test_no_counselling_facts_for_a_user_who_cannot_see_the_case(app, client, make_user, make_family, make_case):
    from caseapp.register.models import Assignment
    from tests.conftest import log_in

    worker, other = make_user("social_worker"), make_user("course_leader")
    family = make_family(worker)
    make_case(worker, family)
    with app.app_context():
        import uuid

        from caseapp.extensions import db

        db.session.add(Assignment(user_id=other.id, person_id=uuid.UUID(family["parent"]), programme="courses"))
        db.session.commit()
    log_in(client, other)
    page = client.get(f"/people/{family['parent']}")
    assert page.status_code == 200
    header = _header(page.get_data(as_text=True))
    assert "Næste opfølgning" not in header and "Åbne aftalte handlinger" not in header
