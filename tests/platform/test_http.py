"""Security headers, error pages in both languages, JSON errors and clean logs."""

import logging

import pytest

from tests.conftest import bearer, log_in


def test_security_headers_on_pages(client, make_user):
    log_in(client, make_user("social_worker"))
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    cookie = client.get_cookie("caseapp_session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_production_cookies_are_secure_and_hsts_is_sent(other_app, tmp_path):
    from caseapp.crypto.keyring import Keyring

    keys = tmp_path / "keys.json"
    Keyring.generate(keys)
    app = other_app(ENV="production", SECRET_KEY="x" * 40, KEYS_FILE=str(keys), ALLOW_SQLITE_IN_PRODUCTION=True)
    response = app.test_client().get("/login")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert "Secure" in response.headers["Set-Cookie"]


def test_no_inline_script_in_any_template():
    from pathlib import Path

    for template in Path("caseapp").rglob("*.html"):
        html = template.read_text()
        assert "<script>" not in html and " style=" not in html and "onclick=" not in html, template


def test_friendly_404_in_danish_and_english(client, make_user):
    log_in(client, make_user("social_worker"))
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "Siden findes ikke" in page.get_data(as_text=True)
    client.submit("/language", {"lang": "en"}, token_from="/")
    page = client.get("/no-such-page")
    assert "The page does not exist" in page.get_data(as_text=True)


def test_forbidden_page_says_so_without_naming_anything(client, make_user):
    log_in(client, make_user("mentor"))
    page = client.get("/admin/users")
    assert page.status_code == 403 and "Din rolle giver ikke adgang" in page.get_data(as_text=True)


def test_unexpected_error_shows_a_friendly_page_and_logs_no_values(other_app, caplog):
    app = other_app(TEST_ERROR_PAGES=True)

    @app.get("/boom/<value>")
    def boom(value):
        raise RuntimeError(f"secret value {value}")

    with caplog.at_level(logging.INFO):
        response = app.test_client().get("/boom/Amira-0101901234")
    assert response.status_code == 500 and "Noget gik galt" in response.get_data(as_text=True)
    assert "0101901234" not in caplog.text and "Amira" not in caplog.text
    assert "RuntimeError" in caplog.text


def test_api_errors_have_the_documented_shape(client, make_user, api_token):
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    assert set(response.get_json()["error"]) == {"code", "message", "fields"}
    token = api_token(make_user("analyst"))
    forbidden = client.get("/api/v1/people", headers=bearer(token))
    assert forbidden.status_code == 403 and forbidden.get_json()["error"]["code"] == "forbidden"
    missing = client.get("/api/v1/nothing-here", headers=bearer(token))
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_request_log_lines_name_endpoints_not_urls(client, make_user, caplog, app):
    from tests.people.factories import make_person

    worker = make_user("social_worker")
    person_id = make_person(app, assign_to=[(worker, "counselling")])
    log_in(client, worker)
    with caplog.at_level(logging.INFO, logger="caseapp.request"):
        client.get(f"/people/{person_id}")
    assert "people.show 200" in caplog.text and person_id not in caplog.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "CASEAPP_SECRET_KEY"),
        ({"KEYS_FILE": None}, "CASEAPP_KEYS_FILE"),
        ({"KEYS_FILE": "/nonexistent/keys.json"}, "CASEAPP_KEYS_FILE"),
        ({"SQLALCHEMY_DATABASE_URI": "sqlite:////tmp/x.db"}, "CASEAPP_DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without_its_settings(overrides, message, tmp_path):
    from caseapp import create_app
    from caseapp.crypto.keyring import Keyring
    from config import ConfigError

    keys = tmp_path / "keys.json"
    Keyring.generate(keys)
    settings = {
        "ENV": "production",
        "SECRET_KEY": "x" * 40,
        "KEYS_FILE": str(keys),
        "SQLALCHEMY_DATABASE_URI": "postgresql://u@127.0.0.1/db",
        **overrides,
    }
    with pytest.raises(ConfigError, match=message):
        create_app(settings)


def test_unknown_environment_is_named():
    from config import ConfigError, config_for

    with pytest.raises(ConfigError, match="CASEAPP_ENV"):
        config_for("staging")


def test_a_nul_character_is_refused_on_both_databases_before_any_form(client, login_as, api_token, make_user):
    """PostgreSQL cannot store U+0000 in text; SQLite can: the same refusal for both (found by the fuzz test)."""
    token = api_token(make_user("social_worker"))
    answer = client.post("/api/v1/people", headers=bearer(token), json={"first_name": "A\x00", "last_name": "B"})
    assert answer.status_code == 400 and "NUL" in answer.get_json()["error"]["message"]
    login_as("social_worker")
    assert client.get("/people/?q=a%00b").status_code == 400


def test_the_navigation_is_built_once_per_page_however_many_templates_it_renders(client, make_user, monkeypatch):
    import caseapp.http

    built = []
    original = caseapp.http.navigation_for
    monkeypatch.setattr(caseapp.http, "navigation_for", lambda *a: built.append(a) or original(*a))
    log_in(client, make_user("social_worker", "leader"))
    page = client.get("/").get_data(as_text=True)  # the landing page renders each panel as a template
    assert len(built) == 1
    assert 'href="/people/"' in page and 'aria-current="page"' in page
