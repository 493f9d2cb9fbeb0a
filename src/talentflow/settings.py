"""Settings, read from the environment.

Every knob a deployment turns is an environment variable (see README, "Configuration"):
``DATABASE_URL``, ``SECRET_KEY``, ``DEBUG``, ``ALLOWED_HOSTS``, ``TALENTFLOW_DATA_DIR``,
``TALENTFLOW_TLS`` and the field-encryption keys. With none set, the platform runs on SQLite
under ``./var`` and keeps its generated secrets there, so a fresh checkout works at once.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from talentflow.core.secrets import FileSecrets


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("TALENTFLOW_DATA_DIR", "var")).resolve()

DEBUG = env_bool("DEBUG", False)
# Plain HTTP is only for the local demo and development; a deployment terminates TLS at a
# reverse proxy, so the secure-cookie and redirect settings below are on unless told otherwise.
TLS = env_bool("TALENTFLOW_TLS", not DEBUG)

_secrets = FileSecrets(DATA_DIR)
SECRET_KEY = os.environ.get("SECRET_KEY") or _secrets.get("secret_key", FileSecrets.django_key)
# Identity numbers are encrypted with MultiFernet: the first key encrypts, all keys decrypt,
# so a key can be rotated by prepending a new one. The lookup key makes the keyed digest used
# to find duplicates without decrypting; it must never change once data exists.
FIELD_ENCRYPTION_KEYS = env_list("TALENTFLOW_FIELD_KEYS") or [
    _secrets.get("field_key", FileSecrets.fernet_key)
]
FIELD_LOOKUP_KEY = os.environ.get("TALENTFLOW_LOOKUP_KEY") or _secrets.get(
    "lookup_key", FileSecrets.django_key
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Installed so ninja serves Swagger UI's files from our static files, not from a CDN.
    "ninja",
    "axes",
    "talentflow.core",
    "talentflow.reference",
    "talentflow.accounts",
    "talentflow.directory",
    "talentflow.needs",
    "talentflow.matching",
    "talentflow.rules",
    "talentflow.points",
    "talentflow.evaluation",
    "talentflow.programmes",
    "talentflow.recognition",
    "talentflow.calls",
    "talentflow.credentials",
    "talentflow.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "talentflow.core.middleware.RequestContextMiddleware",
    # Axes must come last: it inspects the response of the login views.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "talentflow.urls"
WSGI_APPLICATION = "talentflow.wsgi.application"
ASGI_APPLICATION = "talentflow.asgi.application"

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
                "talentflow.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'talentflow.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer of another server process; IMMEDIATE makes a
    # write transaction take its lock at BEGIN instead of failing half-way with "locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username/address pair before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "talentflow.accounts.passwords.CharacterClassValidator"},
]

# Login lockout: five failures for one username from one address lock that pair for 15 minutes.
# Locking the username alone would let anyone lock an officer out from anywhere.
AXES_FAILURE_LIMIT = int(os.environ.get("TALENTFLOW_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("TALENTFLOW_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Session timeout: an idle session ends after 30 minutes; each request renews it.
SESSION_COOKIE_AGE = int(os.environ.get("TALENTFLOW_SESSION_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "zh-hans"
# The switcher names each language in itself; the catalogue keeps "English" as English.
LANGUAGES = [("zh-hans", "简体中文"), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded import sheets are read in memory up to this size; larger ones go to a temp file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
TALENTFLOW_IMPORT_MAX_BYTES = 20 * 1024 * 1024
# An import is one transaction through the services (~200-400 rows/s on SQLite, see
# bench/bench_import.py), so 10,000 rows finish well inside the server's 120 s request timeout.
TALENTFLOW_IMPORT_MAX_ROWS = int(os.environ.get("TALENTFLOW_IMPORT_MAX_ROWS", "10000"))

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "TalentFlow <noreply@localhost>")

TALENTFLOW_PAGE_SIZE = 25
# Where the platform is reached, for links in e-mails.
TALENTFLOW_BASE_URL = os.environ.get("TALENTFLOW_BASE_URL", "http://127.0.0.1:8000")
# Uploaded documents (need attachments, verification and outcome evidence).
TALENTFLOW_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
TALENTFLOW_DOCUMENT_TYPES = (
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".txt",
    ".csv",
    ".png",
    ".jpg",
    ".jpeg",
    ".zip",
)
# Stage deadlines of the need lifecycle, in days (a proposals deadline is set per need).
TALENTFLOW_NEED_DAYS = {"assist": 7, "revise": 14, "verify": 14, "value": 180}
# The version of the confidentiality terms a solver accepts to read a need's details.
TALENTFLOW_CONFIDENTIALITY_TERMS_VERSION = "2026-11"
# Matching (docs/decisions/0007-matching-index.md): the engagements an expert takes on at once
# unless their profile says otherwise; how far the change log may run ahead of a process before
# it rebuilds its engine instead of applying the changes; how long a missing log entry (a
# transaction not yet committed) is waited for; how long log rows are kept.
TALENTFLOW_MATCHING_DEFAULT_CAPACITY = int(os.environ.get("TALENTFLOW_MATCHING_CAPACITY", "3"))
TALENTFLOW_MATCHING_REBUILD_AFTER = 5000
TALENTFLOW_MATCHING_GAP_SECONDS = 3600
TALENTFLOW_MATCHING_LOG_HOURS = 48

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

TALENTFLOW_SITE_NAME = _("TalentFlow")

# Programmes (issue 6): how many appointments (科技副总, 产业教授, 合伙人, 互聘共享) one expert may
# hold at the same time — accepted, consented or in office.
TALENTFLOW_MAX_CONCURRENT_APPOINTMENTS = int(
    os.environ.get("TALENTFLOW_MAX_CONCURRENT_APPOINTMENTS", "3")
)

# The talent code (issue 7): how long a code shown on the talent's page stays valid, the
# alliance whose regions sign codes, how long a region key signs before rotation is due, and
# the secret of the pseudonymous talent ids (empty: derived from SECRET_KEY — set it before
# ever changing SECRET_KEY, or every id and revocation entry changes).
TALENTFLOW_CODE_SECONDS = int(os.environ.get("TALENTFLOW_CODE_SECONDS", "120"))
TALENTFLOW_CODE_ALLIANCE = os.environ.get("TALENTFLOW_CODE_ALLIANCE", "yrd-demo-zone")
TALENTFLOW_CODE_KEY_DAYS = int(os.environ.get("TALENTFLOW_CODE_KEY_DAYS", "730"))
TALENTFLOW_CODE_SID_SECRET = os.environ.get("TALENTFLOW_CODE_SID_SECRET", "")
