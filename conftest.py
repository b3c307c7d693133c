"""Suite-wide test set-up."""

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
