"""Settings per environment: local (development), test and production, all built on base.

ENVIRONMENT (production, development or test) picks the module, as it picks the behaviour in
every stackpick starter; DJANGO_SETTINGS_MODULE, when set, wins. The server entry points
(config/wsgi.py, config/asgi.py, `python -m <package>`) default to production, so a server
started without either variable never shows Django's debug pages; manage.py defaults to
development.
"""

import os
from collections.abc import Mapping

MODULES = {
    "production": "config.settings.production",
    "development": "config.settings.local",
    "test": "config.settings.test",
}


def settings_module(environ: Mapping[str, str], default: str) -> str:
    """DJANGO_SETTINGS_MODULE if set, else the module for ENVIRONMENT, else for `default`."""
    if explicit := environ.get("DJANGO_SETTINGS_MODULE", "").strip():
        return explicit
    environment = environ.get("ENVIRONMENT", "").strip().lower() or default
    if environment not in MODULES:
        # Not ImproperlyConfigured: this runs before Django is imported.
        raise ValueError(f"ENVIRONMENT must be one of {', '.join(MODULES)}, got {environment!r}")
    return MODULES[environment]


def select_settings(default: str) -> None:
    """Point Django at the settings module for this process's environment (see above)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module(os.environ, default)
