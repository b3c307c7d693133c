"""Tests never touch a site's own Elasticsearch indices: with ELASTICSEARCH_URL set the
suite writes under a prefix of its own, and what tests create is deleted by name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from lookup.engines.elastic import ElasticsearchEngine, client_options, delete_indices

BASE_DIR = Path(__file__).resolve().parents[2]


def test_settings_index_under_a_prefix_of_the_test_run_when_a_cluster_is_configured():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ELASTICSEARCH_URL": "http://127.0.0.1:9",
        "ELASTICSEARCH_INDEX_PREFIX": "greencert",
    }
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ELASTICSEARCH_INDEX_PREFIX); print(settings.WAGTAILSEARCH_BACKENDS['site']['INDEX_PREFIX'])"
    )
    answer = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=environment, capture_output=True, text=True, check=True
    )
    lookup_prefix, site_prefix = answer.stdout.split()
    assert lookup_prefix.startswith("test-")
    assert site_prefix == f"{lookup_prefix}-site-"


@pytest.mark.elasticsearch
def test_delete_indices_removes_the_matching_indices_and_no_other(osmem_url, settings):
    settings.ELASTICSEARCH_COMPATIBILITY_HEADERS = False
    client = Elasticsearch(**{**client_options(), "hosts": osmem_url})
    for name in ("test-run1-lookup-a", "test-run1-site-b", "test-run2-lookup-a", "greencert-lookup-a"):
        client.indices.create(index=name)
    assert delete_indices(client, "test-run1-*") == ["test-run1-lookup-a", "test-run1-site-b"]
    assert sorted(client.indices.get_alias(index="*").body) == ["greencert-lookup-a", "test-run2-lookup-a"]
    assert delete_indices(client, "nothing-*") == []


@pytest.mark.elasticsearch
def test_engine_drop_removes_its_own_indices_only(osmem_url):
    ours = ElasticsearchEngine(osmem_url, index_prefix="test-ours", compatibility_headers=False)
    theirs = ElasticsearchEngine(osmem_url, index_prefix="greencert", compatibility_headers=False)
    ours.ensure_index()
    theirs.ensure_index()
    ours.drop()
    assert ours.count() == 0
    assert not ours.health().ok
    assert theirs.health().ok
