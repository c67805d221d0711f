"""Headway's one settings module: every knob comes from the environment.

See docs/configuration.md for each variable, its default and its meaning.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from headway.lib.env import envbool, envchoice, envint, envlist, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

ENV = envchoice("HEADWAY_ENV", "development", ["development", "production"])
PRODUCTION = ENV == "production"
DEBUG = envbool("HEADWAY_DEBUG", False)
DATA_DIR = Path(envstr("HEADWAY_DATA_DIR", str(BASE_DIR / "var"))).resolve()
PORT = envint("HEADWAY_PORT", 8000, minimum=1, maximum=65535)
SITE_URL = envstr("HEADWAY_SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")

_DEV_SECRET = "dev-only-secret-key-change-me-in-production-0123456789abcdefghij"
SECRET_KEY = envsecret("HEADWAY_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "HEADWAY_SECRET_KEY (or HEADWAY_SECRET_KEY_FILE) must be set when HEADWAY_ENV=production."
    )
ALLOWED_HOSTS = envlist("HEADWAY_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "HEADWAY_ALLOWED_HOSTS must list this site's host names in production."
    )
CSRF_TRUSTED_ORIGINS = envlist("HEADWAY_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "headway.accounts",
    "headway.audit",
    "headway.orgs",
    "headway.ops",
    "headway.data",
    "headway.explore",
    "headway.teams",
    "headway.plans",
    "headway.monitor",
]

MIDDLEWARE = [
    "headway.ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "headway.ops.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "headway.urls"
WSGI_APPLICATION = "headway.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "headway.accounts.context_processors.session",
                "headway.orgs.context_processors.navigation",
            ],
        },
    },
]

# Database: an embedded SQLite file by default, PostgreSQL when HEADWAY_DB=postgres.
DB_ENGINE = envchoice("HEADWAY_DB", "sqlite", ["sqlite", "postgres"])
if DB_ENGINE == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": envstr("HEADWAY_DB_NAME", "headway"),
            "USER": envstr("HEADWAY_DB_USER", "headway"),
            "PASSWORD": envsecret("HEADWAY_DB_PASSWORD", ""),
            "HOST": envstr("HEADWAY_DB_HOST", "127.0.0.1"),
            "PORT": envint("HEADWAY_DB_PORT", 5432, minimum=1, maximum=65535),
            "CONN_MAX_AGE": envint("HEADWAY_DB_CONN_MAX_AGE", 60, minimum=0),
            "CONN_HEALTH_CHECKS": True,
        }
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "headway.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts-login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts-login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVITATION_DAYS = envint("HEADWAY_INVITATION_DAYS", 14, minimum=1, maximum=90)

# Sessions end after a period without activity; the page warns before that.
SESSION_IDLE_HOURS = envint("HEADWAY_SESSION_IDLE_HOURS", 8, minimum=1, maximum=24)
SESSION_COOKIE_AGE = SESSION_IDLE_HOURS * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_WARNING_SECONDS = envint("HEADWAY_SESSION_WARNING_SECONDS", 300, minimum=30)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Email: printed to the console unless an SMTP host is configured.
SMTP_HOST = envstr("HEADWAY_EMAIL_HOST", "")
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": envint("HEADWAY_EMAIL_PORT", 587, minimum=1, maximum=65535),
                "username": envstr("HEADWAY_EMAIL_USER", ""),
                "password": envsecret("HEADWAY_EMAIL_PASSWORD", ""),
                "use_tls": envbool("HEADWAY_EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = envstr("HEADWAY_EMAIL_FROM", "Headway <headway@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django tasks stored in the database and run by the worker.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if envchoice("HEADWAY_TASKS", "database", ["database", "immediate"]) == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
UPLOAD_MAX_MB = envint("HEADWAY_UPLOAD_MAX_MB", 1024, minimum=1)
UPLOAD_RETENTION_DAYS = envint("HEADWAY_UPLOAD_RETENTION_DAYS", 30, minimum=1)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WORKER_STALE_SECONDS = envint("HEADWAY_WORKER_STALE_SECONDS", 90, minimum=10)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envstr("HEADWAY_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"

# Security headers. frame-ancestors 'none' replaces framing by any other site.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("HEADWAY_SSL_REDIRECT", True)
    if envbool("HEADWAY_BEHIND_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("HEADWAY_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOG_LEVEL = envchoice("HEADWAY_LOG_LEVEL", "info", ["debug", "info", "warning", "error"]).upper()
LOG_FORMAT = envchoice("HEADWAY_LOG_FORMAT", "json" if PRODUCTION else "text", ["json", "text"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "headway.lib.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},  # its progress lines say nothing to an operator
        "fontTools": {"level": "WARNING"},
    },
}
