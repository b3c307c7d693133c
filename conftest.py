"""Suite-wide test set-up."""

import pytest

from django.utils import translation


@pytest.fixture(autouse=True)
def english_unless_asked():
    """Code under test outside a request speaks the default language, Chinese; the
    tests read English source strings unless they ask for a language themselves
    (a request under /zh-hans/ or translation.override("zh-hans"))."""
    with translation.override("en"):
        yield
