"""Every page each demo role reaches, in a real browser: seed the demo (the `caseapp demo seed` code path,
small), log in as each demo account, follow the in-site GET links (breadth first, one page per URL
pattern, bounded) and on every page check

- axe-core: no violation of any impact;
- reflow: no horizontal scroll at 320 CSS px outside a table's own scroll region;
- touch: tap targets at least 24×24 px (44 px on the attendance register, a tablet-first page);
- language: no English text on a Danish page (the catalogues' msgids whose Danish differs, long enough
  to be unambiguous, are the dictionary).

Then the English UI once per role at tablet size with axe. The server is the crawl's own (its own
database with the demo in it), so other browser tests neither see the demo nor disturb the crawl.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po
from werkzeug.serving import make_server

from caseapp import create_app
from caseapp.extensions import db
from tests.browser.conftest import switch_language
from tests.conftest import StaffRef

pytestmark = pytest.mark.browser

ROLES = ("admin", "leader", "social_worker", "mentor", "course_leader", "ssp", "police", "coordinator", "analyst")
PHONE_MIN = {"width": 320, "height": 800}
TABLET = {"width": 820, "height": 1180}
PAGES_PER_ROLE = 60  # distinct URL patterns; the demo's roles reach fewer, the bound keeps CI's time
MIN_TARGET, TABLET_TARGET = 24, 44
TABLET_FIRST = re.compile(r"^/courses/[^/]+/sessions/[^/]+/register$")
# Pages the crawl must not follow: leaving the HTML UI, or changing the session's state.
SKIP = re.compile(r"^/(static|api)/|/(export|download|print)(\.\w+)?$|\.(json|csv|pdf|txt)$|^/logout")
_axe = Axe()
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NUMBER = re.compile(r"(?<=/)\d+(?=/|$)")
_MONTH = re.compile(r"(?<=/)\d{4}-\d{2}(-\d{2})?(?=/|$)")


def url_pattern(path: str, query: str) -> str:
    """One pattern per page kind: ids, numbers and dates replaced; a query's keys kept, its values not."""
    shape = _MONTH.sub("<date>", _NUMBER.sub("<n>", _UUID.sub("<id>", path)))
    keys = sorted({part.split("=", 1)[0] for part in query.split("&") if part and not part.startswith("page=")})
    return shape + ("?" + "&".join(keys) if keys else "")


def english_dictionary() -> list[str]:
    """msgids of every Danish catalogue whose translation differs: phrases of three words or more
    (no placeholders), so that a hit on a Danish page can only be untranslated English."""
    root = Path(__file__).resolve().parents[2] / "caseapp"
    phrases = set()
    for po in root.rglob("translations/da/LC_MESSAGES/messages.po"):
        with po.open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for msgid, msgstr in zip(ids, strings, strict=False):
                if not msgid or not msgstr or msgid == msgstr or "%" in msgid or "{" in msgid or "<" in msgid:
                    continue
                words = re.findall(r"[A-Za-z]+", msgid)
                if len(words) >= 3 and len(msgid) >= 15:
                    phrases.add(" ".join(msgid.split()))
    return sorted(phrases, key=len, reverse=True)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The app on its own SQLite file with a small demo seeded; yields (base URL, {role: StaffRef})."""
    from flask_migrate import upgrade

    from caseapp.demo import seed
    from caseapp.demo.accounts import DEMO_DOMAIN, DEMO_PASSWORD
    from caseapp.security import two_factor as tf
    from caseapp.security.accounts import find_user

    tmp = tmp_path_factory.mktemp("crawl")
    app = create_app(
        {
            "ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'crawl.db'}",
            "KEYS_FILE": str(tmp / "keyring.json"),
        }
    )
    staff = {}
    with app.app_context():
        upgrade()
        seed(people=60, seed=7, accounts=True)
        for role in ROLES:
            user = find_user(f"{role}@{DEMO_DOMAIN}")
            secret = None
            if tf.requires_two_factor(user):
                secret = tf.new_secret()
                tf.enable(user, secret)
            staff[role] = StaffRef(user.id, user.email, secret, DEMO_PASSWORD)
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="crawl-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", staff
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def dictionary():
    return english_dictionary()


def _context(browser, base_url, viewport):
    context = browser.new_context(
        base_url=base_url,
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
        viewport=viewport,
        extra_http_headers={"Accept-Language": "da-DK,da;q=0.9"},
    )
    context.set_default_timeout(15_000)
    return context


def _login(page, staff: StaffRef) -> None:
    page.goto("/login")
    page.locator("input[name=email]").fill(staff.email)
    page.locator("input[name=password]").fill(staff.password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    if page.url.endswith("/login/2fa"):
        page.locator("input[name=code]").fill(staff.totp())
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()
    assert urlsplit(page.url).path == "/", f"{staff.email} did not reach the landing page: {page.url}"


def axe_violations(page) -> list[str]:
    violations = _axe.run(page).response["violations"]
    return [
        f"axe {v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}" for v in violations
    ]


_SIDEWAYS = """() => {
  const limit = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= limit) return [];
  const inScroller = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      const scrolls = s.overflowX === 'auto' || s.overflowX === 'scroll';
      if (scrolls && p.getBoundingClientRect().right <= limit + 1) return true; }
    return false; };
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > limit + 1 && !inScroller(e))
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.')
      + ' right=' + Math.round(e.getBoundingClientRect().right));
}"""

# Targets: links, buttons, form controls. Exempt (WCAG 2.5.8): a link inside running text, and a
# control the browser hides; anything in a table's scroll region is measured like the rest.
_SMALL_TARGETS = """([minimum, scope]) => {
  const visible = (e) => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  const inline = (e) => { if (e.tagName !== 'A') return false;
    const block = e.closest('p, li, dd, td, th, figcaption, .hint, .form-hint, .alert-text, legend');
    return block && block.textContent.trim().length > e.textContent.trim().length + 1; };
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  return [...document.querySelector(scope).querySelectorAll(selector)].filter(e => visible(e) && !inline(e)).map(e => {
    let r = e.getBoundingClientRect();
    if (e.type === 'checkbox' || e.type === 'radio') {  // its label is the target when it wraps or names it
      const label = e.closest('label') || (e.id && document.querySelector('label[for="' + e.id + '"]'));
      if (label && visible(label)) { const l = label.getBoundingClientRect(); if (l.height >= r.height) r = l; }
    }
    return [e, r];
  }).filter(([e, r]) => r.width < minimum - 0.5 || r.height < minimum - 0.5).slice(0, 5)
    .map(([e, r]) => e.tagName.toLowerCase() + (e.name ? '[name=' + e.name + ']' : '') + ' "'
      + (e.textContent || e.value || '').trim().slice(0, 30) + '" ' + Math.round(r.width) + 'x' + Math.round(r.height));
}"""

# No silent cut (issue 17): no field cuts pasted text at maxlength; a field with a limit has its counter.
_SILENT_CUTS = """() => [
  ...[...document.querySelectorAll('input[maxlength], textarea[maxlength]')]
    .map(e => 'cuts at maxlength: ' + (e.name || e.id)),
  ...[...document.querySelectorAll('[data-maxlength]')]
    .filter(e => !(e.getAttribute('aria-describedby') || '').split(' ').some(id => {
      const c = document.getElementById(id); return c && c.classList.contains('char-count'); }))
    .map(e => 'a limit without its counter: ' + (e.name || e.id))]"""

# The next action first (issue 17): in a row of actions, the primary one leads.
_PRIMARY_NOT_FIRST = """() => [...document.querySelectorAll('.actions')].map(row => {
    const buttons = [...row.querySelectorAll('.button, button')].filter(b => b.getBoundingClientRect().width > 0);
    const primary = buttons.find(b => b.classList.contains('button-primary'));
    return primary && buttons[0] !== primary ? 'primary action not first: ' + primary.textContent.trim() : null;
  }).filter(Boolean)"""

_TEXTS = """() => [document.body.innerText,
  ...[...document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')]
    .map(e => [e.getAttribute('aria-label'), e.getAttribute('placeholder'), e.getAttribute('title'),
               e.getAttribute('alt')].filter(Boolean).join(' | '))].join('\\n')"""


def english_found(page, dictionary) -> list[str]:
    text = " ".join(page.evaluate(_TEXTS).split())
    return [f"English on a Danish page: {phrase!r}" for phrase in dictionary if phrase in text][:5]


def page_problems(page, dictionary) -> list[str]:
    path = urlsplit(page.url).path
    problems = [f"sideways scroll at 320 px: {wide}" for wide in page.evaluate(_SIDEWAYS)]
    problems += [f"tap target under {MIN_TARGET} px: {t}" for t in page.evaluate(_SMALL_TARGETS, [MIN_TARGET, "body"])]
    if TABLET_FIRST.search(path):  # the page's own controls; the header is the same on every page
        found = page.evaluate(_SMALL_TARGETS, [TABLET_TARGET, "main"])
        problems += [f"tap target under {TABLET_TARGET} px on a tablet-first page: {t}" for t in found]
    problems += english_found(page, dictionary)
    problems += page.evaluate(_SILENT_CUTS)
    problems += page.evaluate(_PRIMARY_NOT_FIRST)
    problems += axe_violations(page)
    return problems


def in_site_links(page, base_url) -> list[str]:
    hrefs = page.evaluate(
        """() => [...document.querySelectorAll('a[href]')]
        .filter(a => !a.hasAttribute('download') && !(a.getAttribute('target') || '').startsWith('_'))
        .map(a => a.href)"""
    )
    return [h.split("#", 1)[0] for h in hrefs if h.startswith(base_url)]


def crawl(page, base_url, dictionary, limit=PAGES_PER_ROLE) -> tuple[list[str], dict[str, list[str]]]:
    """Breadth first from the landing page; returns (the URLs visited, {url: problems})."""
    queue, seen, visited, failures = deque(["/"]), {url_pattern("/", "")}, [], {}
    while queue and len(visited) < limit:
        url = queue.popleft()
        response = page.goto(url)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if response.status >= 500:
            failures[url] = [f"answered {response.status}"]
            continue
        if response.status >= 400:
            continue  # a link to a page the role may not open is the navigation's business, not a crash
        visited.append(url)
        problems = page_problems(page, dictionary)
        if problems:
            failures[url] = problems
        for link in in_site_links(page, base_url):
            parts = urlsplit(link)
            if SKIP.search(parts.path):
                continue
            pattern = url_pattern(parts.path, parts.query)
            if pattern not in seen:
                seen.add(pattern)
                queue.append(parts.path + ("?" + parts.query if parts.query else ""))
    return visited, failures


def _report(role, failures) -> str:
    return f"{role}: " + "\n".join(f"{url}\n  " + "\n  ".join(p) for url, p in failures.items())


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches(browser, demo_server, dictionary, role):
    base_url, staff = demo_server
    context = _context(browser, base_url, PHONE_MIN)
    try:
        page = context.new_page()
        _login(page, staff[role])
        visited, failures = crawl(page, base_url, dictionary)
        print(f"{role}: {len(visited)} pages", *visited, sep="\n  ")
        assert len(visited) >= 2, f"{role} reached only {visited}"
        assert not failures, _report(role, failures)

        # The English UI at tablet size: axe on every page the crawl reached.
        page.set_viewport_size(TABLET)
        page.goto("/")
        switch_language(page)
        assert page.locator("html").get_attribute("lang") == "en"
        english = {}
        for url in visited:
            page.goto(url)
            if found := axe_violations(page):
                english[url] = found
        assert not english, _report(role + " (English)", english)
    finally:
        context.close()


def test_the_dictionary_knows_the_catalogues():
    """The language check is only as good as its dictionary: it holds the platform's and domains' phrases."""
    phrases = english_dictionary()
    assert len(phrases) > 200
    assert any("concern" in p.lower() for p in phrases) and any("course" in p.lower() for p in phrases)


def test_url_patterns_collapse_ids_not_pages():
    assert url_pattern("/people/0b7c3a1e-1111-4222-8333-944445555666", "") == "/people/<id>"
    assert url_pattern("/courses/12/sessions/3", "") == "/courses/<n>/sessions/<n>"
    assert url_pattern("/audit", "actor=3&page=2") == "/audit?actor"
    assert url_pattern("/agenda/2026-12-01", "") == "/agenda/<date>"


def test_the_checks_catch_what_they_look_for(page, dictionary):
    """Each check fails on a page made to break it (so a crawl that passes means something)."""
    phrase = next(p for p in dictionary if "concern" in p.lower())
    page.set_viewport_size(PHONE_MIN)
    page.set_content(
        f"""<html lang="da"><body><main><h1>Side</h1><p>{phrase}</p>
        <div style="width: 400px">bred</div>
        <div style="overflow-x: auto"><table><tr><td style="min-width: 600px">bred tabel</td></tr></table></div>
        <a href="/x" style="font-size: 8px; line-height: 8px">x</a>
        <label for="t">Tekst</label><input id="t" name="t" maxlength="10"></main></body></html>"""
    )
    assert page.evaluate(_SILENT_CUTS) == ["cuts at maxlength: t"]
    assert english_found(page, dictionary)[0] == f"English on a Danish page: {phrase!r}"
    wide = page.evaluate(_SIDEWAYS)
    assert wide and all("table" not in w and not w.startswith("td") for w in wide)
    assert any(t.startswith('a "x"') for t in page.evaluate(_SMALL_TARGETS, [MIN_TARGET, "body"]))
    page.set_content(
        '<main><div class="actions"><a class="button" href="/a">Ret</a>'
        '<a class="button button-primary" href="/b">Notér</a></div></main>'
    )
    assert page.evaluate(_PRIMARY_NOT_FIRST) == ["primary action not first: Notér"]
