"""The reports' pages: a leader adopts the ready-made indicators, reads the dashboard, exports, freezes;
forms keep what was typed when refused; the landing page opens on the current period's progress."""

from __future__ import annotations

import io
import json
import re
import zipfile
from xml.etree import ElementTree

import pytest

from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.reports.models import FrozenReport, Indicator, RegisterFigure
from tests.reports import factories as f


def _events(app, action):
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def test_a_leader_adopts_the_ready_made_set_and_reads_the_dashboard(app, client, login_as):
    login_as("leader")
    f.plan(app)
    response = client.submit("/reports/indicators/adopt", token_from="/reports/indicators")
    assert response.status_code == 302
    with app.app_context():
        keys = set(db.session.scalars(db.select(Indicator.key)))
    assert {"leisure_jobs", "retained_3", "retained_6", "volunteer_hours", "concerns"} <= keys
    again = client.submit("/reports/indicators/adopt", token_from="/reports/indicators")
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Indicator.id))) == len(keys)  # adopted once
    page = client.get("/reports/?period=2026-H1&breakdown=gender")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Antal unge i fritidsjob" in html and "Fastholdt efter 3 måneder" in html
    assert "små tal" in html.lower() or "<5" in html
    assert "<table" in html and "Køn" in html


def test_a_refused_period_keeps_the_dates_typed(client, login_as):
    login_as("leader")
    page = client.get("/reports/?period=custom&starts_on=2026-05-01&ends_on=2026-04-01")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "2026-05-01" in html and "2026-04-01" in html


def test_exports_are_audited_and_say_small_numbers_are_suppressed(app, client, login_as, make_user):
    filer = make_user("mentor")
    plan = f.plan(app)
    f.seed_concerns(app, filer, [(2010, "female", "Bøgeparken", [(f.PERIOD[0], "crime", "high", 0)])], plan)
    f.indicator(app, name_da='=HYPERLINK("http://x")', kind="records")
    login_as("leader")
    csv_response = client.get("/reports/export.csv?period=2026-H1")
    assert csv_response.status_code == 200 and csv_response.mimetype == "text/csv"
    body = csv_response.get_data()
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert ";" in text and "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    assert "<5" in text and "små tal" in text.lower()
    xlsx = client.get("/reports/export.xlsx?period=2026-H1")
    assert xlsx.status_code == 200 and xlsx.get_data()[:2] == b"PK"
    data = json.loads(client.get("/reports/export.json?period=2026-H1").get_data())
    assert data["suppression"]["applied"] is True and "note" in data
    board = client.get("/reports/export.html?period=2026-H1")
    assert board.status_code == 200 and "board.css" in board.get_data(as_text=True)
    formats = sorted(json.loads(e.detail)["format"] for e in _events(app, "reports.export"))
    assert formats == ["csv", "html", "json", "xlsx"]


def _xlsx_texts(data: bytes) -> list[str]:
    """Every text cell of an XLSX file (its shared strings), with the control characters XML escapes."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))  # noqa: S314 - the app under test wrote it
    texts = ["".join(t.text or "" for t in item.iter() if t.tag.endswith("}t")) for item in root]
    return [re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), t) for t in texts]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_an_exported_text_cell_that_would_start_a_formula_is_neutralised(app, client, login_as, start):
    f.plan(app)
    name = f"{start}SUM(A1:A9) rapport"
    f.indicator(app, name_da=name, kind="records")
    login_as("leader")
    text = client.get("/reports/export.csv?period=2026-H1").get_data().decode("utf-8-sig")
    cells = [cell for line in text.split("\r\n") for cell in line.split(";")]
    assert "'" + name in cells or "\"'" + name + '"' in cells
    assert name not in cells and '"' + name + '"' not in cells
    texts = _xlsx_texts(client.get("/reports/export.xlsx?period=2026-H1").get_data())
    assert "'" + name in texts and name not in texts


def test_freezing_stores_the_report_with_its_hash(app, client, login_as):
    login_as("leader")
    f.plan(app)
    f.indicator(app, kind="records")
    response = client.submit(
        "/reports/freeze", {"title": "Halvårsrapport 1. halvår 2026", "period": "2026-H1"}, token_from="/reports/"
    )
    assert response.status_code == 302
    with app.app_context():
        frozen = db.session.scalar(db.select(FrozenReport))
        assert frozen.title == "Halvårsrapport 1. halvår 2026"
        import hashlib

        assert hashlib.sha256(frozen.content.encode()).hexdigest() == frozen.sha256
    page = client.get(response.location)
    assert page.status_code == 200 and frozen.sha256 in page.get_data(as_text=True)
    assert _events(app, "reports.frozen.create")


def test_a_refused_freeze_shows_the_dashboard_again_with_what_was_typed(app, client, login_as):
    login_as("leader")
    response = client.submit("/reports/freeze", {"title": "", "period": "2026-H1"}, token_from="/reports/")
    assert response.status_code == 422
    assert 'id="title-error"' in response.get_data(as_text=True)  # the title's message, beside the field
    too_long = "Halvårsrapport " + "x" * 200
    response = client.submit(
        "/reports/freeze?period=2026-H1", {"title": too_long, "period": "2026-H1"}, token_from="/reports/"
    )
    assert response.status_code == 422 and too_long in response.get_data(as_text=True)  # kept, not cut
    with app.app_context():
        assert db.session.scalar(db.select(FrozenReport.id)) is None


def test_an_indicator_form_keeps_what_was_typed_when_refused(client, login_as):
    login_as("leader")
    page = client.submit("/reports/indicators/new", {"name_da": "Mit eget tal", "kind": "share"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'value="Mit eget tal"' in html
    made = client.submit(
        "/reports/indicators/new",
        {"name_da": "Mit eget tal", "kind": "persons", "measures": ["concerns.concern"]},
    )
    assert made.status_code == 302


def test_a_leader_enters_a_register_figure_shown_beside_and_labelled(app, client, login_as):
    login_as("leader")
    response = client.submit(
        "/reports/register",
        {"area": "Bøgeparken", "year": "2026", "half": "1", "name": "Andel i job", "value": "57,5", "unit": "%"},
    )
    assert response.status_code in (302, 422), response.get_data(as_text=True)[:300]
    if response.status_code == 422:  # the decimal comma: the form reads numbers as typed in Danish
        response = client.submit(
            "/reports/register",
            {"area": "Bøgeparken", "year": "2026", "half": "1", "name": "Andel i job", "value": "57.5", "unit": "%"},
        )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(RegisterFigure.value)) == 57.5
    html = client.get("/reports/?period=2026-H1").get_data(as_text=True)
    assert "Boligsociale Data" in html and "Andel i job" in html


def test_the_landing_page_opens_on_the_current_periods_progress(app, client, login_as):
    login_as("analyst")
    f.plan(app)
    with app.app_context():
        from datetime import date

        from caseapp.plan.models import PlanSubgoal, PlanTarget

        subgoal = db.session.scalar(db.select(PlanSubgoal))
        target = PlanTarget(
            subgoal=subgoal, measure_da="Unge", unit_da="unge", target_value=40, deadline=date(2026, 12, 31)
        )
        db.session.add(target)
        db.session.flush()
        db.session.add(
            Indicator(
                name_da="Unge med bekymringer", kind="persons", measures=["concerns.concern"], target_id=target.id
            )
        )
        db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "panel-progress" in html and "Unge med bekymringer" in html
    assert re.search(r"40\s*unge", html)


@pytest.mark.parametrize("role", ["leader", "coordinator", "analyst"])
def test_progress_is_the_first_panel_of_the_landing_page_for_leaders_coordinators_and_analysts(client, login_as, role):
    # A second role brings panels of parts listed before reports (the register's caseload, counselling's).
    login_as(role, "social_worker")
    html = client.get("/").get_data(as_text=True)
    panels = re.findall(r'aria-labelledby="(panel-[\w-]+)"', html)
    assert panels[0] == "panel-progress" and "panel-caseload" in panels, panels


def test_other_roles_keep_the_app_order_of_panels(client, login_as):
    login_as("social_worker")
    html = client.get("/").get_data(as_text=True)
    panels = re.findall(r'aria-labelledby="(panel-[\w-]+)"', html)
    assert "panel-progress" not in panels and panels[0] == "panel-caseload", panels
