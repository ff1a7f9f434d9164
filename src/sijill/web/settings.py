"""Django settings for the back office, read from the environment (see docs/backoffice.md).

SQLite in SIJILL_DATA_DIR (default ./var) unless DATABASE_URL=postgres://... is set.
Every variable is parsed strictly by sijill.web.environment: a bad value stops start-up.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from django.conf.locale import LANG_INFO

from sijill import i18n
from sijill.web import environment

_env = os.environ
BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = environment.data_dir(_env)

DEBUG = environment.flag(_env, "SIJILL_DEBUG", default=False)
SECRET_KEY = environment.secret_key(_env, DATA_DIR)
# Every other key is its own, so that rotating the secret key (sessions, CSRF) changes
# nothing else (docs/backoffice.md, "Keys"): the audit log's pseudonyms, its hash chain
# (oldest key first, new entries use the last) and the citizens' look-up hashes.
AUDIT_KEY = environment.audit_key(_env, DATA_DIR, SECRET_KEY)
AUDIT_CHAIN_KEYS = environment.chain_keys(_env, DATA_DIR)
LOOKUP_KEY = environment.lookup_key(_env, DATA_DIR, SECRET_KEY)
ALLOWED_HOSTS = environment.host_list(_env, "SIJILL_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = environment.host_list(_env, "SIJILL_CSRF_TRUSTED_ORIGINS", [])

# A connection lasts one request and is closed when the request ends (CONN_MAX_AGE 0).
# A persistent connection belongs to the thread that opened it: an ASGI server runs each
# request in a thread of its own, as do WSGI servers that start a thread per request, so
# every connection kept stayed open in a finished thread until garbage collection, and
# under load PostgreSQL refused new clients. SIJILL_DB_CONN_MAX_AGE (seconds) keeps them
# again, for WSGI servers whose threads serve many requests (gunicorn's sync or gthread
# workers); never behind ASGI.
DATABASES = {
    "default": {
        **environment.database(_env, DATA_DIR),
        "CONN_MAX_AGE": environment.count(_env, "SIJILL_DB_CONN_MAX_AGE", 0),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_prometheus",
    "sijill.audit",
    "sijill.territories",
    "sijill.accounts",
    "sijill.registry",
    "sijill.intake",
    "sijill.api",
    "sijill.documents",
    "sijill.runs",
    "sijill.dashboards",
    "sijill.worklists",
    "sijill.linkreview",
    "sijill.demand",
    "sijill.operations",
]

MIDDLEWARE = [
    # Prometheus counts every request and its latency (the two halves wrap all the others).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "sijill.web.logs.RequestLog",  # one line per request: its route, never its path
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # CONTENT_SECURITY_POLICY, below
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, also without DEBUG
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    "axes.middleware.AxesMiddleware",  # last: a refused login becomes the lockout page
]

ROOT_URLCONF = "sijill.web.urls"
WSGI_APPLICATION = "sijill.web.wsgi.application"
ASGI_APPLICATION = "sijill.web.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sijill.web.navigation.menu",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "intake:home"  # by role: the counter, the queue or the dashboard
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The languages are the catalogues found (sijill.i18n): adding one is adding a catalogue.
# Arabic first, the language of the counters. LANGUAGE_BIDI comes from each catalogue's
# direction, so templates get dir="rtl" for Arabic and dir="ltr" for French.
LANGUAGE_CODE = i18n.DEFAULT
LANGUAGES = [(lang.code, lang.name) for lang in i18n.languages(_env)]
LANGUAGES_BIDI = [lang.code for lang in i18n.languages(_env) if lang.bidi]
LOCALE_PATHS = [str(folder) for folder in i18n.folders(_env)]
for _lang in i18n.languages(_env):
    LANG_INFO.setdefault(
        _lang.code,
        {"bidi": _lang.bidi, "code": _lang.code, "name": _lang.name, "name_local": _lang.name},
    )
USE_I18N = True
# Dates as Moroccan administration writes them (sijill/web/formats): in Arabic, day month
# year with Morocco's month names, never Django's US date-and-time defaults.
FORMAT_MODULE_PATH = ["sijill.web.formats"]
# Terminals rarely render right-to-left text well: the CLI speaks French unless told.
SIJILL_CLI_LANGUAGE = environment.choice(_env, "SIJILL_CLI_LANGUAGE", tuple(i18n.codes(_env)), "fr")
# The registers' timestamps are Moroccan local time; they are stored as instants.
TIME_ZONE = "Africa/Casablanca"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Served straight from the source folders: no collectstatic step before `sijill serve`.
WHITENOISE_USE_FINDERS = True
# STATIC_ROOT exists only after `collectstatic`; until then WhiteNoise need not say so.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_AGE = 8 * 3600  # one working day at the counter
# Sessions are read from the shared cache, written through to the database: with Redis, a
# page no longer waits for the session's row (a disabled user is still refused: the user's
# row is read at each request).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Content-Security-Policy (django-csp): our own scripts, styles and images only, no inline
# script or style (templates load static files; htmx is vendored and told not to inject
# its style), never framed. The API's documentation (Swagger UI, served from static) draws
# its icons from data: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"  # for browsers older than frame-ancestors
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS only, once the site is served over HTTPS: SIJILL_HSTS_SECONDS > 0 sends
# Strict-Transport-Security (this host only: the ministry's other hosts are not ours to
# pin) and redirects plain HTTP to HTTPS. Behind a reverse proxy (SIJILL_PROXIES > 0) the
# request's scheme is the proxy's X-Forwarded-Proto, which the proxy must set.
SECURE_HSTS_SECONDS = environment.count(_env, "SIJILL_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SECURE_SSL_REDIRECT = SECURE_HSTS_SECONDS > 0
# Probes and scrapers ask the server itself over plain HTTP, behind the proxy's TLS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
if SECURE_HSTS_SECONDS > 0 and environment.count(_env, "SIJILL_PROXIES", 0) > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Uploaded extracts (runs on uploaded extracts): at most SIJILL_UPLOAD_MAX_MB megabytes for
# the four files together, refused with 413 before they are read; written owner-only under
# DATA_DIR/runs/ and removed once the run is over (sijill.runs).
SIJILL_UPLOAD_MAX_BYTES = environment.positive_int(_env, "SIJILL_UPLOAD_MAX_MB", 100) * 2**20
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Rate limits (per client address): the public status look-up and failed logins.
SIJILL_STATUS_RATE = f"{environment.positive_int(_env, 'SIJILL_STATUS_PER_MINUTE', 10)}/m"
SIJILL_LOGIN_FAILURES = environment.positive_int(_env, "SIJILL_LOGIN_FAILURES", 5)
SIJILL_LOGIN_WINDOW = 15 * 60
# Reverse proxies in front of the server: the client address is taken this many hops back
# in X-Forwarded-For (0: REMOTE_ADDR, the only safe value without a proxy).
NINJA_NUM_PROXIES = environment.count(_env, "SIJILL_PROXIES", 0)

# Logins, counted by django-axes (sijill.accounts.throttle, docs/backoffice.md): each try is
# counted before its password is checked, per normalized user name *and* client address, so
# nobody is locked out by another's tries; SIJILL_LOGIN_FAILURES tries, then refused until
# SIJILL_LOGIN_WINDOW has passed since the last counted one. API tokens are not concerned.
AUTHENTICATION_BACKENDS = [
    "sijill.accounts.throttle.CountingBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "sijill.accounts.throttle.CountedTries"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = SIJILL_LOGIN_FAILURES
AXES_COOLOFF_TIME = SIJILL_LOGIN_WINDOW / 3600  # hours
AXES_USERNAME_CALLABLE = "sijill.accounts.throttle.username"
AXES_CLIENT_IP_CALLABLE = "sijill.accounts.throttle.address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/too_many.html"
AXES_DISABLE_ACCESS_LOG = True  # logins are not logged for ever, with their addresses
AXES_VERBOSE = False
# API tokens stop working this many days after they were issued (sijill token issue).
SIJILL_TOKEN_DAYS = environment.days(_env, "SIJILL_TOKEN_DAYS", 90)

# One cache for every server process (rate limits, throttles): a table of the database, or
# Redis when SIJILL_REDIS_URL is set (docs/deploy.md). Never per process.
# Beside it, each process keeps the dashboard tiles it rendered (sijill.dashboards.rendered):
# they are keyed by what they show, a finished run's rows, so no process can hold a stale
# one, and sharing them would cost a round trip per page. About 2,000 tiles, 20 MB at most.
CACHES = {
    "default": environment.cache(_env),
    "tiles": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sijill-tiles",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# Structured logs: one JSON object a line on standard error, no identifier in clear
# (sijill.web.logs); SIJILL_LOG_FORMAT=plain for a terminal.
LOGGING = environment.logging_config(_env)

# Background work (runs, imports, exports, batch files): Django's Tasks API on the
# database (django-tasks-db), run by `sijill worker`; no broker (docs/deploy.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# E-mail (the daily notices): SMTP when SIJILL_SMTP_HOST is set, else files in DATA_DIR/mail.
globals().update(environment.email(_env, DATA_DIR))

# /metrics (Prometheus): open to whoever reaches it unless SIJILL_METRICS_TOKEN is set, then
# only with `Authorization: Bearer <token>`. Keep it off the reverse proxy either way.
SIJILL_METRICS_TOKEN = environment.optional_secret(_env, "SIJILL_METRICS_TOKEN")
