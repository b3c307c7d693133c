"""The Wagtail admin under its own Content Security Policy (security.headers): the page
editor works and its live preview shows the page in a frame of the same site, with
nothing refused by the policy; and the compulsory second factor's set-up page."""

import base64

import pytest
from django_otp.oath import totp

from wagtail.models import Site

from lookup.tests.factories import UserFactory
from security.roles import ADMINISTRATORS, ensure_roles
from tests.browser.conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def editor(demo_site):
    user = UserFactory(username="csp-browser-editor", superuser=True)
    home = Site.objects.get(is_default_site=True).root_page
    return {"server": demo_site, "user": user, "edit_url": f"{demo_site}/admin/pages/{home.pk}/edit/"}


def policy_refusals(opened):
    return [error for error in opened.errors if "Content Security Policy" in error]


def test_page_editor_and_its_live_preview_keep_to_the_admin_policy(editor, visit):
    opened = visit(f"{editor['server']}/admin/login/?next=/admin/", DESKTOP)
    opened.page.fill("input[name=username]", editor["user"].username)
    opened.page.fill("input[name=password]", PASSWORD)
    opened.page.click("button[type=submit]")
    opened.page.wait_for_url(f"{editor['server']}/admin/")

    response = opened.page.goto(editor["edit_url"], wait_until="load")
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    opened.page.click("[data-side-panel-toggle='preview']")
    preview = opened.page.frame_locator("iframe.w-preview__iframe").last
    preview.locator("main#main").wait_for(state="attached", timeout=30000)
    opened.screenshot("admin-editor-with-preview")

    assert preview.locator("h1").first.is_visible()
    assert policy_refusals(opened) == []


@pytest.fixture(scope="module")
def administrator(demo_site):
    ensure_roles()
    return UserFactory(username="csp-browser-administrator", groups=[ADMINISTRATORS])


def code_for_key(key):
    """The current code for a key typed by hand, as an authenticator app makes it."""
    return f"{totp(base64.b32decode(key + '=' * (-len(key) % 8))):06d}"


def test_administrator_without_a_second_factor_sets_one_up_before_the_admin(demo_site, administrator, visit, settings):
    settings.SECOND_FACTOR_REQUIRED_ROLES = [ADMINISTRATORS]
    opened = visit(f"{demo_site}/admin/login/?next=/admin/users/", DESKTOP)
    opened.page.fill("input[name=username]", administrator.username)
    opened.page.fill("input[name=password]", PASSWORD)
    opened.page.click("button[type=submit]")
    opened.page.wait_for_url(f"{demo_site}/admin/two-factor/enrol/**")
    assert opened.page.locator(".security-qr svg").is_visible()
    opened.screenshot("admin-two-factor-enrol")

    opened.page.fill("input[name=token]", code_for_key(opened.page.locator("main code").inner_text()))
    opened.page.press("input[name=token]", "Enter")

    opened.page.wait_for_url(f"{demo_site}/admin/users/")
    assert policy_refusals(opened) == []
