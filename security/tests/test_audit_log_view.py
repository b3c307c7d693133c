"""The audit log in the admin: auditors read, filter and export it; nobody edits it."""

import csv
import datetime
import io

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from lookup.tests.factories import UserFactory
from security.roles import ADMINISTRATORS, AUDITORS
from security.tests.factories import AuditEventFactory

pytestmark = pytest.mark.django_db


def index_url():
    return reverse("audit_log:index")


@pytest.fixture
def auditor_client(client):
    client.force_login(UserFactory(username="auditor", groups=[Group.objects.get(name=AUDITORS)]))
    return client


def listed(response):
    """The events listed, less the auditor's own sign-in."""
    return {event.pk for event in response.context["object_list"] if event.actor_label != "auditor"}


def test_auditor_sees_the_audit_log(auditor_client):
    event = AuditEventFactory()
    response = auditor_client.get(index_url())
    assert response.status_code == 200
    assert listed(response) == {event.pk}


def test_administrator_cannot_read_the_audit_log(client):
    client.force_login(UserFactory(groups=[Group.objects.get(name=ADMINISTRATORS)]))
    response = client.get(index_url())
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_auditor_cannot_edit_an_event(auditor_client):
    event = AuditEventFactory(action="login")
    response = auditor_client.post(reverse("audit_log:edit", args=[event.pk]), {"action": "changed"})
    event.refresh_from_db()
    assert response.status_code == 302
    assert event.action == "login"


def test_auditor_cannot_delete_an_event(auditor_client):
    event = AuditEventFactory()
    auditor_client.post(reverse("audit_log:delete", args=[event.pk]))
    event.refresh_from_db()
    assert event.pk


def test_filter_by_date_range(auditor_client):
    now = timezone.now()
    recent = AuditEventFactory(occurred_at=now)
    AuditEventFactory(occurred_at=now - datetime.timedelta(days=40))
    since = (now - datetime.timedelta(days=7)).date().isoformat()
    response = auditor_client.get(index_url(), {"occurred_at_from": since})
    assert listed(response) == {recent.pk}


def test_filter_by_actor(auditor_client):
    wanted = AuditEventFactory(actor_label="zhang.wei")
    AuditEventFactory(actor_label="li.na")
    assert listed(auditor_client.get(index_url(), {"actor": "zhang"})) == {wanted.pk}


def test_filter_by_action(auditor_client):
    wanted = AuditEventFactory(action="lockout")
    AuditEventFactory(action="login")
    assert listed(auditor_client.get(index_url(), {"action": "lockout"})) == {wanted.pk}


def test_filter_by_outcome(auditor_client):
    wanted = AuditEventFactory(outcome="failure")
    AuditEventFactory(outcome="success")
    assert listed(auditor_client.get(index_url(), {"outcome": "failure"})) == {wanted.pk}


def test_csv_export_holds_the_filtered_events(auditor_client):
    AuditEventFactory(action="login", actor_label="li.na", outcome="failure", ip_address="198.51.100.3")
    AuditEventFactory(action="login", actor_label="zhang.wei", outcome="success")
    response = auditor_client.get(index_url(), {"export": "csv", "outcome": "failure"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert len(rows) == 2
    assert "li.na" in rows[1]
    assert "198.51.100.3" in rows[1]
