"""Mistyped input is kept and named (issue 17): a session with an impossible date and a number written
in words comes back 422 with "Ugyldig dato: 31-02-2026" on the field (also in an action row), the typed
text still in the fields, and nothing saved."""

from __future__ import annotations

import re

from caseapp.domains.counselling.models import CounsellingSession
from caseapp.extensions import db


def test_a_mistyped_date_and_number_are_named_and_kept(app, client, login_as, make_family, make_case):
    worker = login_as("social_worker")
    family = make_family(worker)
    case_id = make_case(worker, family, session=False)
    response = client.submit(
        f"/counselling/cases/{case_id}/sessions/new",
        {
            "held_on": "31-02-2026",
            "duration_minutes": "tres",
            "kind": "home_visit",
            "attendees": [family["parent"]],
            "notes": "Hjemmebesøg.",
            "actions-0-description": "Ring til skolen",
            "actions-0-owner": "counsellor",
            "actions-0-due_on": "2026-13-01",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    # Not "Angiv datoen." (it is not missing, it is wrong).
    assert "Ugyldig dato: 31-02-2026. Skriv den som åååå-mm-dd." in html and "Angiv datoen" not in html
    assert "Ugyldig dato: 2026-13-01." in html and "Ugyldigt heltal: tres." in html
    assert re.search(r'name="held_on"[^>]*value="31-02-2026"|value="31-02-2026"[^>]*name="held_on"', html)
    assert 'value="tres"' in html and 'value="2026-13-01"' in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CounsellingSession)) == 0
