"""Reasons with a limit: the enrol page's reason for accepting someone outside the age band, and each
participant's drop-out reason (a field repeated once per row) have their counter and no cutting maxlength;
a refused reason is linked from the error summary and kept whole."""

from __future__ import annotations

import re
from datetime import date

from tests.conftest import log_in


def test_a_refused_reason_is_linked_from_the_summary_and_counted(
    client, make_user, make_course, make_youth, in_caseload
):
    leader = make_user("course_leader")
    course_id = make_course(leader, age=(14, 19))
    (adult,) = in_caseload(leader, make_youth(1, birth_year=date.today().year - 30, last_name="Voksen"))
    log_in(client, leader)
    url = f"/courses/{course_id}/enrol"
    html = client.get(url).get_data(as_text=True)
    assert 'class="char-count"' in html and " maxlength=" not in html
    refused = client.submit(url, {"person_id": adult, "confirm_age": "y", "age_reason": "x" * 1001})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'href="#age_reason"' in html
    sent = re.search(r'<textarea[^>]*id="age_reason"[^>]*>\s*(x*)</textarea>', html)
    assert sent and len(sent.group(1)) == 1001, "the typed reason is kept whole"
    assert "age_reason-error" in sent.group(0) and 'id="age_reason-error"' in html


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
