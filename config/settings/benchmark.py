"""Load tests only (benchmarks/load_test.py): production settings plus one bare view.

``benchmarks.urls`` adds ``/bench/bare/``, a view that answers 8 KB without touching
the database, as the floor the other pages are measured against. No other settings
module names that URLconf, and these settings answer only loopback host names, so the
view cannot be switched on in production by accident.

With ``BENCHMARK_BARE_DJANGO=1`` the middleware list is empty: the bare view then
measures Django and gunicorn alone, the floor the site's own stack is measured
against in turn (the load test's second floor).
"""

import os

from .production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
if os.environ.get("BENCHMARK_BARE_DJANGO") == "1":
    MIDDLEWARE = []
