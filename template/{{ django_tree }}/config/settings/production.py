"""Production settings: everything from the environment, secure by default.

Start-up stops with an error naming the variable when DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS
or DATABASE_URL is missing, or when the secret key is weak. `manage.py check --deploy` is clean.
"""

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import STATIC_ROOT, database_settings, env

# Checked together, so one failed start names every missing variable.
missing = [
    name
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL")
    if not env.str(name, default="").strip()
]
if missing:
    raise ImproperlyConfigured(
        f"Set these environment variables for production: {', '.join(missing)}"
    )

SECRET_KEY = env.str("DJANGO_SECRET_KEY")
# The rule `check --deploy` applies, enforced at start-up instead of on request.
if (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    or SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)
):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY must be a random value of at least {SECRET_KEY_MIN_LENGTH} characters"
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

DATABASES = {"default": database_settings(env.str("DATABASE_URL"))}

# HTTPS. TLS ends at the proxy in front, which must set X-Forwarded-Proto (and overwrite any
# value a client sent). Health probes are answered before the redirect (see health.py).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Browsers remember HSTS for a year: serve every subdomain over HTTPS before deploying.
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Static files are collected into the image at build time. A server started from a checkout
# without that step (`make serve`) serves them from the installed apps instead.
WHITENOISE_USE_FINDERS = not (STATIC_ROOT / "staticfiles.json").is_file()
