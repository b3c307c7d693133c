"""Settings shared by every environment.

Everything that differs between machines comes from the environment; see the
settings table in README.md. Defaults here are the embedded ones a fresh machine
runs on: SQLite in ``data/``, the embedded lookup engine and a local-memory cache.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE, WASM_UNSAFE_EVAL

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "data"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "frontend",
    "cms",
    "search",
    "lookup",
    "security",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "pwa",
    # django-ninja's API docs page with its own Swagger UI files, not a CDN's.
    "ninja",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

# Reads of these paths skip the middleware of signed-in users (security.sessionless):
# the trace page a phone opens from a label, anonymous and the busiest address.
SESSIONLESS_PATHS = ("/t/",)
MIDDLEWARE = [
    "security.middleware.AuditContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "security.headers.ContentSecurityPolicyMiddleware",
    "security.headers.PermissionsPolicyMiddleware",
    "security.sessionless.SessionMiddleware",
    "lookup.middleware.LocaleMiddleware",
    # Before CSRF and the views: an address over its limit costs no more work.
    "lookup.ratelimit.RateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "security.sessionless.AuthenticationMiddleware",
    "security.sessionless.IdleSessionMiddleware",
    "security.sessionless.OTPMiddleware",
    "security.sessionless.SecondFactorMiddleware",
    "security.sessionless.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a lockout into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "frontend.context_processors.site_context",
            ],
        },
    },
]

# Database: DATABASE_URL, or SQLite in the data folder.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database server that does not answer fails the request in seconds rather than
    # holding a worker (a connect_timeout in DATABASE_URL's query string wins).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: REDIS_URL, or a local-memory cache.
REDIS_URL = os.environ.get("REDIS_URL", "")


def redis_caches(url, key_prefix="greencert"):
    """The cache on the Redis server at ``url``. An outage degrades to cache misses
    and logs them; it never fails a page (tests/test_faults.py), and a circuit
    breaker stops asking a server that failed (lookup.redis_cache). Sessions stay in
    the database (Django's default engine), so sign-ins survive it too."""
    return {
        "default": {
            "BACKEND": "lookup.redis_cache.GuardedRedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                "IGNORE_EXCEPTIONS": True,
            },
            "KEY_PREFIX": key_prefix,
        }
    }


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Elasticsearch: ELASTICSEARCH_URL switches both the lookup engine and Wagtail's
# site search to the cluster; without it both stay embedded.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "greencert")
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "2"))
# Off for servers that answer 406 to elasticsearch-py's versioned media types
# (OpenSearch-compatible ones): the clients then send plain JSON
# (search.elasticsearch.PlainJsonTransport, given by lookup.engines.elastic.client_options).
ELASTICSEARCH_COMPATIBILITY_HEADERS = env_bool("ELASTICSEARCH_COMPATIBILITY_HEADERS", True)
ELASTICSEARCH_DSL = {
    "default": {
        "hosts": ELASTICSEARCH_URL or "http://127.0.0.1:9200",
        "request_timeout": ELASTICSEARCH_TIMEOUT,
        # The lookup engine meets an outage with its circuit breaker, not retries.
        "max_retries": 0,
        "retry_on_timeout": False,
    }
}
# Index writes are queued on commit by lookup's own signal handlers.
ELASTICSEARCH_DSL_AUTOSYNC = False
ELASTICSEARCH_DSL_AUTO_REFRESH = False

# Wagtail's admin searches the "default" backend, always the database; public site
# search (search.site_search) uses "site" when it is configured. Both are kept up to
# date on save and by update_index.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS["site"] = {
        # Wagtail's elasticsearch9 backend with an analyser for segmented Chinese text.
        "BACKEND": "search.elasticsearch",
        "URLS": [ELASTICSEARCH_URL],
        "INDEX_PREFIX": f"{ELASTICSEARCH_INDEX_PREFIX}-site-",
        "TIMEOUT": ELASTICSEARCH_TIMEOUT,
        "COMPATIBILITY_HEADERS": ELASTICSEARCH_COMPATIBILITY_HEADERS,
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Rate limits per client address (lookup.ratelimit), "requests/seconds"; empty turns
# a bucket's limit off. nginx limits the same addresses when it is in front.
RATELIMITS = {
    "lookup": os.environ.get("RATELIMIT_LOOKUP", "300/60"),
    "trace": os.environ.get("RATELIMIT_TRACE", "300/60"),
    "api": os.environ.get("RATELIMIT_API", "600/60"),
    "autocomplete": os.environ.get("RATELIMIT_AUTOCOMPLETE", "600/60"),
    "api_write": os.environ.get("RATELIMIT_API_WRITE", "120/60"),
    "report": os.environ.get("RATELIMIT_REPORT", "10/3600"),
}

# Security (docs/security.md): django-axes locks out repeated login failures, per
# address and per user name separately; its backend must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "security.audit.client_ip"
AXES_ENABLE_ADMIN = False
# The client's address: REMOTE_ADDR, or with TRUST_X_FORWARDED_FOR the last hop of
# X-Forwarded-For, the one nginx (site/nginx.conf) sets.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR")
# A signed-in session ends after this much idleness (background polling of the
# admin does not count as activity) and at the latest after SESSION_COOKIE_AGE.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "30")) * 60
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_MAX_AGE_HOURS", "12")) * 60 * 60
# Audit events older than this may be purged (purge_audit_log); never under 183 days.
AUDIT_LOG_RETENTION_DAYS = int(os.environ.get("AUDIT_LOG_RETENTION_DAYS", "365"))
# The issuer shown in authenticator apps next to the user name.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "greencert")
# The second factor is compulsory for superusers and these roles (security.roles): a
# member without a device is sent to set one up before any other admin page.
SECOND_FACTOR_REQUIRED_ROLES = env_list(
    "SECOND_FACTOR_REQUIRED_ROLES",
    "Administrators,Registry editors,Market supervision editors,Certification body staff",
)
SECOND_FACTOR_REQUIRED_FOR_SUPERUSERS = env_bool("SECOND_FACTOR_REQUIRED_FOR_SUPERUSERS", True)

# Content Security Policy of every page Django renders (security.headers): nothing
# from other sites, no inline script or style without the response's nonce
# (nonce="{{ request.csp_nonce }}"), no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin (/admin/) replaces these directives: its own scripts and styles
# are inline, and its live preview frames the previewed page from the same site.
CONTENT_SECURITY_POLICY_ADMIN = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "frame-src": [SELF],
    "frame-ancestors": [SELF],
}
# A page shown in the admin's preview keeps its policy but may be framed by the admin.
CONTENT_SECURITY_POLICY_PREVIEW = {"frame-ancestors": [SELF]}
# More sources for single pages, by URL name: the code scanner's QR decoder is
# WebAssembly.
CONTENT_SECURITY_POLICY_UPDATES = {"lookup-code": {"script-src": [WASM_UNSAFE_EVAL]}}
# Browser features no page uses; the code scanner alone may use the camera.
PERMISSIONS_POLICY = {
    feature: [] for feature in ("camera", "microphone", "geolocation", "payment", "usb", "bluetooth", "serial", "hid")
}
PERMISSIONS_POLICY_UPDATES = {"lookup-code": {"camera": ["self"]}}

# Internationalisation: Chinese first, English second, both with URL prefixes.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Browser libraries installed by npm from frontend/package.json (./dev.sh runs
# `npm ci`; the image has a node stage): only the files the site serves.
FRONTEND_NODE_MODULES = BASE_DIR / "frontend" / "node_modules"
STATICFILES_DIRS = [
    ("vendor/barcode-detector", FRONTEND_NODE_MODULES / "barcode-detector" / "dist" / "iife"),
    ("vendor/zxing-wasm", FRONTEND_NODE_MODULES / "zxing-wasm" / "dist" / "reader"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

# Seconds before a mail server that does not answer is given up (concern reports
# mail the editors while the reader waits).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest uploads; client_max_body_size in site/nginx.conf sits a little above them.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024

WAGTAIL_SITE_NAME = _("China Green Product Certification")
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SITE_URL = WAGTAILADMIN_BASE_URL
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv", "txt", "zip"]
WAGTAILDOCS_DOCUMENT_MODEL = "cms.SiteDocument"
WAGTAILSEARCH_HITS_MAX_AGE = 14
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars are uploaded or Wagtail's default: no user's e-mail hash goes to another
# site, and the admin's policy loads no image from elsewhere.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}

# django-pwa: its manifest and offline views are mounted under each language prefix
# (frontend/urls.py), so the lazily translated names below and the start address,
# a URL name django-pwa resolves when it renders, follow the manifest's language.
# frontend/templates/manifest.json extends django-pwa's template; icons are static
# paths, drawn by `manage.py make_pwa_icons`. The service worker comes from
# frontend.views, which adds the app shell and its version to this file.
PWA_APP_NAME = _("Green Product Certificate Lookup")
PWA_APP_DESCRIPTION = _("Check green product certificates and the trace codes on product labels.")
PWA_APP_THEME_COLOR = "#0b6b3a"
PWA_APP_BACKGROUND_COLOR = "#ffffff"
PWA_APP_DISPLAY = "standalone"
PWA_APP_START_URL = "lookup-home"
PWA_APP_SCOPE = "/"
PWA_APP_DEBUG_MODE = False
PWA_APP_ICONS = [
    {"src": "icons/icon-192.png", "sizes": "192x192", "purpose": "any"},
    {"src": "icons/icon-512.png", "sizes": "512x512", "purpose": "any"},
    {"src": "icons/maskable-192.png", "sizes": "192x192", "purpose": "maskable"},
    {"src": "icons/maskable-512.png", "sizes": "512x512", "purpose": "maskable"},
]
PWA_APP_ICONS_APPLE = [{"src": "icons/apple-touch-icon.png", "sizes": "180x180"}]
PWA_SERVICE_WORKER_PATH = BASE_DIR / "frontend" / "serviceworker.js"
