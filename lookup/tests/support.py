"""Helpers for tests that search through a lookup engine."""

from lookup.engines.base import indexable_certificates
from lookup.models import Certificate


def index(engine, *certificates):
    """Index ``certificates`` in ``engine`` now, without waiting for a commit."""
    engine.index(indexable_certificates(Certificate.objects.filter(pk__in=[c.pk for c in certificates])))
