"""The compulsory second factor (superusers and the roles of SECOND_FACTOR_REQUIRED_ROLES)
and the administrators' reset of another user's device."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from lookup.permissions import BODY_STAFF, REGISTRY_EDITORS
from lookup.tests.factories import UserFactory
from security.models import AuditEvent
from security.roles import ADMINISTRATORS, AUDITORS, ROLES, SITE_EDITORS, SUPERVISION_EDITORS, ensure_roles
from security.tests.test_two_factor import PASSWORD, confirmed_device_for, current_code, sign_in, wrong_code
from security.two_factor import second_factor_required

pytestmark = pytest.mark.django_db

ENROL_URL = "/admin/two-factor/enrol/"
PRODUCTION_RULE = override_settings(
    SECOND_FACTOR_REQUIRED_ROLES=[ADMINISTRATORS, REGISTRY_EDITORS, SUPERVISION_EDITORS, BODY_STAFF],
    SECOND_FACTOR_REQUIRED_FOR_SUPERUSERS=True,
)


@pytest.fixture(autouse=True)
def compulsory():
    ensure_roles()
    with PRODUCTION_RULE:
        yield


def reset_url(user):
    return reverse("security_two_factor_reset", args=[user.pk])


def refused(response):
    """Wagtail's answer to PermissionDenied in the admin: back to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def member_of(role):
    return UserFactory(groups=[role], is_staff=True)


def verified_administrator(client, superuser=False):
    """An administrator signed in with password and code."""
    administrator = UserFactory(superuser=True) if superuser else member_of(ADMINISTRATORS)
    device = confirmed_device_for(administrator)
    sign_in(client, administrator)
    client.post("/admin/two-factor/verify/", {"token": current_code(device)})
    return administrator


def test_base_settings_make_it_compulsory_for_accounts_roles_and_those_who_change_certificates():
    from config.settings import base

    assert set(base.SECOND_FACTOR_REQUIRED_ROLES) == {
        ADMINISTRATORS,
        REGISTRY_EDITORS,
        SUPERVISION_EDITORS,
        BODY_STAFF,
    }
    assert set(base.SECOND_FACTOR_REQUIRED_ROLES) <= set(ROLES)
    assert base.SECOND_FACTOR_REQUIRED_FOR_SUPERUSERS is True


@pytest.mark.parametrize(
    ("role", "required"),
    [
        (ADMINISTRATORS, True),
        (REGISTRY_EDITORS, True),
        (SUPERVISION_EDITORS, True),
        (BODY_STAFF, True),
        (SITE_EDITORS, False),
        (AUDITORS, False),
    ],
)
def test_roles_that_need_a_second_factor(role, required):
    assert second_factor_required(member_of(role)) is required
    assert set(settings.SECOND_FACTOR_REQUIRED_ROLES) <= set(ROLES)


def test_superusers_need_a_second_factor():
    assert second_factor_required(UserFactory(superuser=True))


@pytest.mark.parametrize("role", [ADMINISTRATORS, SUPERVISION_EDITORS, BODY_STAFF])
def test_member_without_a_device_is_sent_to_enrol_after_the_password(client, role):
    user = member_of(role)
    sign_in(client, user)

    for page in ("/admin/", "/admin/users/", "/admin/pages/", "/admin/two-factor/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.url.startswith(ENROL_URL), page


def test_enrol_page_shows_a_qr_code_and_keeps_the_page_asked_for(client):
    user = member_of(ADMINISTRATORS)
    sign_in(client, user)

    response = client.get(f"{ENROL_URL}?next=/admin/users/")

    assert response.status_code == 200
    assert b"<svg" in response.content
    assert 'name="next" value="/admin/users/"' in response.text


def test_enrolling_with_a_current_code_opens_the_admin(client):
    user = member_of(SUPERVISION_EDITORS)
    sign_in(client, user)
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=user)

    response = client.post(ENROL_URL, {"token": current_code(device), "next": "/admin/"})

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.get(action="otp.enable", actor=user, outcome="success")
    assert event.details == {"compulsory": True}


def test_a_wrong_code_keeps_the_member_out(client):
    user = member_of(BODY_STAFF)
    sign_in(client, user)
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=user)

    response = client.post(ENROL_URL, {"token": wrong_code(device)})

    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302
    assert AuditEvent.objects.filter(action="otp.enable", actor=user, outcome="failure").exists()


def test_after_enrolment_the_next_sign_in_asks_for_a_code(client):
    user = member_of(ADMINISTRATORS)
    confirmed_device_for(user)
    sign_in(client, user)

    response = client.get("/admin/")

    assert response.url.startswith("/admin/two-factor/verify/")


def test_site_editor_without_a_device_goes_straight_in(client):
    user = member_of(SITE_EDITORS)
    sign_in(client, user)
    assert client.get("/admin/").status_code == 200


def test_member_of_a_compulsory_role_cannot_turn_it_off(client):
    user = member_of(ADMINISTRATORS)
    device = confirmed_device_for(user)
    sign_in(client, user)
    client.post("/admin/two-factor/verify/", {"token": current_code(device)})

    response = client.post("/admin/two-factor/", {"token": current_code(device)})

    assert response.status_code == 200
    assert "cannot be turned off" in response.text
    assert TOTPDevice.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action="otp.disable").exists()


# Reset by an administrator


def test_administrator_sees_a_confirmation_page_before_the_reset(client):
    verified_administrator(client)
    editor = member_of(SUPERVISION_EDITORS)
    confirmed_device_for(editor)

    response = client.get(reset_url(editor))

    assert response.status_code == 200
    assert editor.username in response.text
    assert "Yes, reset it" in response.text
    assert TOTPDevice.objects.filter(user=editor).exists()


def test_confirmed_reset_removes_the_device_and_is_audited(client):
    administrator = verified_administrator(client)
    editor = member_of(SUPERVISION_EDITORS)
    confirmed_device_for(editor)

    response = client.post(reset_url(editor))

    assert response.status_code == 302
    assert response.url == reverse("wagtailusers_users:index")
    assert not TOTPDevice.objects.filter(user=editor).exists()
    event = AuditEvent.objects.get(action="otp.reset")
    assert event.actor == administrator
    assert event.outcome == "success"
    assert (event.object_type, event.object_id) == ("auth.user", str(editor.pk))
    assert event.details == {"devices": 1}


def test_after_a_reset_the_user_must_enrol_again(client):
    editor = member_of(BODY_STAFF)
    device = confirmed_device_for(editor)
    sign_in(client, editor)
    client.post("/admin/two-factor/verify/", {"token": current_code(device)})
    assert client.get("/admin/").status_code == 200

    TOTPDevice.objects.filter(user=editor).delete()

    response = client.get("/admin/")
    assert response.url.startswith(ENROL_URL)


def test_user_listing_offers_the_reset_only_for_users_with_a_device(client):
    verified_administrator(client)
    with_device = member_of(BODY_STAFF)
    confirmed_device_for(with_device)
    without_device = member_of(SITE_EDITORS)

    response = client.get(reverse("wagtailusers_users:index"))

    assert reset_url(with_device) in response.text
    assert reset_url(without_device) not in response.text


@pytest.mark.parametrize("role", [SITE_EDITORS, AUDITORS, SUPERVISION_EDITORS])
def test_other_roles_may_not_reset_and_the_attempt_is_audited(client, role):
    user = member_of(role)
    if second_factor_required(user):
        device = confirmed_device_for(user)
        sign_in(client, user)
        client.post("/admin/two-factor/verify/", {"token": current_code(device)})
    else:
        sign_in(client, user)
    target = member_of(BODY_STAFF)
    confirmed_device_for(target)

    response = client.post(reset_url(target))

    assert refused(response)
    assert TOTPDevice.objects.filter(user=target).exists()
    assert AuditEvent.objects.filter(action="otp.reset", outcome="failure", object_id=str(target.pk)).exists()


def test_administrator_may_not_reset_a_superuser_nor_their_own_device(client):
    administrator = verified_administrator(client)
    superuser = UserFactory(superuser=True)
    confirmed_device_for(superuser)

    assert refused(client.post(reset_url(superuser)))
    assert refused(client.post(reset_url(administrator)))
    assert TOTPDevice.objects.filter(user=superuser).exists()
    assert TOTPDevice.objects.filter(user=administrator).exists()


def test_superuser_may_reset_another_superuser(client):
    verified_administrator(client, superuser=True)
    other = UserFactory(superuser=True)
    confirmed_device_for(other)

    client.post(reset_url(other))

    assert not TOTPDevice.objects.filter(user=other).exists()


def test_reset_needs_the_resetting_administrator_to_have_given_the_second_factor(client):
    administrator = member_of(ADMINISTRATORS)
    confirmed_device_for(administrator)
    client.post("/admin/login/", {"username": administrator.username, "password": PASSWORD})
    target = member_of(BODY_STAFF)
    confirmed_device_for(target)

    response = client.post(reset_url(target))

    assert response.url.startswith("/admin/two-factor/verify/")
    assert TOTPDevice.objects.filter(user=target).exists()


@pytest.mark.parametrize("step", ["/admin/two-factor/enrol/", "/admin/two-factor/verify/"])
def test_files_the_second_factor_pages_load_are_not_sent_to_them(client, step):
    user = member_of(ADMINISTRATORS)
    if step.endswith("verify/"):
        confirmed_device_for(user)
    sign_in(client, user)

    assert client.get("/admin/").url.startswith(step)
    sprite = client.get(reverse("wagtailadmin_sprite"))
    assert sprite.status_code == 200
    assert b"<svg" in sprite.content
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
