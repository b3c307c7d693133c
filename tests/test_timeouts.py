"""Every outbound call gives up: a server that accepts the connection and then says
nothing (overloaded, or a black-holed network) must not hold a reader's request.

The silent server is a real listening socket that never reads or writes: the
connection is made, and every answer waits until the caller's timeout.
"""

import runpy
import socket
import time
from pathlib import Path

import pytest

from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from config.settings.base import redis_caches
from lookup.engines.base import reset_engine
from lookup.models import ConcernReport, TraceCode
from lookup.tests.factories import CertificateFactory, TraceCodeFactory, UserFactory
from security.roles import SUPERVISION_EDITORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent_server():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield server.getsockname()[1]


def seconds(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_a_silent_search_server_costs_at_most_its_timeout(client, settings, silent_server):
    settings.LOOKUP_ENGINE = ""
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{silent_server}"
    settings.ELASTICSEARCH_COMPATIBILITY_HEADERS = False
    settings.ELASTICSEARCH_TIMEOUT = 1
    reset_engine()
    try:
        response, elapsed = seconds(lambda: client.get("/api/v1/lookup/", {"q": "冰箱", "lang": "en"}))
    finally:
        reset_engine()

    assert response.status_code == 200
    assert response.json()["degraded"] is True
    assert elapsed < 5


def test_a_silent_mail_server_does_not_lose_the_report_or_hold_the_reader(
    client, silent_server, django_capture_on_commit_callbacks
):
    UserFactory(groups=[SUPERVISION_EDITORS], email="editor@example.cn")
    certificate = CertificateFactory()
    with translation.override("en"):
        url = reverse("lookup-certificate-report", kwargs={"number": certificate.number})
    data = {"kind": ConcernReport.Kind.MARK_MISUSE, "description": "超市里的冰箱贴着绿色产品标识，但型号不在证书上。"}
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": silent_server,
        "EMAIL_TIMEOUT": 1,
    }
    with override_settings(**smtp), django_capture_on_commit_callbacks(execute=True):
        response, elapsed = seconds(lambda: client.post(url, data))

    assert response.status_code == 302
    assert ConcernReport.objects.filter(number=certificate.number).exists()
    assert elapsed < 5


def test_a_silent_cache_server_costs_one_timeout_then_nothing(client, silent_server):
    """Without the breaker (lookup.redis_cache) each of the page's cache calls waited
    a second: 9.5 s for one trace page."""
    trace = TraceCodeFactory()
    with override_settings(CACHES=redis_caches(f"redis://127.0.0.1:{silent_server}/9", key_prefix="silent")):
        first, first_seconds = seconds(lambda: client.get(f"/t/{trace.code}"))
        second, second_seconds = seconds(lambda: client.get(f"/t/{trace.code}"))

    assert (first.status_code, second.status_code) == (200, 200)
    assert TraceCode.objects.get(pk=trace.pk).scan_count == 2
    assert first_seconds < 5
    assert second_seconds < 2


def test_a_silent_database_server_fails_the_connection_within_its_timeout(monkeypatch, silent_server):
    from django.db import OperationalError
    from django.db.utils import ConnectionHandler

    monkeypatch.setenv("DATABASE_URL", f"postgres://greencert@127.0.0.1:{silent_server}/greencert")
    monkeypatch.setenv("DB_CONNECT_TIMEOUT", "1")
    databases = runpy.run_path(str(Path(__file__).resolve().parent.parent / "config/settings/base.py"))["DATABASES"]
    assert databases["default"]["OPTIONS"]["connect_timeout"] == 1
    connection = ConnectionHandler(databases)["default"]
    started = time.monotonic()
    with pytest.raises(OperationalError):
        connection.ensure_connection()
    assert time.monotonic() - started < 5
