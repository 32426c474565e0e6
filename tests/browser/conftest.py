"""Browser fixtures: the app served on 127.0.0.1 from a migrated SQLite file, driven by Debian's
headless Chromium through Playwright.

`live_server` -> base URL; `browser`; `page` (a fresh Danish context per test);
`make_staff(*roles)` -> StaffRef in the live server's database; `browser_login(page, staff)`;
`sized("phone" | "tablet")` -> a Danish page of that size; `assert_no_sideways_scroll(page)` and
`assert_axe_clean(page)` for any page at any size.

The live server's database is its own (the root conftest's per-test cleaning does not reach it):
every test makes fresh staff and people so tests stay independent. Nothing here skips: without
Chromium the tests fail (tests/run_suites.py installs Debian's chromium when it is missing).
"""

from __future__ import annotations

import re
import threading
from datetime import date
from itertools import count
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from werkzeug.serving import make_server

from caseapp import create_app
from caseapp.extensions import db
from tests.conftest import PASSWORD, StaffRef

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000
# Assertions wait as long as actions: on a busy shared machine a page's answer can take seconds.
expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(config, items):
    """Every test in tests/browser is a browser test (deselect with -m "not browser")."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app behind the live server, on its own SQLite file and keyring."""
    from flask_migrate import upgrade

    tmp = tmp_path_factory.mktemp("live")
    application = create_app(
        {
            "ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'live.db'}",
            "KEYS_FILE": str(tmp / "keyring.json"),
        }
    )
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serve live_app in a background thread on a free port; yields the base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh context (no cookies) and page per test, Danish like a Danish browser would ask."""
    context = browser.new_context(
        base_url=live_server,
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
        extra_http_headers={"Accept-Language": "da-DK,da;q=0.9"},
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def _staff_numbers():
    return count(1)


@pytest.fixture
def make_staff(live_app, _staff_numbers):
    """make_staff("leader", two_factor=None) -> StaffRef of a committed account in the live database.

    Roles that require 2FA are enrolled (a TOTP secret on the StaffRef) unless two_factor=False,
    which leaves enrolment to the first login.
    """
    from caseapp.security import two_factor as tf
    from caseapp.security.accounts import create_user

    def make(
        *roles: str, name: str = "Test Medarbejder", two_factor: bool | None = None, password: str = PASSWORD
    ) -> StaffRef:
        number = next(_staff_numbers)
        with live_app.app_context():
            user = create_user(
                f"{'-'.join(roles) or 'none'}{number}@browser.test.dk", f"{name} {number}", list(roles), password
            )
            db.session.flush()
            secret = None
            if two_factor if two_factor is not None else tf.requires_two_factor(user):
                secret = tf.new_secret()
                tf.enable(user, secret)
            db.session.commit()
            staff = StaffRef(user.id, user.email, secret, password)
            db.session.remove()
        return staff

    return make


@pytest.fixture
def browser_login():
    """browser_login(page, staff): log in, do 2FA (or enrol when the role needs it and the account has
    no secret yet: the secret is then stored on `staff`), and assert the landing page."""
    from playwright.sync_api import expect

    def login(page, staff: StaffRef) -> None:
        page.goto("/login")
        page.locator("input[name=email]").fill(staff.email)
        page.locator("input[name=password]").fill(staff.password)
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()
        if re.search(r"/account/2fa/setup$", page.url):
            staff.totp_secret = page.locator("#totp-secret").inner_text().strip()
            page.locator("input[name=code]").fill(staff.totp())
            page.locator("main button[type=submit]").click()
            page.locator("ul.codes").wait_for()
            page.locator("main a.button.primary").click()
        elif re.search(r"/login/2fa$", page.url):
            assert staff.totp_secret, "the account has 2FA on but the StaffRef has no secret"
            page.locator("input[name=code]").fill(staff.totp())
            page.locator("main button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
        expect(page.locator("main h1")).to_be_visible()

    return login


SIZES = {"phone": {"width": 390, "height": 844}, "tablet": {"width": 820, "height": 1180}}
_axe = Axe()


@pytest.fixture
def sized(browser, live_server):
    """sized("phone", touch=True) -> a Danish page of that size."""
    contexts = []

    def make(size: str, touch: bool = False):
        context = browser.new_context(
            base_url=live_server,
            locale="da-DK",
            timezone_id="Europe/Copenhagen",
            viewport=SIZES[size],
            has_touch=touch,
            is_mobile=touch and size == "phone",
            extra_http_headers={"Accept-Language": "da-DK,da;q=0.9"},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def assert_no_sideways_scroll(page) -> None:
    width, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if width > client:  # name what sticks out, so the failure says where to look
        wide = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > limit + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""",
            client,
        )
        raise AssertionError(f"{page.url}: scrollWidth {width} > clientWidth {client}: {wide}")


def assert_axe_clean(page) -> None:
    page.wait_for_load_state("load")
    violations = _axe.run(page).response["violations"]
    report = "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )
    assert not violations, f"axe on {page.url}:\n{report}"


def assigned_person(live_app, staff, programme, first, last, cpr, area="Granparken") -> str:
    """A resident in the live database, assigned to `staff` for `programme`; its id."""
    from caseapp.register.models import Assignment
    from caseapp.register.services import PersonInput, build_person

    with live_app.app_context():
        person = build_person(PersonInput(first_name=first, last_name=last, cpr=cpr, area=area), staff.id)
        db.session.flush()
        db.session.add(Assignment(user_id=staff.id, person_id=person.id, programme=programme))
        db.session.commit()
        pid = str(person.id)
        db.session.remove()
        return pid


def filed_concern(live_app, filer, person_id, description="Set ved stationen sent", triaged_by=None) -> str:
    """A low-severity concern about `person_id` filed by `filer` in the live database (moved into
    triage by `triaged_by` when given, which notifies the filer); its id."""
    from caseapp.domains.concerns import services
    from caseapp.models.users import User

    with live_app.app_context():
        concern = services.file_concern(
            {
                "person_id": person_id,
                "observed_on": date.today(),
                "area": "Granparken",
                "source": "resident",
                "category": "violence",
                "severity": "low",
                "summary": "Set ved stationen",
                "description": description,
            },
            db.session.get(User, filer.id),
        )
        db.session.flush()
        if triaged_by is not None:
            services.transition(concern, "in_triage", "Visiteres", db.session.get(User, triaged_by.id), concern.version)
        db.session.commit()
        concern_id = str(concern.id)
        db.session.remove()
        return concern_id


def open_menu_if_collapsed(page) -> None:
    """Below the design system's desktop width the navigation and the user's tools sit in the mobile
    drawer: open it with the menu button when that button shows (a signed-in page narrower than 992 px)."""
    page.wait_for_load_state()  # the design system's script binds the button when the page has loaded
    button = page.locator(".js-menu-open")
    if button.count() and button.is_visible():
        button.click()
        expect(page.locator(".mobile-drawer")).to_be_visible()


def switch_language(page) -> None:
    """Press the header's language switch (in the drawer on a phone or tablet) and wait for the page."""
    open_menu_if_collapsed(page)
    page.locator("form.lang-switch button:visible").click()
    page.wait_for_load_state()


def open_section(page, label: str) -> None:
    """Follow the main navigation's entry `label` as a user would: through the drawer on a phone or
    tablet, through the design system's "More" overflow on a desktop that the entries do not fit."""
    open_menu_if_collapsed(page)
    nav = page.get_by_role("navigation", name=re.compile("^(Hovedmenu|Main menu)$"))
    link = nav.get_by_role("link", name=label, exact=True)
    if not link.is_visible():
        nav.locator(".more-button").click()
    link.click()
