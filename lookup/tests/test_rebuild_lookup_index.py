"""The rebuild_lookup_index command."""

from io import StringIO

import pytest

from django.core.management import call_command

from lookup.engines import indexing
from lookup.engines.query import build_query
from lookup.tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def engine(engine):
    """The shared embedded engine, with no changes left pending by earlier tests."""
    indexing.pending_path().unlink(missing_ok=True)
    return engine


def test_rebuild_indexes_every_certificate_and_shows_progress(engine):
    certificates = [CertificateFactory(product_name=f"家用电冰箱{n}") for n in range(3)]
    out = StringIO()
    call_command("rebuild_lookup_index", stdout=out)
    assert engine.count() == 3
    assert sorted(engine.search(build_query("冰箱")).numbers) == sorted(c.number for c in certificates)
    assert "[" + "#" * 30 + "] 100% 3/3" in out.getvalue()


def test_rebuild_clears_the_pending_queue(engine):
    certificate = CertificateFactory()
    indexing.write_pending({certificate.number})
    call_command("rebuild_lookup_index", stdout=StringIO())
    assert indexing.read_pending() == set()
    assert engine.search(build_query(certificate.number)).numbers == [certificate.number]
