"""The landing page's "my work" panel counts in SQL and loads (and decrypts) only the rows it shows:
the oldest open cases and the earliest overdue actions, ten each, with their parents' names."""

from __future__ import annotations

from datetime import date, timedelta

from caseapp.crypto.envelope import DataKey
from caseapp.domains.counselling import queries
from caseapp.extensions import db
from caseapp.models.users import User


def test_the_panel_names_ten_and_counts_the_rest(app, client, login_as, make_family, make_case, monkeypatch):
    worker = login_as("social_worker")
    for n in range(12):
        make_case(worker, make_family(worker, first=f"Forælder{n:02d}", child_first=f"Barn{n:02d}"))
    later = date.today() + timedelta(days=14)  # every case's action (due tomorrow) is overdue by then
    with app.app_context():
        opened: list[str] = []
        decrypt = DataKey.decrypt

        def counted(key, stored, aad):
            opened.append(aad)
            return decrypt(key, stored, aad)

        monkeypatch.setattr(DataKey, "decrypt", counted)
        work = queries.my_work(db.session.get(User, worker.id), today=later)
        monkeypatch.setattr(DataKey, "decrypt", decrypt)
        assert work.open_count == 12 and len(work.open_cases) == queries.SHOWN
        assert work.overdue_count == 12 and len(work.overdue_actions) == queries.SHOWN
        # The follow-ups (tomorrow's, overdue by then) are all shown.
        assert len(work.follow_ups) == 12 and all(d < later for _case, d in work.follow_ups)
        names = {c.person.full_name for c in work.open_cases}  # all opened today: any ten of the twelve
        assert len(names) == 10 and names <= {f"Forælder{n:02d} Hansen" for n in range(12)}
        # Opened: the names of the parents shown and the overdue actions' descriptions, nothing else.
        assert {aad.split("|")[0] + "." + aad.split("|")[1] for aad in opened} == {
            "person.first_name",
            "person.last_name",
            "counselling_action.description",
        }
        assert len([a for a in opened if a.startswith("person|")]) <= 2 * 12
        db.session.rollback()

    page = client.get("/").get_data(as_text=True)
    assert sum(f"Forælder{n:02d} Hansen" in page for n in range(12)) == 12  # ten open cases; follow-ups
    assert "Alle åbne forløb" in page
    assert "Åbne forløb (12)" in page


def test_a_name_left_unloaded_is_opened_when_read(app, make_family, make_case, login_as):
    worker = login_as("social_worker")
    make_case(worker, make_family(worker))
    with app.app_context():
        work = queries.my_work(db.session.get(User, worker.id))
        parent = work.open_cases[0].person
        assert "cpr" not in parent.__dict__  # not loaded by the panel
        assert parent.cpr == "010190-1234"  # loaded and opened on first access
        db.session.rollback()


def test_the_landing_page_costs_the_same_for_one_open_case_as_for_twelve(
    client, login_as, make_family, make_case, count_queries
):
    worker = login_as("social_worker")
    make_case(worker, make_family(worker))

    def measure():
        client.get("/")  # the first request warms what a worker keeps between requests (data keys)
        with count_queries() as log:
            assert client.get("/").status_code == 200
        return log

    one = measure()
    for n in range(11):
        make_case(worker, make_family(worker, first=f"Forælder{n:02d}", child_first=f"Barn{n:02d}"))
    twelve = measure()
    # The panel: open cases with their count, follow-ups, due and overdue actions (with their count).
    one.within(13, "GET / with one open case")
    twelve.within(len(one), "GET / with twelve open cases (as many as with one)")
    assert twelve.commits == 1
