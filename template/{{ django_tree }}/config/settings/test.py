"""Settings for the test suite (pytest-django): no .env, fast, and a throw-away database.

pytest-django creates the test database next to the one DATABASE_URL names (test_<name>),
migrates it and drops it afterwards; without DATABASE_URL the tests run on in-memory SQLite.
"""

from .base import *  # noqa: F403
from .base import STORAGES, database_settings, env

SECRET_KEY = "test-only-secret-key"

DATABASES = {"default": database_settings(env.str("DATABASE_URL", default="sqlite://:memory:"))}

# Hashing passwords slowly is the point in production and a waste of time in tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Nothing is collected for the tests: pages name static files without the hashes of a
# collectstatic run, and WhiteNoise finds files per request instead of in STATIC_ROOT.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
