"""Sign-in: password rules, lockout after repeated failures, no default accounts."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from lookup.tests.factories import UserFactory
from security.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
PASSWORD = "correct horse battery staple"


def refusal_codes(password, user=None):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=user)
    return {error.code for error in refused.value.error_list}


def sign_in(client, username, password, address="192.0.2.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_no_user_account_exists_after_migrations():
    assert get_user_model().objects.count() == 0


def test_password_shorter_than_twelve_characters_is_refused():
    assert "password_too_short" in refusal_codes("Gq7#vLp2!x")


def test_common_password_is_refused():
    assert "password_too_common" in refusal_codes("qwertyuiop123")


def test_password_like_the_user_name_is_refused():
    user = UserFactory.build(username="zhangwei.registry", email="zhangwei@example.cn")
    assert "password_too_similar" in refusal_codes("zhangwei.registry1", user=user)


def test_all_digit_password_is_refused():
    assert "password_entirely_numeric" in refusal_codes("384729103847")


def test_long_uncommon_password_is_accepted():
    validate_password("Lantern-orchard-37-quietly")


def test_admin_sign_in_with_right_password_succeeds(client):
    UserFactory(username="editor", is_staff=True, superuser=True)
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_five_failures_for_one_user_name_lock_it_from_any_address(client, settings):
    UserFactory(username="editor", superuser=True)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong password", address=f"198.51.100.{attempt + 1}")
    response = sign_in(client, "editor", PASSWORD, address="203.0.113.50")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_five_failures_from_one_address_lock_it_for_every_user_name(client, settings):
    UserFactory(username="editor", superuser=True)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{attempt}", "wrong password", address="198.51.100.7")
    response = sign_in(client, "editor", PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock_out(client, settings):
    UserFactory(username="editor", superuser=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "editor", "wrong password")
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_lockout_is_recorded_in_the_audit_log(client, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong password", address="198.51.100.9")
    event = AuditEvent.objects.get(action="lockout")
    assert (event.actor_label, event.ip_address, event.outcome) == ("editor", "198.51.100.9", "failure")
