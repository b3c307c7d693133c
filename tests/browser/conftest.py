"""Headless Debian Chromium driven by Playwright, against a live Django server.

The demo content takes a while to build, so each test worker builds it once
(``demo_site``), committed, for a live server of its own (pytest-django's
``live_server`` would flush it after every test), and ``committed_db`` puts the
database back as the migrations left it when the session ends. Browser tests run after
every other test on their worker (the root conftest orders them last), so no other
test sees the demo rows.

Playwright's sync API runs an event loop in the test's thread, so Django refuses
database calls from it unless DJANGO_ALLOW_ASYNC_UNSAFE is set; the ``browser``
fixture sets it only while the browser is open.
"""

from pathlib import Path

import pytest
from pytest_django.live_server_helper import LiveServer

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "screenshots"
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}


@pytest.fixture(scope="session")
def committed_db(django_db_setup, django_db_blocker):
    """Database access for the rest of the session, with what it commits undone afterwards."""
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        if not (name.startswith("test_") or "mode=memory" in name):
            raise RuntimeError("committed_db runs only on a test database: mark the tests with django_db.")
        snapshot = connection.creation.serialize_db_to_string()
        try:
            yield
        finally:
            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(snapshot)
            reset_sequences()


def reset_sequences():
    """Move every table's id sequence past the rows just restored with their ids.

    ``flush`` restarts PostgreSQL's sequences and the snapshot is loaded with explicit
    ids, so without this the next insert would take id 1 again (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture(scope="session")
def server(committed_db):
    """A live server for the session, on the committed database."""
    live = LiveServer("127.0.0.1")
    live._live_server_modified_settings.enable()
    yield live.url
    live._live_server_modified_settings.disable()
    live.stop()


@pytest.fixture(scope="session")
def demo_site(committed_db, server):
    """The whole demo site (pages in both languages, spot checks, the blacklist, the
    specification's sample certificates plus generated ones, and the lookup index),
    built once per worker; the live server's address."""
    from cms.demo.builder import build

    build(certificates=True)
    return server


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (./dev.sh test does).")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()


class Visit:
    """One page opened in a fresh context, with the console errors it produced."""

    def __init__(self, browser, url, device, content_security_policy=None):
        self.context = browser.new_context(**device)
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        if content_security_policy:
            self.page.route("**/*", lambda route: self._add_policy(route, content_security_policy))
        self.response = self.page.goto(url, wait_until="load")

    @staticmethod
    def _add_policy(route, policy):
        """Serve HTML pages with the policy nginx adds in production."""
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    def screenshot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    opened = []

    def open_page(url, device, content_security_policy=None):
        opened.append(Visit(browser, url, device, content_security_policy))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()
