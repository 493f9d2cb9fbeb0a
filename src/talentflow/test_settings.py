"""Settings for the test suite: the real settings with the slow or stateful parts swapped.

The database still comes from ``DATABASE_URL``, so the same suite runs on SQLite and PostgreSQL.
"""

from talentflow.settings import *  # noqa: F403
from talentflow.settings import DATABASES, STORAGES

# Hashing with the production hasher makes every login in the suite cost ~0.3 s.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Templates resolve {% static %} without a collectstatic manifest.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
# A fixed key keeps encrypted fixtures stable across runs; it is not a secret.
FIELD_ENCRYPTION_KEYS = ["Ykq2bQ1kQvJmH0zBZ3sQeQ4m6r8rHqvTSmJ0eZ3JY8I="]
FIELD_LOOKUP_KEY = "test-lookup-key-not-secret"
# The browser tests talk plain HTTP to the live server; secure cookies would never come back.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Tests never run collectstatic: serve from the apps' static folders, like runserver does.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Live-server request threads open their own connections; persistent ones would outlive the
# test and block PostgreSQL from dropping the test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0
