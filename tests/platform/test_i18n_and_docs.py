"""Both languages complete for what exists; the OpenAPI document describes every API route."""

import pytest

from caseapp import i18n


@pytest.mark.parametrize("area", list(i18n.catalogue_areas()))
def test_danish_catalogue_is_complete(area):
    assert i18n.missing(area) == []


def test_every_api_route_is_in_the_openapi_document(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1") and rule.endpoint != "api.openapi":
            path = rule.rule
            for arg in rule.arguments:
                for form in (f"<int:{arg}>", f"<uuid:{arg}>", f"<{arg}>"):
                    path = path.replace(form, f"{{{arg}}}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method.lower()) in documented, (path, method)
                op = document["paths"][path][method.lower()]
                assert op["summary"] and op["summary"] != rule.endpoint, rule.endpoint


def test_navigation_shows_each_role_only_what_it_may_use(client, login_as):
    login_as("police")
    html = client.get("/").get_data(as_text=True)
    nav = html.split('aria-label="Hovedmenu"')[1].split("</nav>")[0]
    assert "/people/" not in nav and "/admin/" not in nav and "/audit/" not in nav


def test_the_same_english_text_has_one_danish_translation_everywhere():
    """Flask-Babel merges the catalogues; a clash would let one area silently change another's words."""
    seen: dict[str, tuple[str, object]] = {}
    clashes = []
    for area in i18n.catalogue_areas():
        for message in i18n.load_po(area):
            if not message.id or not message.string:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key in seen and seen[key][1] != message.string:
                clashes.append((key, seen[key][0], area))
            seen.setdefault(key, (area, message.string))
    assert clashes == []
