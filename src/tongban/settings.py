"""Settings, read from the environment with safe defaults for the embedded run.

``DATABASE_URL`` selects PostgreSQL (``postgres://user:pass@host/db``); without it
the platform uses SQLite under the data directory (``TONGBAN_DATA_DIR``,
default ``./var``). ``TONGBAN_PRODUCTION=1`` refuses the default secret key.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("TONGBAN_DATA_DIR", "var")).resolve()

DEFAULT_SECRET_KEY = "tongban-embedded-default-not-for-production"  # noqa: S105
SECRET_KEY = os.environ.get("TONGBAN_SECRET_KEY", DEFAULT_SECRET_KEY)
# older keys still accepted for sessions and signed values while a new key takes over
SECRET_KEY_FALLBACKS = [
    k.strip() for k in os.environ.get("TONGBAN_SECRET_KEY_FALLBACKS", "").split(",") if k.strip()
]
PRODUCTION = os.environ.get("TONGBAN_PRODUCTION", "") in {"1", "true", "yes"}
DEBUG = os.environ.get("TONGBAN_DEBUG", "" if PRODUCTION else "1") in {"1", "true", "yes"}
if PRODUCTION and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "TONGBAN_PRODUCTION is set but TONGBAN_SECRET_KEY is the default; set a secret key."
    )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("TONGBAN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("TONGBAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "auditlog",
    "tongban.core",
    "tongban.skills",
    "tongban.governance",
    "tongban.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tongban.web.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "tongban.urls"
WSGI_APPLICATION = "tongban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tongban.web.context.navigation",
            ],
        },
    }
]

# SQLite through a thin backend that queues writers on a lock file (core/db/sqlite3)
SQLITE_ENGINE = "tongban.core.db.sqlite3"
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["ENGINE"] = SQLITE_ENGINE
    elif os.environ.get("TONGBAN_PG_PREPARED_STATEMENTS", "1") == "1":
        # lets the busiest lookups run as server-side prepared statements (planned once per
        # connection); set to 0 behind a transaction-pooling proxy such as PgBouncer
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
        if os.environ.get("TONGBAN_PG_SERVER_SIDE_BINDING", "0") == "1":
            DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": SQLITE_ENGINE,
            "NAME": str(DATA_DIR / "tongban.sqlite3"),
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION

# Accounts and transport security (docs/security.md)
AUTHENTICATION_BACKENDS = ["tongban.core.lockout.LockoutBackend"]
TONGBAN_LOGIN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("TONGBAN_LOGIN_MAX_FAILURES", "5"))
TONGBAN_LOGIN_MAX_FAILURES_PER_CLIENT = int(
    os.environ.get("TONGBAN_LOGIN_MAX_FAILURES_PER_CLIENT", "20")
)
TONGBAN_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("TONGBAN_LOGIN_LOCKOUT_SECONDS", "900"))
# Per-client limits on the public endpoints (core/ratelimit.py, docs/security.md): requests
# allowed per client address and window, counted across every server process; 0 = no limit
# Bulk import: worker processes that validate a large file's chunks ahead of the writing
# (0: validate in the importing process), and the file size from which they are used
TONGBAN_IMPORT_WORKERS = int(
    os.environ.get("TONGBAN_IMPORT_WORKERS", str(min(os.cpu_count() or 1, 4)))
)
TONGBAN_IMPORT_WORKERS_FROM_BYTES = int(
    os.environ.get("TONGBAN_IMPORT_WORKERS_FROM_BYTES", str(1_000_000))
)
TONGBAN_VERIFY_PER_MINUTE = int(os.environ.get("TONGBAN_VERIFY_PER_MINUTE", "30"))
TONGBAN_OPEN311_READ_LIMIT = int(os.environ.get("TONGBAN_OPEN311_READ_LIMIT", "120"))
TONGBAN_OPEN311_READ_WINDOW_SECONDS = int(
    os.environ.get("TONGBAN_OPEN311_READ_WINDOW_SECONDS", "60")
)
TONGBAN_STATUS_PAGE_LIMIT = int(os.environ.get("TONGBAN_STATUS_PAGE_LIMIT", "60"))
TONGBAN_STATUS_PAGE_WINDOW_SECONDS = int(os.environ.get("TONGBAN_STATUS_PAGE_WINDOW_SECONDS", "60"))
SESSION_COOKIE_AGE = int(float(os.environ.get("TONGBAN_SESSION_HOURS", "8")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True  # pages carry the token (forms, htmx headers); scripts never read it
SECURE_SSL_REDIRECT = PRODUCTION and os.environ.get("TONGBAN_SSL_REDIRECT", "1") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("TONGBAN_HSTS_SECONDS", "31536000")) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
TONGBAN_BEHIND_PROXY = os.environ.get("TONGBAN_BEHIND_PROXY", "") in {"1", "true", "yes"}
if TONGBAN_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
TONGBAN_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "tongban.core.api.parsers.JSONObjectParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "tongban.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "tongban.core.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "tongban API",
    "DESCRIPTION": "通办 — 技能人才与基层治理平台接口",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CentreLevelEnum": "tongban.governance.models.mediation.CentreLevel",
        "WarningLevelEnum": "tongban.governance.models.warning.Level",
    },
}

if os.environ.get("TONGBAN_FAST_PASSWORD_HASHER"):  # test runs only
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Governance: 通报 after this many working days overdue, escalation after that many;
# largest accepted photo.
TONGBAN_OVERDUE_NOTICE_DAYS = int(os.environ.get("TONGBAN_OVERDUE_NOTICE_DAYS", "5"))
TONGBAN_OVERDUE_ESCALATE_DAYS = int(os.environ.get("TONGBAN_OVERDUE_ESCALATE_DAYS", "10"))
TONGBAN_PHOTO_MAX_BYTES = int(os.environ.get("TONGBAN_PHOTO_MAX_BYTES", str(5 * 1024 * 1024)))
# wage prices: cells with fewer reports are not published; pay outside the bounds is refused
TONGBAN_WAGE_MIN_REPORTS = int(os.environ.get("TONGBAN_WAGE_MIN_REPORTS", "5"))
TONGBAN_WAGE_MIN_ANNUAL = int(os.environ.get("TONGBAN_WAGE_MIN_ANNUAL", "1200"))
TONGBAN_WAGE_MAX_ANNUAL = int(os.environ.get("TONGBAN_WAGE_MAX_ANNUAL", "5000000"))

AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TONGBAN_LOG_LEVEL", "WARNING")},
}
