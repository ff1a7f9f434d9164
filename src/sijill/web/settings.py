"""Django settings for the back office, read from the environment (see docs/backoffice.md).

SQLite in SIJILL_DATA_DIR (default ./var) unless DATABASE_URL=postgres://... is set.
Every variable is parsed strictly by sijill.web.environment: a bad value stops start-up.
"""

from __future__ import annotations

import hashlib
import hmac
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
# Pseudonyms in the audit log use their own key, so that rotating the session key does not
# change what an audited identifier hashes to.
AUDIT_KEY = environment.audit_key(
    _env, hmac.new(SECRET_KEY.encode(), b"sijill audit pseudonyms", hashlib.sha256).hexdigest()
)
ALLOWED_HOSTS = environment.host_list(_env, "SIJILL_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = environment.host_list(_env, "SIJILL_CSRF_TRUSTED_ORIGINS", [])

DATABASES = {"default": environment.database(_env, DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, also without DEBUG
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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

# Rate limits (per client address): the public status look-up and failed logins.
SIJILL_STATUS_RATE = f"{environment.positive_int(_env, 'SIJILL_STATUS_PER_MINUTE', 10)}/m"
SIJILL_LOGIN_FAILURES = environment.positive_int(_env, "SIJILL_LOGIN_FAILURES", 5)
SIJILL_LOGIN_WINDOW = 15 * 60
# Reverse proxies in front of the server: the client address is taken this many hops back
# in X-Forwarded-For (0: REMOTE_ADDR, the only safe value without a proxy).
NINJA_NUM_PROXIES = environment.count(_env, "SIJILL_PROXIES", 0)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_query": {"()": "sijill.web.logs.WithoutQueryStrings"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["without_query"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
