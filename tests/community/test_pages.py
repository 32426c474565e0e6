"""The pages people use, through the test client: forms post, errors keep the input, rules hold."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from sqlalchemy import func, select

from caseapp.clock import local_today
from caseapp.domains.community.models import Activity, HeadCount, Occurrence, Placement, Vetting, Volunteer
from caseapp.extensions import db
from tests.community import factories as f
from tests.conftest import log_in


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_coordinator_registers_an_activity_and_records_a_head_count_on_the_grid(app, client, make_user):
    coordinator = make_user("coordinator")
    log_in(client, coordinator)
    made = client.submit(
        "/community/activities/new",
        {
            "title": "Lektiecafé i Egeparken",
            "kind": "lektiecafe",
            "area": "Egeparken",
            "organiser": "staff",
            "for_under_15": "y",
            "recurring": "y",
            "starts_on": (local_today() - timedelta(days=7)).isoformat(),
        },
    )
    assert made.status_code == 302
    with app.app_context():
        activity_id = db.session.scalar(select(Activity.id))
    url = f"/community/activities/{activity_id}/occurrences/new"
    page = client.get(url).get_data(as_text=True)
    assert page.count('type="number"') >= 36 + 1
    # The grid posts every cell; fill two and a wrong total: 422, nothing written, input kept.
    from caseapp.domains.community.forms import grid_formdata

    data = {"held_on": local_today().isoformat(), "total": "9"}
    for index, cell in enumerate(grid_formdata()):
        data[f"counts-{index}-age_band"] = cell["age_band"]
        data[f"counts-{index}-gender"] = cell["gender"]
        if cell["resident"]:
            data[f"counts-{index}-resident"] = "y"
        data[f"counts-{index}-count"] = "0"
    data["counts-0-count"], data["counts-1-count"] = "4", "3"
    wrong = client.submit(url, data)
    assert wrong.status_code == 422
    assert 'value="4"' in wrong.get_data(as_text=True)
    # A cell that is no number: the error summary links that cell (not the grid's list), which names its error.
    bad = client.submit(url, {**data, "counts-1-count": "abc"}).get_data(as_text=True)
    summary = bad.split("data-error-summary")[1].split("</div>")[0]
    assert 'href="#counts-1-count"' in summary and "{" not in summary
    cell = re.search(r'<input[^>]*id="counts-1-count"[^>]*>', bad).group(0)
    assert 'aria-describedby="counts-1-count-error"' in cell and 'id="counts-1-count-error"' in bad
    assert _count(app, Occurrence) == 0
    data["total"] = "7"
    assert client.submit(url, data).status_code == 302
    with app.app_context():
        cells = db.session.scalars(select(HeadCount)).all()
        assert sorted(c.count for c in cells) == [3, 4] and all(c.resident for c in cells)
    shown = client.get(f"/community/activities/{activity_id}").get_data(as_text=True)
    assert "<td>7</td>" in shown


def test_the_vetting_form_refuses_an_uploaded_certificate(app, client, make_user):
    coordinator = make_user("coordinator")
    vid = f.volunteer(app, coordinator)
    log_in(client, coordinator)
    url = f"/community/volunteers/{vid}"
    upload = client.submit(
        f"{url}/vetting",
        {"requested_on": local_today().isoformat(), "certificate": (io.BytesIO(b"%PDF-1.4 attest"), "attest.pdf")},
        token_from=url,
        content_type="multipart/form-data",
    )
    assert upload.status_code == 422
    assert _count(app, Vetting) == 0
    done = client.submit(f"{url}/vetting", {"requested_on": local_today().isoformat()}, token_from=url)
    assert done.status_code == 302 and _count(app, Vetting) == 1


def test_placing_an_unvetted_volunteer_on_the_page_needs_a_leaders_reason(app, client, make_user):
    coordinator, leader = make_user("coordinator"), make_user("leader")
    vid, aid = f.volunteer(app, coordinator), f.activity(app, coordinator)
    url = f"/community/volunteers/{vid}"
    log_in(client, coordinator)
    refused = client.submit(f"{url}/placements", {"activity_id": aid, "children_contact": "y"}, token_from=url)
    assert refused.status_code == 422 and _count(app, Placement) == 0
    client = app.test_client()
    log_in(client, leader)
    page = client.get(url).get_data(as_text=True)
    assert "override_reason" in page
    placed = client.submit(
        f"{url}/placements",
        {"activity_id": aid, "children_contact": "y", "override_reason": "Altid sammen med en godkendt leder"},
        token_from=url,
    )
    assert placed.status_code == 302 and _count(app, Placement) == 1


def test_a_coordinator_registers_and_edits_a_volunteer(app, client, make_user):
    coordinator = make_user("coordinator")
    assoc = f.association(app, coordinator)
    log_in(client, coordinator)
    form = client.get("/community/volunteers/new").get_data(as_text=True)
    assert 'name="person_id"' not in form  # no link into the register for someone who cannot see it
    made = client.submit(
        "/community/volunteers/new",
        {"first_name": "Hassan", "last_name": "Osman", "phone": "+45 30 30 30 30", "associations": assoc},
    )
    assert made.status_code == 302
    with app.app_context():
        volunteer = db.session.scalar(select(Volunteer))
        vid, version = volunteer.id, volunteer.version
        assert volunteer.person.full_name == "Hassan Osman"
    edit = f"/community/volunteers/{vid}/edit"
    assert (
        client.submit(
            edit,
            {
                "first_name": "Hassan",
                "last_name": "Osmani",
                "phone": "+45 30 30 30 31",
                "version": version,
                "associations": assoc,
            },
        ).status_code
        == 302
    )
    assert "Hassan Osmani" in client.get(f"/community/volunteers/{vid}").get_data(as_text=True)
    assert "Hassan Osmani" in client.get("/community/volunteers?q=osmani").get_data(as_text=True)


def test_every_page_answers_for_its_readers(app, client, make_user):
    coordinator = make_user("coordinator")
    aid, vid, assoc = f.activity(app, coordinator), f.volunteer(app, coordinator), f.association(app, coordinator)
    log_in(client, coordinator)
    for url in (
        "/community/",
        "/community/associations",
        "/community/volunteers",
        f"/community/activities/{aid}",
        f"/community/activities/{aid}/edit",
        f"/community/associations/{assoc}",
        f"/community/associations/{assoc}/edit",
        f"/community/volunteers/{vid}",
        f"/community/volunteers/{vid}/edit",
        "/community/activities/new",
        "/community/associations/new",
        "/community/volunteers/new",
        f"/community/activities/{aid}/occurrences/new",
    ):
        assert client.get(url).status_code == 200, url


def test_an_activitys_occurrences_page_newest_first(app, client, make_user):
    coordinator = make_user("coordinator")
    aid = f.activity(app, coordinator)
    first = local_today() - timedelta(days=40)
    for n in range(30):  # a weekly activity's half-year and more: 30 occurrences, two pages of 25
        f.occurrence(app, aid, coordinator, day=first + timedelta(days=n))
    log_in(client, coordinator)
    newest = client.get(f"/community/activities/{aid}").get_data(as_text=True)
    oldest = client.get(f"/community/activities/{aid}?page=2").get_data(as_text=True)
    rows = [page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>") for page in (newest, oldest)]
    assert rows == [25, 5]
    assert "Side 1 af 2" in newest and f"activities/{aid}?page=2" in newest
    assert client.get(f"/community/activities/{aid}?page=3").status_code == 404


def test_the_person_page_shows_a_volunteers_section_to_leaders(app, client, make_user):
    coordinator, leader = make_user("coordinator"), make_user("leader")
    vid, aid = f.volunteer(app, coordinator), f.activity(app, coordinator, for_under_15=False)
    f.place(app, vid, aid, coordinator)
    f.hours(app, vid, aid, coordinator, amount=3)
    with app.app_context():
        person_id = db.session.get(Volunteer, __import__("uuid").UUID(vid)).person_id
    log_in(client, leader)
    page = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert "person-community-heading" in page and "3.0" in page


def test_the_agenda_lists_activities_renewals_and_declarations(app, make_user):
    from caseapp.domains.community import vetting, views
    from caseapp.models.users import User

    coordinator = make_user("coordinator")
    start = local_today() - timedelta(days=local_today().weekday())
    f.activity(app, coordinator, title="Ugens lektiecafé")
    old = f.volunteer(app, coordinator, first_name="Fornyes")
    # The certificate runs out on this week's Sunday, whatever day of the week the test runs.
    with app.app_context():
        received = vetting.add_months(start + timedelta(days=6), -vetting.interval_months())
    f.vet(app, old, coordinator, received=received)
    f.association(app, coordinator, name="Ikke erklæret", declared_on=None)
    with app.test_request_context():
        user = db.session.get(User, coordinator.id)
        items = views.agenda(user, start, start + timedelta(days=6))
        labels = {i.label for i in items}
        assert {"Ugens lektiecafé", "Fornyes Frivilligsen", "Ikke erklæret"} <= labels
        assert all(start <= i.day <= start + timedelta(days=6) for i in items)
