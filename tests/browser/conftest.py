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

``assert_accessible(page, name)`` (or ``Visit.assert_accessible(name)``) runs axe-core
on the page with the WCAG 2.1 A and AA rules. axe-core is pinned in package.json and
package-lock.json beside this file and installed with ``npm ci`` the first time a test
needs it.
"""

import fcntl
import functools
import json
import shutil
import subprocess
import tempfile
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
NODE_PACKAGES = Path(__file__).resolve().parent
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
    return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({target: node.target.join(" "), summary: node.failureSummary})),
    }));
}"""


@pytest.fixture(scope="session")
def committed_db(django_db_setup, django_db_blocker):
    """Database access for the rest of the session, with what it commits undone afterwards."""
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        if not (name.startswith("test_") or "mode=memory" in name):
            raise RuntimeError("committed_db runs only on a test database: mark the tests with django_db.")
        restore_migrated_state()
        snapshot = connection.creation.serialize_db_to_string()
        try:
            yield
        finally:
            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(snapshot)
            reset_sequences()


def restore_migrated_state():
    """Put back what the migrations made, if a transactional test left it flushed.

    Browser tests run after every other test on their worker, so the last test before
    them may have been a transactional one, whose teardown flush empties every table
    (serialized rollback restores at the *start* of the next such test, not at the
    end). pytest-django keeps the migrated state serialized whenever a collected test
    asks for serialized rollback; without one, no flush has happened."""
    serialized = getattr(connection, "_test_serialized_contents", None)
    if serialized is None:
        return
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(serialized)
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


def node_packages_installed():
    """Whether node_modules holds exactly the versions package.json pins."""
    wanted = json.loads((NODE_PACKAGES / "package.json").read_text())["dependencies"]
    for name, version in wanted.items():
        manifest = NODE_PACKAGES / "node_modules" / name / "package.json"
        if not manifest.exists() or json.loads(manifest.read_text())["version"] != version:
            return False
    return True


@functools.cache
def axe_source():
    """axe-core's script, installed from the lock file first if need be (one test worker
    at a time: the others wait for it and find it there)."""
    with open(Path(tempfile.gettempdir()) / "greencert-browser-npm.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not node_packages_installed():
            npm = shutil.which("npm")
            if npm is None:
                pytest.fail("npm is missing: the accessibility checks install axe-core with it (Node.js 20).")
            subprocess.run(  # noqa: S603 - fixed arguments, no user input
                [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=NODE_PACKAGES,
                check=True,
            )
    return (NODE_PACKAGES / "node_modules" / "axe-core" / "axe.min.js").read_text()


def accessibility_violations(page):
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN_AXE, WCAG_21_AA)


def assert_accessible(page, name):
    """Fail with a readable list of the page's WCAG 2.1 A/AA violations, if it has any."""
    violations = accessibility_violations(page)
    if violations:
        lines = [f"{name} ({page.url}): {len(violations)} WCAG 2.1 A/AA violation(s)"]
        for violation in violations:
            lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']}")
            for node in violation["nodes"][:5]:
                summary = " ".join(node["summary"].split())
                lines.append(f"    {node['target']}: {summary}")
            if len(violation["nodes"]) > 5:
                lines.append(f"    ... and {len(violation['nodes']) - 5} more")
        pytest.fail("\n".join(lines), pytrace=False)


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

    def assert_accessible(self, name):
        assert_accessible(self.page, name)

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
