"""The optional TOTP second factor of the admin."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.urls import reverse

from lookup.tests.factories import UserFactory
from security.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SETUP_URL = "/admin/two-factor/"
VERIFY_URL = "/admin/two-factor/verify/"


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def wrong_code(device):
    return f"{(int(current_code(device)) + 1) % 10**6:06d}"


def confirmed_device_for(user):
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def sign_in(client, user):
    return client.post("/admin/login/", {"username": user.get_username(), "password": PASSWORD})


def test_setup_page_shows_a_qr_code(client):
    client.force_login(UserFactory(superuser=True))
    response = client.get(SETUP_URL)
    assert response.status_code == 200
    assert b"<svg" in response.content


def test_confirming_with_a_current_code_turns_the_second_factor_on(client):
    user = UserFactory(superuser=True)
    client.force_login(user)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=user)
    client.post(SETUP_URL, {"token": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="otp.enable", actor=user, outcome="success").exists()


def test_a_wrong_code_does_not_turn_it_on(client):
    user = UserFactory(superuser=True)
    client.force_login(user)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=user)
    client.post(SETUP_URL, {"token": wrong_code(device)})
    device.refresh_from_db()
    assert not device.confirmed


def test_user_with_the_second_factor_is_sent_to_verify_after_the_password(client):
    user = UserFactory(superuser=True)
    confirmed_device_for(user)
    sign_in(client, user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(VERIFY_URL)


def test_current_code_lets_the_user_into_the_admin(client):
    user = UserFactory(superuser=True)
    device = confirmed_device_for(user)
    sign_in(client, user)
    response = client.post(VERIFY_URL, {"token": current_code(device), "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_wrong_code_keeps_the_user_out_and_is_recorded(client):
    user = UserFactory(superuser=True)
    device = confirmed_device_for(user)
    sign_in(client, user)
    client.post(VERIFY_URL, {"token": wrong_code(device)})
    assert client.get("/admin/").status_code == 302
    assert AuditEvent.objects.filter(action="otp.verify", actor=user, outcome="failure").exists()


def test_user_without_the_second_factor_goes_straight_in(client):
    user = UserFactory(superuser=True)
    sign_in(client, user)
    assert client.get("/admin/").status_code == 200


def test_verify_does_not_redirect_to_another_site(client):
    user = UserFactory(superuser=True)
    device = confirmed_device_for(user)
    sign_in(client, user)
    response = client.post(VERIFY_URL, {"token": current_code(device), "next": "https://evil.example/"})
    assert response.url == reverse("wagtailadmin_home")


def test_turning_off_needs_a_current_code(client):
    user = UserFactory(superuser=True)
    device = confirmed_device_for(user)
    sign_in(client, user)
    client.post(VERIFY_URL, {"token": current_code(device)})
    client.post(SETUP_URL, {"token": wrong_code(device)})
    assert TOTPDevice.objects.filter(user=user).exists()
