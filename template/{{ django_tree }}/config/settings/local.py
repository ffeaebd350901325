"""Development settings: DEBUG on, a SQLite file beside manage.py, and .env read first."""

from pathlib import Path

import environ

# .env holds development values (a random DJANGO_SECRET_KEY was generated into it). Read it
# before base.py reads the environment; variables already set in the shell win.
environ.Env.read_env(Path(__file__).resolve().parent.parent.parent / ".env")

from .base import *  # noqa: E402, F403
from .base import BASE_DIR, database_settings, env  # noqa: E402

DEBUG = True

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-development-only")

DATABASES = {
    "default": database_settings(
        env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'dev.sqlite3'}")
    ),
}
