"""Suite-wide test set-up."""

import contextlib

import pytest

from django.utils import translation


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last on each worker, after pytest-django's own ordering.

    They share one demo site per worker, committed to the test database for the
    session (tests/browser/conftest.py); once they start, no other test is left to see
    those rows."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def english_unless_asked():
    """Code under test outside a request speaks the default language, Chinese; the
    tests read English source strings unless they ask for a language themselves
    (a request under /zh-hans/ or translation.override("zh-hans"))."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="session", autouse=True)
def elasticsearch_test_indices_removed():
    """With ELASTICSEARCH_URL set, the suite indexes under a prefix of its own
    (config/settings/test.py); the indices left under it go when the session ends.
    An unreachable server has already failed the tests that needed it."""
    yield
    from django.conf import settings

    if not settings.ELASTICSEARCH_URL:
        return
    import elasticsearch

    from lookup.engines.elastic import ElasticsearchEngine, delete_indices

    engine = ElasticsearchEngine(index_prefix=settings.ELASTICSEARCH_INDEX_PREFIX)
    with contextlib.suppress(elasticsearch.ConnectionError):
        delete_indices(engine.writer, f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache and no remembered navigation.

    Pages are cached for up to a minute and dropped when a transaction commits, but a
    test's transaction is rolled back, never committed: without this, a page cached
    by one test could answer for rows another test made with the same number."""
    from django.core.cache import cache

    from cms import navigation

    # On Redis only this process's keys (the test settings give each process its own
    # prefix); clear() would empty the database under the other test workers too.
    delete_pattern = getattr(cache, "delete_pattern", None)
    if delete_pattern is not None:
        delete_pattern("*")
    else:
        cache.clear()
    navigation._memo.clear()
