"""Redirects go only to this application's own paths."""

import pytest

from caseapp.http import local_path


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "/ /evil.example",
        "https://evil.example/",
        "http:/evil.example",
        "evil.example",
        "javascript:alert(1)",
        "",
        None,
        "/\x7f/evil.example",
        "/\r\n/evil.example",
    ],
)
def test_off_site_targets_are_refused(target):
    assert local_path(target) is None


@pytest.mark.parametrize("target", ["/", "/people?page=2", "/concerns/12#history", "/%2F%2Fevil.example"])
def test_own_paths_are_kept(target):
    assert local_path(target) == target


@pytest.mark.parametrize("target", ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example"])
def test_the_language_switch_never_leaves_the_site(client, target):
    response = client.submit("/language", {"lang": "en", "next": target}, token_from="/login")
    assert response.status_code == 302
    assert response.location == "/", response.location


def test_the_language_switch_returns_to_the_page_it_came_from(client):
    response = client.submit("/language", {"lang": "en", "next": "/login"}, token_from="/login")
    assert response.status_code == 302 and response.location == "/login"
