"""Fields repeated once per row (one form per candidate or participant): the enrol page's reason for
accepting someone outside the age band keeps the field's own id on the candidate just sent, so the error
summary's link reaches it; every reason with a limit has its counter and no cutting maxlength."""

from __future__ import annotations

import re
from datetime import date

from tests.conftest import log_in


def test_a_refused_reason_is_linked_from_the_summary_and_counted(client, make_user, make_course, make_youth):
    leader = make_user("course_leader")
    course_id = make_course(leader, age=(14, 19))
    # Two adults the name search finds (make_youth numbers last names: both are "Voksen0").
    adults = [make_youth(1, birth_year=date.today().year - age, last_name="Voksen")[0] for age in (30, 31)]
    log_in(client, leader)
    url = f"/courses/{course_id}/enrol?q=Voksen0"
    html = client.get(url).get_data(as_text=True)
    assert html.count('class="char-count"') == 2 and " maxlength=" not in html
    refused = client.submit(url, {"person_id": adults[0], "age_reason": "x" * 1001})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'href="#age_reason"' in html
    sent = re.search(r'<textarea[^>]*id="age_reason"[^>]*>(x*)</textarea>', html)
    assert sent and len(sent.group(1)) == 1001, "the typed reason is kept whole"
    assert 'aria-describedby="age_reason-count age_reason-error"' in sent.group(0)
    assert 'id="age_reason-error"' in html
    other = re.search(rf'<textarea[^>]*id="age-{adults[1]}"[^>]*>(.*?)</textarea>', html)
    assert other and other.group(1) == "" and "aria-invalid" not in other.group(0)


def test_each_participants_drop_out_reason_has_its_counter(client, make_user, make_course, make_youth, enrol):
    leader = make_user("course_leader")
    course_id = make_course(leader)
    enrolments = enrol(leader, course_id, make_youth(2))
    log_in(client, leader)
    html = client.get(f"/courses/{course_id}").get_data(as_text=True)
    for enrolment_id in enrolments:
        area = re.search(rf'<textarea[^>]*id="reason-{enrolment_id}"[^>]*>', html).group(0)
        assert 'data-maxlength="1000"' in area and " maxlength=" not in area
        assert f'aria-describedby="reason-{enrolment_id}-count"' in area and f'id="reason-{enrolment_id}-count"' in html
