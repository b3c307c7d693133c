"""Idle sessions end; the admin's background pings do not keep them alive."""

import time

import pytest

from django.urls import reverse

from lookup.tests.factories import UserFactory
from security.middleware import LAST_ACTIVITY_KEY
from security.models import AuditEvent

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/"


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="editor", superuser=True))
    return client


def set_last_activity(client, seconds_ago):
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds_ago
    session.save()


def ping_url():
    return reverse(
        "wagtailadmin_editing_sessions:ping",
        kwargs={"app_label": "wagtailcore", "model_name": "page", "object_id": "1", "session_id": 0},
    )


def test_session_idle_longer_than_the_timeout_is_signed_out(editor_client, settings):
    editor_client.get(DASHBOARD)
    set_last_activity(editor_client, settings.SESSION_IDLE_TIMEOUT + 60)
    response = editor_client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/admin/login/" in response.url
    assert "_auth_user_id" not in editor_client.session


def test_session_used_within_the_timeout_stays_signed_in(editor_client, settings):
    editor_client.get(DASHBOARD)
    set_last_activity(editor_client, settings.SESSION_IDLE_TIMEOUT - 60)
    assert editor_client.get(DASHBOARD).status_code == 200


def test_page_request_renews_last_activity(editor_client, settings):
    editor_client.get(DASHBOARD)
    set_last_activity(editor_client, settings.SESSION_IDLE_TIMEOUT - 60)
    editor_client.get(DASHBOARD)
    assert int(time.time()) - editor_client.session[LAST_ACTIVITY_KEY] < 5


def test_editing_session_ping_does_not_renew_last_activity(editor_client, settings):
    editor_client.get(DASHBOARD)
    set_last_activity(editor_client, settings.SESSION_IDLE_TIMEOUT - 60)
    before = editor_client.session[LAST_ACTIVITY_KEY]
    editor_client.post(ping_url())
    assert editor_client.session[LAST_ACTIVITY_KEY] == before


def test_ping_after_the_timeout_finds_the_session_ended(editor_client, settings):
    editor_client.get(DASHBOARD)
    set_last_activity(editor_client, settings.SESSION_IDLE_TIMEOUT + 60)
    editor_client.post(ping_url())
    assert "_auth_user_id" not in editor_client.session


def test_idle_timeout_is_recorded_in_the_audit_log(editor_client, settings):
    editor_client.get(DASHBOARD)
    set_last_activity(editor_client, settings.SESSION_IDLE_TIMEOUT + 60)
    editor_client.get(DASHBOARD, REMOTE_ADDR="192.0.2.33")
    event = AuditEvent.objects.get(action="session_timeout")
    assert (event.actor_label, event.ip_address) == ("editor", "192.0.2.33")
