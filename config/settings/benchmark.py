"""Load tests only (benchmarks/load_test.py): production settings plus one bare view.

``benchmarks.urls`` adds ``/bench/bare/``, a view that answers 8 KB without touching
the database, as the floor the other pages are measured against. No other settings
module names that URLconf, and these settings answer only loopback host names, so the
view cannot be switched on in production by accident.
"""

from .production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
