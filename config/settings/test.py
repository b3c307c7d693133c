"""Fast, isolated test settings. DATABASE_URL and REDIS_URL still apply, so CI can
run the same suite against PostgreSQL and Redis."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import REDIS_URL

SECRET_KEY = "test-secret-key"  # noqa: S105
DEBUG = False
DATA_DIR = Path(tempfile.mkdtemp(prefix="greencert-test-"))
MEDIA_ROOT = DATA_DIR / "media"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = f"greencert-test-{DATA_DIR.name}"  # noqa: F405
if ELASTICSEARCH_URL:  # noqa: F405
    # The suite never writes to a site's own indices: whatever it indexes on the
    # cluster goes under a prefix of this test process's, which the root conftest
    # removes when the session ends. Tests of the engines use prefixes of their own.
    ELASTICSEARCH_INDEX_PREFIX = f"test-{DATA_DIR.name.lower()}"
    WAGTAILSEARCH_BACKENDS["site"]["INDEX_PREFIX"] = f"{ELASTICSEARCH_INDEX_PREFIX}-site-"  # noqa: F405
# The suite's admin tests sign in with force_login, which gives no second factor;
# security/tests/test_compulsory_two_factor.py turns the compulsory second factor back on.
SECOND_FACTOR_REQUIRED_ROLES = []
SECOND_FACTOR_REQUIRED_FOR_SUPERUSERS = False
# Limits no test reaches by accident; lookup/tests/test_ratelimit.py sets its own.
RATELIMITS = dict.fromkeys(RATELIMITS, "100000/60")  # noqa: F405
