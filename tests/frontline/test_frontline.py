"""Issue 17 on the server side: search held under an opaque id, notifications, My week, the concern
form's age band, SSP filing, Danish WTForms messages, the error summary and the vendored design system."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

from caseapp.clock import local_today
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.users import User
from caseapp.platform.notifications.models import Notification, SavedSearch
from tests.concerns import factories as f
from tests.conftest import log_in
from tests.people.factories import make_person

STATIC = Path(__file__).resolve().parents[2] / "caseapp" / "static"


def test_search_redirects_to_results_kept_under_an_opaque_id(app, client, make_user):
    worker = make_user("social_worker")
    make_person(app, first_name="Amira", last_name="Haddad", cpr="0505051234", assign_to=[(worker, "counselling")])
    log_in(client, worker)
    posted = client.submit("/people/search", {"header": "1", "q": "050505-1234"}, token_from="/people/")
    location = posted.headers["Location"]
    assert posted.status_code == 303 and "0505" not in location and "Amira" not in location
    page = client.get(location)
    assert page.status_code == 200 and "Amira Haddad" in page.get_data(as_text=True)
    # Back (a GET of the same URL) shows them again; nothing about the terms is stored.
    assert "Amira Haddad" in client.get(location).get_data(as_text=True)
    with app.app_context():
        saved = db.session.scalars(db.select(SavedSearch)).all()
        assert len(saved) == 1 and "0505" not in saved[0].person_ids and saved[0].kind == "cpr"
        details = " ".join(e.detail for e in db.session.scalars(db.select(AuditEvent)))
        assert "0505" not in details and "Amira" not in details
    # Another user cannot open someone else's search.
    other = make_user("social_worker")
    client.submit("/logout", token_from="/")
    log_in(client, other)
    assert "Amira" not in client.get(location, follow_redirects=True).get_data(as_text=True)


def test_a_name_search_from_the_header_and_an_empty_one(app, client, make_user):
    worker = make_user("social_worker")
    make_person(app, first_name="Yusuf", last_name="Jensen", assign_to=[(worker, "counselling")])
    log_in(client, worker)
    found = client.submit("/people/search", {"header": "1", "q": "yusuf"}, token_from="/people/", follow_redirects=True)
    assert "Yusuf Jensen" in found.get_data(as_text=True)
    empty = client.submit("/people/search", {"header": "1", "q": ""}, token_from="/people/")
    assert empty.status_code == 422 and "data-error-summary" in empty.get_data(as_text=True)


def test_the_filer_is_told_when_their_concern_changes_status(app, client, make_user):
    mentor, ssp = make_user("mentor"), make_user("ssp")
    person_id = f.subject(app, (mentor, "mentoring"))
    concern_id = f.file(app, mentor, person_id)
    f.move(app, ssp, concern_id, "in_triage")
    with app.app_context():
        notes = db.session.scalars(db.select(Notification).where(Notification.user_id == mentor.id)).all()
        assert len(notes) == 1 and "Yusuf" not in notes[0].text and notes[0].url == f"/concerns/{concern_id}"
        assert db.session.get(User, mentor.id).unread_notifications == 1
    log_in(client, mentor)
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'class="badge badge-count">1<', home)
    listing = client.get("/notifications/").get_data(as_text=True)
    assert "En bekymring, du har indsendt, er nu" in listing
    opened = client.submit(f"/notifications/{notes[0].id}/open", token_from="/notifications/")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/concerns/{concern_id}")
    with app.app_context():
        assert db.session.get(Notification, notes[0].id).read_at is not None
        assert db.session.get(User, mentor.id).unread_notifications == 0
    # Nobody opens another user's notification.
    client.submit("/logout", token_from="/")
    log_in(client, ssp)
    assert client.submit(f"/notifications/{notes[0].id}/open", token_from="/notifications/").status_code == 404


def test_leaders_are_told_when_an_emergency_access_waits(app, client, make_user):
    from caseapp.domains.dataprotection.emergency import grant_break_glass

    leader, worker = make_user("leader"), make_user("social_worker")
    make_person(app, first_name="Sara", last_name="Nielsen", cpr="0202021234")
    with app.app_context():
        grant_break_glass(
            db.session.get(User, worker.id), reason="Barnet er ikke hentet, skolen ringer", minutes=60, cpr="0202021234"
        )
        db.session.commit()
        notes = db.session.scalars(db.select(Notification).where(Notification.user_id == leader.id)).all()
        assert [n.kind for n in notes] == ["emergency.review"] and "Sara" not in notes[0].text


def test_my_week_lists_follow_ups_and_deadlines_overdue_first(app, client, make_user):
    mentor, ssp = make_user("mentor"), make_user("ssp")
    person_id = f.subject(app, (mentor, "mentoring"))
    concern_id = f.file(app, mentor, person_id)
    from caseapp.domains.concerns.models import ConcernAction

    with app.app_context():
        cid, pid = uuid.UUID(concern_id), uuid.UUID(person_id)
        db.session.add(
            ConcernAction(
                concern_id=cid,
                person_id=pid,
                text="Ring til skolen",
                owner_id=ssp.id,
                due_on=local_today() - timedelta(days=3),
                created_by_id=ssp.id,
            )
        )
        db.session.add(
            ConcernAction(
                concern_id=cid, person_id=pid, text="Møde", owner_id=ssp.id, due_on=local_today(), created_by_id=ssp.id
            )
        )
        db.session.commit()
    log_in(client, ssp)
    page = client.get("/week/").get_data(as_text=True)
    assert page.count("Frist for handling på bekymring") == 2
    assert page.index("Over fristen") < page.index("(i dag)")
    assert "Ring til skolen" not in page  # labels name nothing personal


def test_counselling_declares_its_agenda(app):
    with app.app_context():
        from caseapp.domain import domains

        named = {d.name for d in domains() if d.agenda}
        assert {"counselling", "concerns"} <= named


def test_ssp_files_a_concern_and_an_adult_asks_for_confirmation(app, client, make_user):
    ssp = make_user("ssp")
    adult = make_person(app, first_name="Karl", last_name="Madsen", cpr="0101801234", assign_to=[(ssp, "concerns")])
    log_in(client, ssp)
    form = client.get("/concerns/new")
    assert form.status_code == 200
    body = form.get_data(as_text=True)
    assert "data-picker" in body and f'value="{adult}"' in body and 'type="checkbox" name="involved_ids"' in body
    data = {
        "person_id": adult,
        "observed_on": local_today().isoformat(),
        "area": "Bøgeparken",
        "source": "school",
        "category": "school_absence",
        "severity": "low",
        "summary": "x" * 600,
        "description": "Set ved skolen.",
    }
    refused = client.submit("/concerns/new", data)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Personen er" in html and "år" in html
    # The summary over its limit is kept whole (no silent cut) and the summary links the field.
    assert "x" * 600 in html and 'href="#person_id"' in html and 'href="#summary"' in html


def test_wtforms_messages_are_danish_and_typed_values_kept(app):
    """WTForms' messages in Danish; a refused date or number is named in its message and kept."""
    from flask_wtf import FlaskForm
    from wtforms import DateField, IntegerField

    class Form(FlaskForm):
        class Meta:
            csrf = False

        number = IntegerField("n")
        day = DateField("d")

    with app.test_request_context("/", method="POST", data={"number": "abc", "day": "31-02-2026"}):
        form = Form()
        assert not form.validate()
        # The message names what was typed, and the field keeps it.
        assert form.errors == {
            "number": ["Ugyldigt heltal: abc."],
            "day": ["Ugyldig dato: 31-02-2026. Skriv den som åååå-mm-dd."],
        }
        assert form.day._value() == "31-02-2026" and form.number._value() == "abc"


def test_the_design_system_is_vendored_with_its_version_and_licence(client, make_user):
    version = (STATIC / "dkfds" / "VERSION").read_text().strip()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert (STATIC / "dkfds" / "css" / "dkfds.min.css").stat().st_size > 100_000
    assert (STATIC / "dkfds" / "js" / "dkfds.min.js").exists() and (STATIC / "dkfds" / "LICENSE.md").exists()
    assert version in (Path(__file__).resolve().parents[2] / "README.md").read_text()
    page = client.get("/login").get_data(as_text=True)
    assert "dkfds/css/dkfds.min.css" in page and "favicon.svg" in page and "print.css" in page
    assert "<script>" not in page and "style=" not in page  # CSP unchanged: no inline script or style


def test_the_records_of_processing_are_translated(app, client, make_user):
    """Every text on the records-of-processing page has a Danish translation (a new model's too)."""
    from flask_babel import gettext

    from caseapp.domains.dataprotection.processing import processing_records

    with app.test_request_context("/"):
        texts = {
            t
            for r in processing_records()
            for t in (r["purpose"], r["legal_basis"], *r["data_categories"], *r["subject_categories"], *r["recipients"])
            if t
        }
        untranslated = sorted(t for t in texts if gettext(t) == t and t not in {"institution"})
    assert untranslated == []
    log_in(client, make_user("leader"))
    page = client.get("/data-protection/processing").get_data(as_text=True)
    assert "børn og unge" in page and "children and young people" not in page


def _note(app, user_id, *, read_days_ago=None, url=None) -> int:
    from caseapp.models.base import utcnow

    with app.app_context():
        note = Notification(user_id=user_id, kind="general", text="Noget venter", text_en="Something waits", url=url)
        if read_days_ago is not None:
            note.read_at = utcnow() - timedelta(days=read_days_ago)
        db.session.add(note)
        db.session.commit()
        return note.id


def test_read_notifications_are_purged_after_their_retention_period(app, make_user):
    from caseapp.domains.dataprotection.retention import purge
    from caseapp.platform.notifications.privacy import RETENTION_KEY

    user = make_user("mentor")
    old = _note(app, user.id, read_days_ago=120)
    recent = _note(app, user.id, read_days_ago=10)
    unread = _note(app, user.id)
    with app.app_context():
        assert app.config["RETENTION"][RETENTION_KEY] == 90
        deleted = purge()
        assert [(d.domain, d.record.object_id) for d in deleted if d.domain == "notifications"] == [
            ("notifications", str(old))
        ]
        left = set(db.session.scalars(db.select(Notification.id)))
        assert old not in left and {recent, unread} <= left
        events = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "retention.delete", AuditEvent.object_id == str(old))
        ).all()
        assert len(events) == 1 and events[0].purpose == RETENTION_KEY
        # A second run finds nothing more.
        assert not [d for d in purge() if d.domain == "notifications"]


def test_subject_access_and_erasure_reach_notifications_that_link_to_the_person(app, make_user):
    from caseapp.domain import privacy_sources

    user = make_user("leader")
    person_id = make_person(app, first_name="Nadia", last_name="Holm", cpr="0303031234")
    linked = _note(app, user.id, url=f"/people/{person_id}")
    other = _note(app, user.id, url="/concerns/1")
    with app.app_context():
        source = next(s for s in privacy_sources() if s.domain == "notifications")
        exported = source.export(uuid.UUID(str(person_id)))
        assert [r["kind"] for r in exported] == ["notification"] and exported[0]["text"] == "Noget venter"
        assert source.export(uuid.uuid4()) == []
        assert source.erase(uuid.UUID(str(person_id))) == {"notifications": 1}
        db.session.commit()
        left = set(db.session.scalars(db.select(Notification.id)))
        assert linked not in left and other in left


def test_leaders_are_told_when_a_log_review_sample_waits(app, client, make_user):
    from caseapp import audit
    from caseapp.domains.dataprotection import logreview

    first, second, worker = make_user("leader"), make_user("leader"), make_user("social_worker")
    with app.app_context():
        month = logreview.recent_months(1)[0]  # this month: the access below falls in it
        audit.record(
            "person.view", object_type="person", subject_id=uuid.uuid4(), actor=db.session.get(User, worker.id)
        )
        db.session.commit()
    log_in(client, first)
    assert client.get(f"/data-protection/log-review?month={month}").status_code == 200
    with app.app_context():
        told = db.session.scalars(db.select(Notification).where(Notification.kind == "logreview.sample")).all()
        # The other leader, not the one who drew it; the text names the month, nobody's access.
        assert [n.user_id for n in told] == [second.id]
        assert month in told[0].text and told[0].url == f"/data-protection/log-review?month={month}"
    # Opening it again adds nothing to the sample and tells nobody again.
    client.get(f"/data-protection/log-review?month={month}")
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count()).select_from(Notification).where(Notification.kind == "logreview.sample")
            )
            == 1
        )


def test_a_new_concerns_triage_comes_first_and_the_person_header_is_there(app, client, make_user):
    mentor, ssp = make_user("mentor"), make_user("ssp")
    person_id = f.subject(app, (mentor, "mentoring"))
    concern_id = f.file(app, mentor, person_id)
    log_in(client, ssp)
    html = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    triage, header, facts = html.index('id="triage"'), html.index('class="person-header"'), html.index('class="facts"')
    assert triage < header < facts  # the next action before the facts
    assert html.count('id="triage"') == 1
    # Once triaged, the step to take next sits with the history, under the facts.
    f.move(app, ssp, concern_id, "in_triage")
    html = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert html.index('id="history-heading"') < html.index('id="triage"')


def _pickers(html: str) -> list[str]:
    return re.findall(r"<fieldset[^>]*data-picker[^>]*>", html)


def test_the_shared_person_picker_on_the_forms_that_name_a_person(app, client, make_user):
    from caseapp.register.models import Household, HouseholdMember

    worker, leader = make_user("social_worker"), make_user("leader")
    parent = make_person(
        app, first_name="Hala", last_name="Sami", cpr="0808801234", assign_to=[(worker, "counselling")]
    )
    child = make_person(app, first_name="Omar", last_name="Sami", cpr="0808154235", assign_to=[(worker, "counselling")])
    with app.app_context():
        household = Household(area="Bøgeparken")
        household.members = [
            HouseholdMember(person_id=uuid.UUID(parent), relation="parent"),
            HouseholdMember(person_id=uuid.UUID(child), relation="child"),
        ]
        db.session.add(household)
        db.session.commit()
    log_in(client, worker)
    # Counselling: the parent (adults, with age and housing section), then the children (under 18).
    choose = client.get("/counselling/cases/new").get_data(as_text=True)
    assert len(_pickers(choose)) == 1 and 'data-age-min="18"' in choose
    assert f'value="{parent}"' in choose and "Hala Sami" in choose and "Bøgeparken" in choose and " år" in choose
    assert f'value="{child}"' not in choose  # a child is no parent candidate
    opening = client.get(f"/counselling/cases/new?person_id={parent}").get_data(as_text=True)
    assert 'data-age-max="17"' in _pickers(opening)[0] and f'type="checkbox" name="children" value="{child}"' in opening
    with app.app_context():
        listed = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "person.list")).all()
        assert any('"case_form"' in e.detail for e in listed)
    # Civil society's new volunteer (for a coordinator who also reads the register) and mentoring's
    # match pick from the register the same way.
    both = make_user("coordinator", "social_worker")
    with app.app_context():
        from caseapp.register.models import Assignment

        db.session.add(Assignment(user_id=both.id, person_id=uuid.UUID(parent), programme="counselling"))
        db.session.commit()
    client.submit("/logout", token_from="/")
    log_in(client, both)
    volunteer = client.get("/community/volunteers/new").get_data(as_text=True)
    assert len(_pickers(volunteer)) == 1 and f'type="radio" name="person_id" value="{parent}"' in volunteer
    assert "(id)" not in volunteer
    client.submit("/logout", token_from="/")
    log_in(client, leader)
    match = client.get("/mentoring/match").get_data(as_text=True)
    assert len(_pickers(match)) == 1 and f'type="radio" name="person_id" value="{child}"' in match


def test_text_over_its_limit_is_refused_not_cut_on_the_page_and_in_the_api(app, client, make_user, api_token):
    from caseapp.domains.concerns.models import SUMMARY_LENGTH, Concern
    from tests.conftest import bearer

    mentor = make_user("mentor")
    person_id = f.subject(app, (mentor, "mentoring"))
    pasted = "Skolen ringede. " * 38  # 608 characters, over the summary's 300
    assert len(pasted) > SUMMARY_LENGTH
    data = {
        "person_id": person_id,
        "observed_on": local_today().isoformat(),
        "area": "Bøgeparken",
        "source": "own_observation",
        "category": "crime",
        "severity": "low",
        "summary": pasted,
        "description": "Set ved stationen",
    }
    log_in(client, mentor)
    page = client.submit("/concerns/new", data, token_from="/concerns/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    # The counter, no maxlength (the browser would cut a paste silently), and the whole text kept.
    assert (
        'data-maxlength="300"' in html and 'id="summary-count"' in html and not re.search(r"(?<!data-)maxlength=", html)
    )
    assert pasted.strip() in html
    answer = client.post("/api/v1/concerns", json=data, headers=bearer(api_token(mentor)))
    assert answer.status_code == 422 and set(answer.get_json()["error"]["fields"]) == {"summary"}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Concern)) == 0
