"""Bad input never answers 500: huge or malformed integers, oversized bodies, broken UTF-8, wrong JSON types."""

import pytest

from tests.conftest import bearer, log_in

HUGE = "999999999999999999999999"


def _api_lists(app, client, token) -> list[str]:
    """Every API list that pages: GET routes without path parameters answering {"items", "page", ...}."""
    urls = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and "GET" in rule.methods and not rule.arguments
    )
    return [url for url in urls if "page" in (client.get(url, headers=bearer(token)).get_json() or {})]


@pytest.mark.parametrize("value", [HUGE, "-1", "0", "abc", "1e3", "٣"])
def test_page_numbers_out_of_range_answer_400_on_every_api_list(app, client, make_user, api_token, value):
    token = api_token(make_user("leader"))
    lists = _api_lists(app, client, token)
    assert len(lists) >= 4, lists
    for url in lists:
        for name in ("page", "per_page"):
            response = client.get(f"{url}?{name}={value}", headers=bearer(token))
            assert response.status_code == 400, (url, name, response.status_code)
            assert name in response.get_json()["error"]["message"]


def test_per_page_beyond_a_hundred_is_refused_and_a_far_page_is_empty(app, client, make_user, api_token):
    token = api_token(make_user("leader"))
    assert client.get("/api/v1/people?per_page=101", headers=bearer(token)).status_code == 400
    far = client.get("/api/v1/people?page=2147483647&per_page=100", headers=bearer(token))
    assert far.status_code == 200 and far.get_json()["items"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/people/",
        "/people/households",
        "/counselling/",
        "/concerns/",
        "/audit/",
        "/data-protection/erasures",
        "/data-protection/emergency-access/review",
    ],
)
def test_page_numbers_out_of_range_answer_400_on_pages(app, client, make_user, url):
    log_in(client, make_user("leader"))
    assert client.get(url).status_code == 200, url
    for value in (HUGE, "-3", "x"):
        assert client.get(f"{url}?page={value}").status_code == 400, (url, value)


def test_huge_ids_in_paths_are_not_found(client, make_user):
    log_in(client, make_user("admin"))
    assert client.get("/admin/users/" + "9" * 26).status_code == 404
    assert client.get("/admin/users/2147483648").status_code == 404
    assert client.get("/admin/users/2147483647").status_code == 404


def test_audit_filters_out_of_range_are_refused_not_crashed(client, make_user):
    log_in(client, make_user("leader"))
    assert client.get(f"/audit/?actor={HUGE}").status_code == 422  # not a staff member: refused, no rows
    assert client.get("/audit/?date_from=0001-01-01&date_to=9999-12-31").status_code == 200


def test_a_body_over_the_limit_answers_413(app, client, make_user, api_token):
    token = api_token(make_user("social_worker"))
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    api = client.post(
        "/api/v1/people", data='{"first_name": "' + big + '"}', headers=bearer(token), content_type="application/json"
    )
    assert api.status_code == 413 and api.get_json()["error"]["code"] == "too_large"
    page = client.post("/login", data={"email": "x@test.dk", "password": big})
    assert page.status_code == 413 and "For mange data" in page.get_data(as_text=True)


def test_malformed_utf8_and_json_answer_400(client, make_user, api_token):
    token = api_token(make_user("social_worker"))
    for body in (b'{"first_name": "\xff\xfe"}', b"{not json", b"[1, 2]", b'"text"'):
        response = client.post("/api/v1/people", data=body, headers=bearer(token), content_type="application/json")
        assert response.status_code == 400, body
    assert client.get("/people/%ff").status_code in (302, 404)
    assert client.get("/login?next=%ff%fe").status_code == 200


@pytest.mark.parametrize("value", [{"nested": "object"}, ["a", "list"], True])
def test_wrong_json_types_answer_422_naming_the_field(client, make_user, api_token, value):
    token = api_token(make_user("social_worker"))
    response = client.post(
        "/api/v1/people", json={"first_name": value, "last_name": "Hansen", "area": "Bøgeparken"}, headers=bearer(token)
    )
    assert response.status_code == 422 and "first_name" in response.get_json()["error"]["fields"]
