"""Validation of the questionnaire's free-text answers, exposed to Jinja as filters.

Each check returns an empty string when the answer is fine, or one sentence that
says what is allowed: Copier shows that sentence at the prompt and refuses the
answer (a Copier validator fails when it renders to anything but blanks).

Loaded by path through copier-template-extensions: keep it self-contained.
"""

from __future__ import annotations

import keyword
import re
import sys
from typing import Final

from jinja2 import Environment
from jinja2.ext import Extension

PROJECT_NAME_MAX: Final = 64
SLUG_MAX: Final = 50
DESCRIPTION_MAX: Final = 200
AUTHOR_NAME_MAX: Final = 100

_PROJECT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9 ._-]*")
_SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_PACKAGE = re.compile(r"[a-z][a-z0-9_]*")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Importable names a generated project depends on or creates beside its package:
# a package called like one of them would shadow it.
RESERVED_PACKAGE_NAMES: Final = frozenset(
    {
        "alembic",
        "apispec",
        "asyncpg",
        "config",
        "django",
        "django_stubs_ext",
        "dotenv",
        "drf_spectacular",
        "environ",
        "fastapi",
        "flask",
        "flask_migrate",
        "flask_smorest",
        "flask_sqlalchemy",
        "granian",
        "gunicorn",
        "httpx",
        "litestar",
        "manage",
        "marshmallow",
        "migrations",
        "ninja",
        "psycopg",
        "psycopg_pool",
        "pydantic",
        "pydantic_settings",
        "pymysql",
        "pytest",
        "pytest_django",
        "rest_framework",
        "sqlalchemy",
        "starlette",
        "staticfiles",
        "test",
        "tests",
        "uvicorn",
        "webargs",
        "werkzeug",
        "whitenoise",
    }
)


def project_name_error(value: str) -> str:
    if not value.strip():
        return "The project name cannot be empty."
    if len(value) > PROJECT_NAME_MAX:
        return f"The project name must be at most {PROJECT_NAME_MAX} characters."
    if not _PROJECT_NAME.fullmatch(value):
        return (
            "The project name must start with a letter and use only letters, digits, "
            "spaces, dots, hyphens and underscores."
        )
    return ""


def project_slug_error(value: str) -> str:
    if not value:
        return "The slug cannot be empty."
    if len(value) > SLUG_MAX:
        return f"The slug must be at most {SLUG_MAX} characters."
    if not _SLUG.fullmatch(value):
        return (
            "The slug must be lowercase letters and digits in words joined by single hyphens, "
            "starting with a letter (e.g. billing-service)."
        )
    return ""


def package_name_error(value: str) -> str:
    if not value:
        return "The package name cannot be empty."
    if not _PACKAGE.fullmatch(value) or len(value) > SLUG_MAX:
        return (
            "The package name must be a lowercase Python identifier: a letter, then "
            f"letters, digits or underscores, at most {SLUG_MAX} characters."
        )
    if keyword.iskeyword(value) or keyword.issoftkeyword(value):
        return f"'{value}' is a Python keyword; choose another package name."
    if value in sys.stdlib_module_names:
        return f"'{value}' would shadow the standard library module; choose another package name."
    if value in RESERVED_PACKAGE_NAMES:
        return f"'{value}' would shadow a package the project uses; choose another package name."
    return ""


def one_line_error(value: str, field: str, maximum: int, *, required: bool) -> str:
    if required and not value.strip():
        return f"The {field} cannot be empty."
    if _CONTROL.search(value):
        return f"The {field} must be a single line without control characters."
    if len(value) > maximum:
        return f"The {field} must be at most {maximum} characters."
    return ""


def description_error(value: str) -> str:
    return one_line_error(value, "description", DESCRIPTION_MAX, required=False)


def author_name_error(value: str) -> str:
    if error := one_line_error(value, "author name", AUTHOR_NAME_MAX, required=True):
        return error
    if any(character in value for character in '<>"'):
        return "The author name cannot contain <, > or double quotes."
    return ""


def author_email_error(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        return "The author email must look like name@example.com."
    return ""


# Databases a framework cannot use, and why: the choice is refused at the prompt with this.
UNSUPPORTED_DATABASES: Final = {
    ("django_fastapi", "sqlite"): (
        "Django + FastAPI runs two services that write to one database at the same time, and "
        "SQLite keeps it in a single file that one process at a time may write; choose "
        "PostgreSQL or MySQL / MariaDB."
    ),
}


def database_error(database: str, framework: str) -> str:
    """Why `framework` cannot run on `database`, or "" when it can."""
    return UNSUPPORTED_DATABASES.get((framework, database), "")


# Task queues a framework's request path cannot use, and why: refused at the prompt with this.
ASYNC_ONLY_QUEUE: Final = (
    "taskiq runs tasks on asyncio with the app's async database sessions; {name}'s request "
    "path is synchronous, so choose Celery."
)
SYNC_FRAMEWORK_NAMES: Final = {
    "django": "Django",
    "flask": "Flask",
    "django_fastapi": "Django + FastAPI (the worker runs beside the Django service)",
}


def task_queue_error(task_queue: str, framework: str) -> str:
    """Why `framework` cannot run `task_queue`'s worker, or "" when it can."""
    if task_queue == "taskiq" and framework in SYNC_FRAMEWORK_NAMES:
        return ASYNC_ONLY_QUEUE.format(name=SYNC_FRAMEWORK_NAMES[framework])
    return ""


class ValidatorsExtension(Extension):
    """Expose the checks to Copier's Jinja environment as filters."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(
            project_name_error=project_name_error,
            project_slug_error=project_slug_error,
            package_name_error=package_name_error,
            description_error=description_error,
            author_name_error=author_name_error,
            author_email_error=author_email_error,
            database_error=database_error,
            task_queue_error=task_queue_error,
        )
