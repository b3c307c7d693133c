"""Helpers for the lookup tests."""

import re

from lookup.engines.base import indexable_certificates
from lookup.models import Certificate


def index(engine, *certificates):
    """Index ``certificates`` in ``engine`` now, without waiting for a commit."""
    engine.index(indexable_certificates(Certificate.objects.filter(pk__in=[c.pk for c in certificates])))


def page_nonces(response):
    """The CSP nonces a page's markup uses, each checked to be in the response's own
    Content-Security-Policy header."""
    in_page = set(re.findall(r'nonce="([^"]*)"', response.content.decode()))
    header = response.get("Content-Security-Policy", "")
    assert all(f"'nonce-{nonce}'" in header for nonce in in_page)
    return in_page
