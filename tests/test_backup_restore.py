"""Backup and restore as docs/deployment.md describes them: dump, restore into an empty
database, rebuild the lookup index there, and find the same certificates.

On PostgreSQL: ``pg_dump -Fc`` of the test database, ``createdb`` of a new empty one,
``pg_restore`` into it. On SQLite: the online backup API (what ``sqlite3 db ".backup
file"`` uses) into a new file. Then, for both, ``manage.py rebuild_lookup_index`` and a
check run against the copy, as separate processes, the way an operator runs them.
"""

import json
import os
import secrets
import sqlite3
import subprocess
import sys
import urllib.parse

import pytest

from django.conf import settings
from django.db import connection

from lookup.models import Certificate, StatusChange, TraceCode
from lookup.tests.factories import CertificateFactory, TraceCodeFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHECK = """
import json
from lookup.codes import parse_code
from lookup.engines.base import get_engine
from lookup.models import Certificate, StatusChange, TraceCode
engine = get_engine()
number, trace_code = {number!r}, {trace_code!r}
sample = Certificate.objects.filter(number=number).values(
    "number", "status", "product_name", "client__uscc", "body__code", "expires_on").first()
print(json.dumps({{
    "certificates": Certificate.objects.count(),
    "trace_codes": TraceCode.objects.count(),
    "status_changes": StatusChange.objects.count(),
    "sample": sample,
    "indexed": engine.count(),
    "by_number": engine.lookup_code(parse_code(number)),
    "by_trace_code": engine.lookup_code(parse_code(trace_code)),
}}, default=str))
"""


@pytest.fixture
def registry():
    certificates = CertificateFactory.create_batch(3)
    trace = TraceCodeFactory(certificate=certificates[1])
    return certificates[1], trace


def source_facts(certificate, trace):
    sample = (
        Certificate.objects.filter(pk=certificate.pk)
        .values("number", "status", "product_name", "client__uscc", "body__code", "expires_on")
        .get()
    )
    return {
        "certificates": Certificate.objects.count(),
        "trace_codes": TraceCode.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "sample": json.loads(json.dumps(sample, default=str)),
    }


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, check=True, **kwargs)


def check_copy(database_url, tmp_path, certificate, trace):
    """Rebuild the lookup index from the copy and read it back, in new processes."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": database_url,
        "DATA_DIR": str(tmp_path / "restored-data"),
        "ELASTICSEARCH_URL": "",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    run([*manage, "rebuild_lookup_index", "-v0"], env=env, cwd=settings.BASE_DIR)
    script = CHECK.format(number=certificate.number, trace_code=trace.code)
    output = run([*manage, "shell", "-c", script], env=env, cwd=settings.BASE_DIR).stdout
    return json.loads(output.strip().splitlines()[-1])


def assert_same_certificates(restored, expected, certificate):
    assert restored["certificates"] == expected["certificates"] > 0
    assert restored["trace_codes"] == expected["trace_codes"]
    assert restored["status_changes"] == expected["status_changes"]
    assert restored["sample"] == expected["sample"]
    assert restored["indexed"] == expected["certificates"]
    assert restored["by_number"] == [certificate.number]
    assert restored["by_trace_code"] == [certificate.number]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="DATABASE_URL is not PostgreSQL: pg_dump has nothing to dump"
)
def test_pg_dump_restores_into_an_empty_database_with_the_same_certificates(registry, tmp_path):
    certificate, trace = registry
    expected = source_facts(certificate, trace)
    source = connection.settings_dict
    server = {
        "PGHOST": source["HOST"] or "127.0.0.1",
        "PGPORT": str(source["PORT"] or 5432),
        "PGUSER": source["USER"],
        "PGPASSWORD": source["PASSWORD"] or "",
    }
    env = {**os.environ, **server}
    dump = tmp_path / "greencert.dump"
    restored_name = f"{source['NAME']}_restored_{secrets.token_hex(4)}"

    run(["pg_dump", "-Fc", "--no-owner", "-f", str(dump), source["NAME"]], env=env)
    run(["createdb", "-T", "template0", restored_name], env=env)
    try:
        run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d", restored_name, str(dump)], env=env
        )
        credentials = urllib.parse.quote(server["PGUSER"], safe="")
        if server["PGPASSWORD"]:
            credentials += ":" + urllib.parse.quote(server["PGPASSWORD"], safe="")
        url = f"postgres://{credentials}@{server['PGHOST']}:{server['PGPORT']}/{restored_name}"
        restored = check_copy(url, tmp_path, certificate, trace)
    finally:
        run(["dropdb", "--if-exists", restored_name], env=env)

    assert_same_certificates(restored, expected, certificate)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup applies to the SQLite database only")
def test_sqlite_backup_copies_the_database_with_the_same_certificates(registry, tmp_path):
    certificate, trace = registry
    expected = source_facts(certificate, trace)
    copy = tmp_path / "backup.sqlite3"

    connection.ensure_connection()
    with sqlite3.connect(copy) as target:
        connection.connection.backup(target)
    target.close()
    restored = check_copy(f"sqlite:///{copy}", tmp_path, certificate, trace)

    assert_same_certificates(restored, expected, certificate)
