"""The mentoring proposal and the programme's age band: the match page's person picker carries the chosen
programme's band (the warning follows the programme), and a mentee outside it is proposed only with the
leader's confirmation (the form refuses without it, keeping what was typed), audited as such."""

from __future__ import annotations

import json
import re
from datetime import date

from sqlalchemy import select

from caseapp.domains.mentoring.models import Relationship
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from tests.conftest import bearer, log_in
from tests.people.factories import make_person


def _proposal(world, pid, **extra) -> dict:
    return {
        "person_id": pid,
        "programme_id": world["leisure"],
        "mentor_id": world["profile_a"],
        "purpose": "Fritidsjob i Netto",
        "contact_every_days": "14",
    } | extra


def test_the_match_page_picker_follows_the_programmes_age_band(app, client, world):
    young = make_person(app, first_name="Omar", cpr=f"0101{(date.today().year - 15) % 100:02d}4123")
    log_in(client, world["leader"])
    page = client.get(f"/mentoring/match?programme_id={world['leisure']}").get_data(as_text=True)
    picker = re.search(r"<fieldset[^>]*data-picker[^>]*>", page).group(0)
    assert 'data-band-from="programme_id"' in picker and 'data-age-min="13"' in picker and 'data-age-max="17"' in picker
    # Each programme carries its band for the script to follow.
    assert re.search(rf'value="{world["programme"]}" data-age-min="18" data-age-max="64"', page)
    assert re.search(rf'value="{young}" data-age="15"', page)
    assert "uden for indsatsens aldersgruppe" in page  # the picker's warning (shown by the script)


def test_a_mentee_outside_the_band_is_proposed_only_when_the_leader_confirms(app, client, world):
    adult = make_person(app, first_name="Karim", cpr="0101901234")  # 36 years old
    log_in(client, world["leader"])
    url = f"/mentoring/match?person_id={adult}&programme_id={world['leisure']}"
    page = client.get(url).get_data(as_text=True)
    assert "Karim" in page and "13–17" in page and 'name="confirm_age"' in page

    refused = client.submit(url, _proposal(world, adult))
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "36 år" in body and "bekræft" in body
    assert "Fritidsjob i Netto" in body, "what was typed is kept"
    with app.app_context():
        assert db.session.scalars(select(Relationship)).all() == []

    confirmed = client.submit(url, _proposal(world, adult, confirm_age="y"))
    assert confirmed.status_code == 302, confirmed.get_data(as_text=True)[:1000]
    with app.app_context():
        (rel,) = db.session.scalars(select(Relationship)).all()
        assert str(rel.person_id) == adult
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mentoring.relationship.propose"))
        assert json.loads(event.detail)["outside_age_band"] is True


def test_inside_the_band_needs_no_confirmation_and_the_api_asks_for_it_outside(app, client, world, api_token):
    young = make_person(app, first_name="Omar", cpr=f"0101{(date.today().year - 15) % 100:02d}4123")
    adult = make_person(app, first_name="Karim", cpr="0101901234")
    log_in(client, world["leader"])
    url = f"/mentoring/match?person_id={young}&programme_id={world['leisure']}"
    assert 'name="confirm_age"' not in client.get(url).get_data(as_text=True)
    answer = client.submit(url, _proposal(world, young))
    assert answer.status_code == 302

    headers = bearer(api_token(world["leader"]))
    body = {"person_id": adult, "programme_id": world["leisure"], "mentor_id": world["profile_b"]}
    refused = client.post("/api/v1/mentoring/relationships", json=body, headers=headers)
    assert refused.status_code == 422 and "confirm_age" in refused.get_json()["error"]["fields"]
    made = client.post("/api/v1/mentoring/relationships", json=body | {"confirm_age": True}, headers=headers)
    assert made.status_code == 201, made.get_data(as_text=True)
