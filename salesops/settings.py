"""Settings for salesops: one module, every knob read from the environment.

Two modes:
- demo/development (``SALESOPS_DEMO=1`` or ``DEBUG=1``): an embedded SQLite
  file under ``var/``, a generated secret, plain-HTTP cookies.
- production (the default): ``SECRET_KEY`` is required, DEBUG is off, cookies
  are Secure and HSTS is sent.

A bad ``DATABASE_URL`` or a missing ``SECRET_KEY`` in production stops start-up
with one sentence (``ImproperlyConfigured``), see ``salesops.cli``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEMO = env_bool("SALESOPS_DEMO")
TESTING = env_bool("SALESOPS_TESTING")
DEBUG = env_bool("DEBUG", default=DEMO)
PRODUCTION = not (DEBUG or DEMO or TESTING)

DATA_DIR = Path(os.environ.get("SALESOPS_DATA_DIR", PROJECT_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: production needs a long random SECRET_KEY in the environment "
            "(or run the demo with SALESOPS_DEMO=1)."
        )
    SECRET_KEY = "insecure-demo-key-only-for-local-use-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not PRODUCTION else "")
if not PRODUCTION:
    ALLOWED_HOSTS += ["testserver", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "salesops.core.admin.SalesopsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "salesops.core",
    "salesops.org",
    "salesops.workflow",
    "salesops.customers",
    "salesops.catalog",
    "salesops.expenses",
    "salesops.deals",
    "salesops.fulfilment",
    "salesops.receivables",
    "salesops.compliance",
    "salesops.demo",  # the demo company and ``load_demo``: the top layer, it may import every app
]
if TESTING:
    # The kernel's own test-only document type (workflow/tests/kitapp): its tests stand on their own.
    INSTALLED_APPS.append("salesops.workflow.tests.kitapp.apps.KitAppConfig")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "salesops.core.middleware.RequestIdMiddleware",
    "salesops.core.middleware.ApiErrorShapeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "salesops.core.middleware.CompanyLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "salesops.org.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "salesops.core.textguard.ControlCharacterMiddleware",
    "salesops.core.policy.PolicyMiddleware",
    "salesops.core.middleware.ApplicationErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "salesops.urls"
WSGI_APPLICATION = "salesops.wsgi.application"

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
                "csp.context_processors.nonce",
                "salesops.navigation.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL selects PostgreSQL; the embedded default is SQLite.
DEFAULT_SQLITE = f"sqlite:///{DATA_DIR / 'salesops.sqlite3'}"
_database_url = os.environ.get("DATABASE_URL") or DEFAULT_SQLITE
try:
    _db = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
except Exception as exc:  # dj-database-url raises several kinds for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL ({exc}).") from exc
if not _db.get("ENGINE"):
    raise ImproperlyConfigured("DATABASE_URL names an unknown database scheme; use sqlite:// or postgres://.")
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a writer takes the write lock at BEGIN, so numbering and
    # stock updates serialise instead of failing with "database is locked".
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    if _db["NAME"] not in ("", ":memory:"):
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif "postgresql" not in _db["ENGINE"]:
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL.")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend plus the per-account limit across addresses (org.lockout); sessions signed in
    # under the plain ModelBackend before it came end once.
    "salesops.org.lockout.AccountLockBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
if TESTING:
    # Hashing speed only; the order of real hashers above is what production uses.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "salesops.org.validators.MaximumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workflow:my-tasks"
LOGOUT_REDIRECT_URL = "login"

# Lockout (django-axes): username + IP, five failures, one hour cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Proxies in front that append to X-Forwarded-For; the client's address is read through them.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "salesops.org.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "salesops.org.lockout.lockout_response"
AXES_VERBOSE = False
# Every lock is logged with the username and the address (issue 7, item 8); the password stays masked.
AXES_SENSITIVE_PARAMETERS: list[str] = []
# Per account, from any address: a short lock after ACCOUNT_LOCK_FAILURES failures within
# ACCOUNT_LOCK_MINUTES (it ends when the oldest of them is that old; an admin can lift it sooner).
ACCOUNT_LOCK_FAILURES = int(os.environ.get("ACCOUNT_LOCK_FAILURES", "10"))
ACCOUNT_LOCK_MINUTES = int(os.environ.get("ACCOUNT_LOCK_MINUTES", "15"))
# An address the user logged in from within this many days is spared the per-account lock.
KNOWN_ADDRESS_DAYS = int(os.environ.get("KNOWN_ADDRESS_DAYS", "30"))

# API tokens expire this many days after issue; a password change revokes them at once.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))

# Sessions: 30 minutes idle, 12 hours absolute (see SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if env_bool("BEHIND_TLS_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS = ["security.W021"] if not SECURE_HSTS_PRELOAD else []

# Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production WhiteNoise serves straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files live outside the web root and are served by an authorising view.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/files/"
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# An .xlsx is a zip: refuse one that inflates past this (zip bombs).
XLSX_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("XLSX_MAX_UNCOMPRESSED_BYTES", str(60 * 1024 * 1024)))

# Jobs: Huey on SQLite by default, on Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "salesops", "url": REDIS_URL, "immediate": TESTING}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "salesops",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": TESTING,
    }
if not TESTING:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
# Background jobs, imports and exports (core.services): a running job silent this long is failed
# by the sweep (its worker is gone); a job whose task was queued this long ago and has not started
# is queued again (its task was lost). The IMPORT_JOB_* names are read too (the first release's).
JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", os.environ.get("IMPORT_JOB_STALE_SECONDS", "300")))
JOB_REQUEUE_SECONDS = int(os.environ.get("JOB_REQUEUE_SECONDS", os.environ.get("IMPORT_JOB_REQUEUE_SECONDS", "600")))
# An export of more rows than this runs as a background job; its file is kept this long, then removed.
EXPORT_INLINE_ROWS = int(os.environ.get("EXPORT_INLINE_ROWS", "2000"))
EXPORT_JOB_KEEP_SECONDS = int(os.environ.get("EXPORT_JOB_KEEP_SECONDS", str(24 * 3600)))

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "salesops": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "salesops.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}

PAGE_TITLE = _("Sales operations")
