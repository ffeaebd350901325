"""Typed stack profiles: the facts the shared files need about a project's stack.

A project's stack is one `Framework` (its dependencies, commands, settings, prose partials), one
`Database` (the server in compose and CI, the URLs) and the optional `Component`s its answers
switch on. `build_stack()` computes it from the answers; the shared files (pyproject.toml,
Makefile, Dockerfile, compose.yaml, CI, README, ADR, .env.example) read it as one object,
`project_stack()`, and contain no per-framework or per-database branches of their own.

Every field is required unless it has a documented default, and each dataclass checks its values
when it is built, so a missing or malformed fact fails the render with its name instead of
rendering an empty string. Prose lives in template partials (`template/_partials/`); these
objects only name them.

Loaded by path through copier-template-extensions: keep it self-contained.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from jinja2 import Environment, pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context

PARTIALS: Final = "template/_partials"

# A direct dependency always names its floor, so `uv sync --resolution lowest-direct` tests
# something real: "name[extras]>=floor" with an optional "; marker".
_REQUIREMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[a-z0-9,-]+\])?>=[0-9][0-9.]*(; .+)?")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_MAKE_TARGET = re.compile(r"[a-z][a-z-]*")


class ProfileError(ValueError):
    """A stack fact is missing or malformed; the message names it."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ProfileError(message)


def _requirement_name(requirement: str) -> str:
    """The normalised distribution name of a requirement: 'Flask-Migrate>=4' -> 'flask-migrate'."""
    name = re.split(r"[\[<>=!~;\s]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _check_requirements(owner: str, requirements: Iterable[str]) -> None:
    for requirement in requirements:
        _require(
            bool(_REQUIREMENT.fullmatch(requirement)),
            f"{owner}: dependency {requirement!r} must read 'name>=floor'",
        )


def _check_argv(owner: str, name: str, argv: tuple[str, ...]) -> None:
    _require(bool(argv) and all(argv), f"{owner}: {name} must be a non-empty command")


# --- Building blocks ----------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """An environment variable the project reads, as `.env.example` documents it."""

    name: str
    example: str
    doc: str

    def __post_init__(self) -> None:
        _require(bool(_ENV_NAME.fullmatch(self.name)), f"setting name {self.name!r}")
        _require(bool(self.doc) and "\n" not in self.doc, f"setting {self.name}: doc")


@dataclass(frozen=True)
class Secret:
    """A secret key a service requires in production."""

    env: str
    min_length: int
    purpose: str = "Signing key"  # how .env.example introduces it

    def __post_init__(self) -> None:
        _require(bool(_ENV_NAME.fullmatch(self.env)), f"secret variable {self.env!r}")
        _require(self.min_length >= 32, f"secret {self.env}: min_length below 32")


@dataclass(frozen=True)
class ComposeService:
    """A backing service in compose.yaml that the app waits for (healthy) before it starts."""

    name: str
    image: str
    environment: tuple[tuple[str, str], ...]
    volume: str  # "<named volume>:<path in the container>"
    healthcheck: tuple[str, ...]  # the `test` array
    command: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _require(bool(re.fullmatch(r"[a-z][a-z0-9-]*", self.name)), f"service {self.name!r}")
        _require(":" in self.image, f"service {self.name}: image {self.image!r} needs a tag")
        _require(self.volume.count(":") == 1, f"service {self.name}: volume {self.volume!r}")
        _check_argv(f"service {self.name}", "healthcheck", self.healthcheck)

    @property
    def volume_name(self) -> str:
        return self.volume.split(":", 1)[0]


@dataclass(frozen=True)
class CiService:
    """A service container the generated CI's test job runs beside the tests."""

    name: str
    image: str
    env: tuple[tuple[str, str], ...]
    port: int
    health_cmd: str

    def __post_init__(self) -> None:
        _require(":" in self.image, f"CI service {self.name}: image {self.image!r} needs a tag")
        _require(bool(self.health_cmd), f"CI service {self.name}: health_cmd")


@dataclass(frozen=True)
class MakeTarget:
    name: str
    help: str
    recipe: tuple[str, ...]

    def __post_init__(self) -> None:
        _require(bool(_MAKE_TARGET.fullmatch(self.name)), f"make target {self.name!r}")
        _require(bool(self.help), f"make target {self.name}: help")
        _require(bool(self.recipe) and all(self.recipe), f"make target {self.name}: recipe")


@dataclass(frozen=True)
class CiStep:
    """A step the generated CI's test job runs after the tests."""

    name: str
    run: str

    def __post_init__(self) -> None:
        _require(bool(self.name) and bool(self.run), f"CI step {self.name!r}")


@dataclass(frozen=True)
class Worker:
    """A process that runs beside the server from the same image: the job worker.

    `make <name>` runs it from the service's folder (on DATABASE_URL, else the development
    database), and compose.yaml runs it as a service of that name with `healthcheck`.
    """

    name: str
    help: str
    argv: tuple[str, ...]
    healthcheck: tuple[str, ...]  # compose's `test` array

    def __post_init__(self) -> None:
        _require(bool(_MAKE_TARGET.fullmatch(self.name)), f"worker {self.name!r}")
        _require(bool(self.help), f"worker {self.name}: help")
        _check_argv(f"worker {self.name}", "argv", self.argv)
        _check_argv(f"worker {self.name}", "healthcheck", self.healthcheck)


# --- Databases ----------------------------------------------------------------------------

# One tag per server image, used by both compose.yaml and CI.
POSTGRES_IMAGE: Final = "postgres:17.6-alpine"
MARIADB_IMAGE: Final = "mariadb:11.4"


@dataclass(frozen=True)
class Database:
    key: str
    label: str  # the server's name in prose: README, CI job names
    compose_url: str  # DATABASE_URL inside compose.yaml
    example_url: str  # DATABASE_URL as .env.example suggests it for local work
    readme_test_url: str  # a server to run the tests against, as the README shows it
    # The server as compose runs it, or None for a file database (the app then keeps
    # `app_volume` for it).
    compose_service: ComposeService | None
    ci_service: CiService | None
    ci_url: str | None  # DATABASE_URL in the CI test job
    app_volume: str | None = None

    def __post_init__(self) -> None:
        server = self.compose_service is not None
        _require(
            server == (self.ci_service is not None) == (self.ci_url is not None),
            f"database {self.key}: a server needs compose_service, ci_service and ci_url",
        )
        _require(
            server != (self.app_volume is not None),
            f"database {self.key}: app_volume is for file databases only",
        )


POSTGRESQL: Final = Database(
    key="postgresql",
    label="PostgreSQL",
    compose_url="postgresql://app:${POSTGRES_PASSWORD:-app}@db:5432/app",
    example_url="postgresql://app:app@localhost:5432/app",
    readme_test_url="postgresql://postgres@127.0.0.1:5432/postgres",
    compose_service=ComposeService(
        name="db",
        image=POSTGRES_IMAGE,
        environment=(
            ("POSTGRES_USER", "app"),
            ("POSTGRES_PASSWORD", "${POSTGRES_PASSWORD:-app}"),
            ("POSTGRES_DB", "app"),
        ),
        volume="db-data:/var/lib/postgresql/data",
        healthcheck=("CMD-SHELL", "pg_isready -U app -d app"),
    ),
    ci_service=CiService(
        name="postgres",
        image=POSTGRES_IMAGE,
        env=(("POSTGRES_PASSWORD", "postgres"), ("POSTGRES_DB", "app")),
        port=5432,
        health_cmd="pg_isready -U postgres",
    ),
    ci_url="postgresql://postgres:postgres@localhost:5432/app",
)

MYSQL: Final = Database(
    key="mysql",
    label="MariaDB",
    compose_url="mysql://app:${MARIADB_PASSWORD:-app}@db:3306/app",
    example_url="mysql://app:app@localhost:3306/app",
    readme_test_url="mysql://root@127.0.0.1:3306/mysql",
    compose_service=ComposeService(
        name="db",
        image=MARIADB_IMAGE,
        command=("--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"),
        environment=(
            ("MARIADB_DATABASE", "app"),
            ("MARIADB_USER", "app"),
            ("MARIADB_PASSWORD", "${MARIADB_PASSWORD:-app}"),
            ("MARIADB_RANDOM_ROOT_PASSWORD", "yes"),
        ),
        volume="db-data:/var/lib/mysql",
        healthcheck=("CMD", "healthcheck.sh", "--connect", "--innodb_initialized"),
    ),
    ci_service=CiService(
        name="mariadb",
        image=MARIADB_IMAGE,
        env=(("MARIADB_ROOT_PASSWORD", "root"), ("MARIADB_DATABASE", "app")),
        port=3306,
        health_cmd="healthcheck.sh --connect --innodb_initialized",
    ),
    ci_url="mysql://root:root@127.0.0.1:3306/app",
)

SQLITE: Final = Database(
    key="sqlite",
    label="SQLite",
    compose_url="sqlite:////app/data/app.sqlite3",
    example_url="sqlite:///./dev.sqlite3",
    readme_test_url=POSTGRESQL.readme_test_url,
    compose_service=None,
    ci_service=None,
    ci_url=None,
    app_volume="app-data:/app/data",
)

DATABASES: Final = {database.key: database for database in (POSTGRESQL, MYSQL, SQLITE)}


# --- Components ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    """An optional part of the stack, switched on by an answer.

    What it contributes is merged into the project's files: dependencies into pyproject.toml,
    settings into .env.example, services into compose.yaml (the app waits for them) and into
    CI's test job, targets into the Makefile, steps into CI's test job after the tests, README sections (partials, after the layout),
    system packages into the Dockerfile. Its own source files live in the framework tree,
    named with the answer's condition.
    """

    key: str
    title: str  # how the README and ADR name it
    dependencies: tuple[str, ...] = ()
    dev_dependencies: tuple[str, ...] = ()
    mypy_plugins: tuple[str, ...] = ()
    settings: tuple[Setting, ...] = ()
    compose_services: tuple[ComposeService, ...] = ()
    ci_services: tuple[CiService, ...] = ()
    make_targets: tuple[MakeTarget, ...] = ()
    ci_steps: tuple[CiStep, ...] = ()
    readme_sections: tuple[str, ...] = ()  # template paths of partials
    build_packages: tuple[str, ...] = ()
    runtime_packages: tuple[str, ...] = ()
    compose_env: tuple[tuple[str, str], ...] = ()  # the app's environment in compose.yaml
    ci_env: tuple[tuple[str, str], ...] = ()  # the CI test job's environment
    consequence: str = ""  # what choosing it means, for the decision record's consequences
    worker: Worker | None = None  # a process it runs beside the server
    secret: Secret | None = None  # a secret it signs with, required in production

    def __post_init__(self) -> None:
        _require(bool(re.fullmatch(r"[a-z][a-z0-9-]*", self.key)), f"component {self.key!r}")
        for name, _ in self.compose_env + self.ci_env:
            _require(bool(_ENV_NAME.fullmatch(name)), f"{self.key}: variable {name!r}")
        _check_requirements(f"component {self.key}", self.dependencies + self.dev_dependencies)
        for section in self.readme_sections:
            _require(section.startswith(PARTIALS + "/"), f"{self.key}: partial {section!r}")


DJANGO_NINJA: Final = Component(
    key="django-ninja",
    title="django-ninja",
    dependencies=("django-ninja>=1.7",),
)

# drf-spectacular-sidecar: Swagger UI's files, served by the app instead of a CDN (ninja
# ships its own).
DJANGO_REST_FRAMEWORK: Final = Component(
    key="django-rest-framework",
    title="Django REST framework",
    dependencies=(
        "djangorestframework>=3.18",
        "drf-spectacular>=0.28",
        "drf-spectacular-sidecar>=2025.2.1",
    ),
    dev_dependencies=("djangorestframework-stubs[compatible-mypy]>=3.16",),
    mypy_plugins=("mypy_drf_plugin.main",),
)

DJANGO_API_LAYERS: Final = {"ninja": DJANGO_NINJA, "drf": DJANGO_REST_FRAMEWORK}

REDIS_IMAGE: Final = "redis:7.4-alpine"
# One Redis serves the cache and the Redis broker alike, in databases of their own (0 and 1), so
# a component that needs it names these; the stack lists a service two components share once.
REDIS_SERVICE: Final = ComposeService(
    name="redis",
    image=REDIS_IMAGE,
    environment=(),
    volume="redis-data:/data",
    healthcheck=("CMD", "redis-cli", "ping"),
)
REDIS_CI_SERVICE: Final = CiService(
    name="redis", image=REDIS_IMAGE, env=(), port=6379, health_cmd="redis-cli ping"
)

# Item reads served from Redis (`cache: redis`). Every framework reads the same three settings;
# its tree holds the code (Django's cache framework, a small typed helper elsewhere).
REDIS_CACHE: Final = Component(
    key="redis-cache",
    title="Redis cache",
    # 8.0: the first release whose synchronous client strict mypy accepts (earlier ones leave
    # close(), ConnectionPool.from_url() and the replies of commands such as ttl() untyped).
    dependencies=("redis>=8.0",),
    settings=(
        Setting(
            "REDIS_URL",
            "redis://localhost:6379/0",
            "Redis for the item cache; required in production (unset in development: no cache)",
        ),
        Setting("CACHE_TTL", "300", "Seconds a cached item lives in Redis"),
        Setting(
            "CACHE_TIMEOUT",
            "0.25",
            "Seconds a cache call may take; past it the read goes to the database",
        ),
    ),
    compose_services=(REDIS_SERVICE,),
    compose_env=(("REDIS_URL", "redis://redis:6379/0"),),
    ci_services=(REDIS_CI_SERVICE,),
    ci_env=(("REDIS_URL", "redis://localhost:6379/0"),),
    readme_sections=(f"{PARTIALS}/components/redis-cache.md.jinja",),
    consequence=(
        "Item reads are cached in Redis (`cache: redis`): one more service to run and watch, "
        "and a write made while Redis is unreachable may be read stale for up to CACHE_TTL "
        "once it returns; reads never fail because of Redis, and readiness reports it."
    ),
)

CACHES: Final = {"none": None, "redis": REDIS_CACHE}


# --- Background jobs (`task_queue`, `broker`) ---------------------------------------------
# The example job (POST /api/reports) runs on a worker that reads BROKER_URL. Each framework's
# tree holds the code: the queue's app in the module the worker command names, the Report model
# and its migration, the task and the two routes.

RABBITMQ_IMAGE: Final = "rabbitmq:4.1-alpine"


@dataclass(frozen=True)
class Broker:
    """Where the jobs wait: the server in compose and CI, and BROKER_URL for each."""

    key: str
    label: str
    example_url: str  # .env.example
    compose_url: str
    ci_url: str
    compose_service: ComposeService
    ci_service: CiService


REDIS_BROKER: Final = Broker(
    key="redis",
    label="Redis",
    example_url="redis://localhost:6379/1",
    compose_url="redis://redis:6379/1",
    ci_url="redis://localhost:6379/1",
    compose_service=REDIS_SERVICE,
    ci_service=REDIS_CI_SERVICE,
)
# RabbitMQ lets its default guest user in from localhost only: compose and CI create a user.
RABBITMQ_BROKER: Final = Broker(
    key="rabbitmq",
    label="RabbitMQ",
    example_url="amqp://guest:guest@localhost:5672//",
    compose_url="amqp://app:${RABBITMQ_PASSWORD:-app}@rabbitmq:5672//",
    ci_url="amqp://app:app@localhost:5672//",
    compose_service=ComposeService(
        name="rabbitmq",
        image=RABBITMQ_IMAGE,
        environment=(
            ("RABBITMQ_DEFAULT_USER", "app"),
            ("RABBITMQ_DEFAULT_PASS", "${RABBITMQ_PASSWORD:-app}"),
        ),
        volume="rabbitmq-data:/var/lib/rabbitmq",
        healthcheck=("CMD", "rabbitmq-diagnostics", "-q", "ping"),
    ),
    ci_service=CiService(
        name="rabbitmq",
        image=RABBITMQ_IMAGE,
        env=(("RABBITMQ_DEFAULT_USER", "app"), ("RABBITMQ_DEFAULT_PASS", "app")),
        port=5672,
        health_cmd="rabbitmq-diagnostics -q ping",
    ),
)
BROKERS: Final = {broker.key: broker for broker in (REDIS_BROKER, RABBITMQ_BROKER)}

JOB_SETTINGS: Final = (
    Setting("JOB_TIME_LIMIT", "60", "Seconds a job may run before the worker stops it"),
    Setting("JOB_MAX_RETRIES", "3", "Retries of a job after a transient error, with backoff"),
    Setting("WORKER_CONCURRENCY", "2", "Jobs one worker runs at a time"),
)


@dataclass(frozen=True)
class TaskQueue:
    """A job library: what it installs per broker and how its worker runs and is checked."""

    key: str
    title: str
    dependencies: Callable[[Broker], tuple[str, ...]]
    dev_dependencies: tuple[str, ...]
    worker: Callable[[str, str], Worker]  # (framework, package) -> the worker
    frameworks: frozenset[str]  # where it is offered (the prompt refuses the others)


def _celery_app(framework: str, package: str) -> str:
    """The module that holds the Celery app: Django's config/celery.py, else the package's
    worker module."""
    return "config" if framework in ("django", "django_fastapi") else f"{package}.worker"


def _celery_worker(framework: str, package: str) -> Worker:
    app = _celery_app(framework, package)
    return Worker(
        name="worker",
        help="Run the Celery worker (BROKER_URL; DATABASE_URL, else the development database)",
        argv=("celery", "--app", app, "worker", "--loglevel", "INFO"),
        # The worker answers a ping over the broker: alive and consuming, not just running.
        healthcheck=(
            "CMD-SHELL",
            f"celery --app {app} inspect ping --destination celery@$$HOSTNAME --timeout 10",
        ),
    )


def _taskiq_worker(framework: str, package: str) -> Worker:
    return Worker(
        name="worker",
        help="Run the taskiq worker (BROKER_URL; DATABASE_URL, else the development database)",
        # One process; its receiver (worker.py's JobReceiver) runs WORKER_CONCURRENCY jobs at
        # a time, which taskiq's CLI could only be told in the command itself.
        argv=(
            "taskiq",
            "worker",
            f"{package}.worker:broker",
            "--workers",
            "1",
            "--receiver",
            f"{package}.worker:JobReceiver",
        ),
        # taskiq has no remote ping: the worker touches a heartbeat file this command reads.
        healthcheck=("CMD", "python", "-m", f"{package}.worker", "--check-heartbeat"),
    )


CELERY: Final = TaskQueue(
    key="celery",
    title="Celery",
    # 5.5: Python 3.13 support and broker_connection_retry_on_startup settled. On Redis, kombu
    # 5.7 (with Celery 5.6, the first to allow it) lets a worker look for a dead worker's jobs
    # every 10 s (`unacked_restore_throttle`); before, it looked every 100 s.
    dependencies=lambda broker: (
        ("celery[redis]>=5.6", "kombu>=5.7") if broker.key == "redis" else ("celery>=5.5",)
    ),
    # Celery ships no type hints; strict mypy reads these stubs. 0.25: stubs for what the tests
    # use, celery.contrib.testing.worker (the embedded worker, 0.24) and celery.app.utils.find_app.
    dev_dependencies=("celery-types>=0.25",),
    worker=_celery_worker,
    frameworks=frozenset({"fastapi", "django", "flask", "litestar", "django_fastapi"}),
)
TASKIQ: Final = TaskQueue(
    key="taskiq",
    title="taskiq",
    dependencies=lambda broker: (
        ("taskiq>=0.11.18", "taskiq-redis>=1.0.8")
        if broker.key == "redis"
        else ("taskiq>=0.11.18", "taskiq-aio-pika>=0.4.3")
    ),
    dev_dependencies=(),
    worker=_taskiq_worker,
    frameworks=frozenset({"fastapi", "litestar"}),
)
TASK_QUEUES: Final = {"none": None, "celery": CELERY, "taskiq": TASKIQ}


def background_jobs(
    task_queue: TaskQueue, broker: Broker, framework: str, package: str
) -> Component:
    """The job component: `task_queue`'s worker on `broker`, for `framework`'s project."""
    _require(
        framework in task_queue.frameworks,
        f"task_queue {task_queue.key!r} is not offered for framework {framework!r}",
    )
    return Component(
        key=f"{task_queue.key}-jobs",
        title=f"{task_queue.title} on {broker.label}",
        dependencies=task_queue.dependencies(broker),
        dev_dependencies=task_queue.dev_dependencies,
        settings=(
            Setting(
                "BROKER_URL",
                broker.example_url,
                f"{broker.label} for the job queue; required in production (unset in "
                "development: jobs run in the web process as they are enqueued)",
            ),
            *JOB_SETTINGS,
        ),
        compose_services=(broker.compose_service,),
        compose_env=(("BROKER_URL", broker.compose_url),),
        ci_services=(broker.ci_service,),
        ci_env=(("BROKER_URL", broker.ci_url),),
        readme_sections=(f"{PARTIALS}/components/background-jobs.md.jinja",),
        consequence=(
            f"Background jobs run on a {task_queue.title} worker over {broker.label} "
            f"(`task_queue: {task_queue.key}`, `broker: {broker.key}`): two more processes to "
            "run and watch (the worker and the broker); a job's state lives in the database, so "
            "a job survives a worker restart, and readiness reports the broker."
        ),
        worker=task_queue.worker(framework, package),
    )


# --- Users and tokens (`auth`) -----------------------------------------------------------
# Sign-up, OAuth2 password tokens (JWT, HS256, signed with the project's secret key), and items
# owned by the user who created them. Each framework's tree holds the code: the user model and
# its migration, the auth routes, the bearer-token check and the superuser command.

# The signing key of a stack whose framework signs nothing else (Django has its own).
SECRET_KEY: Final = Secret("SECRET_KEY", 32, "Key that signs the access tokens")
USERS_SETTINGS: Final = (
    Setting("ACCESS_TOKEN_EXPIRES", "3600", "Seconds an access token is valid"),
    Setting(
        "SIGNUP_ENABLED",
        "true",
        "false closes POST /api/auth/register (users then come from `make superuser`)",
    ),
    Setting(
        "LOGIN_MAX_FAILURES",
        "5",
        "Failed sign-ins in a row for one email before it is refused for LOGIN_LOCKOUT seconds",
    ),
    Setting("LOGIN_LOCKOUT", "300", "Seconds sign-in stays refused after LOGIN_MAX_FAILURES"),
)
# JWT and Argon2 password hashing, maintained libraries; each framework adds its own.
TOKEN_LIBRARY: Final = "pyjwt>=2.10"
PASSWORD_HASHING: Final = "pwdlib[argon2]>=0.2.1"
EMAIL_VALIDATION: Final = "email-validator>=2.2"
_USERS_DEPENDENCIES: Final[dict[str, tuple[str, ...]]] = {
    "fastapi": (EMAIL_VALIDATION, PASSWORD_HASHING, TOKEN_LIBRARY, "python-multipart>=0.0.18"),
    "litestar": (EMAIL_VALIDATION, PASSWORD_HASHING, TOKEN_LIBRARY),
    "flask": (EMAIL_VALIDATION, PASSWORD_HASHING, TOKEN_LIBRARY),
    # Django hashes with its own Argon2 hasher, which needs argon2-cffi; sign-up checks emails
    # with email-validator (no DNS), in both API layers, as the other frameworks do.
    "django": (EMAIL_VALIDATION, "argon2-cffi>=23.1", TOKEN_LIBRARY),
    "django_fastapi": (EMAIL_VALIDATION, "argon2-cffi>=23.1", TOKEN_LIBRARY),
}


def _superuser_command(framework: str, package: str) -> str:
    """The command `make superuser` runs: non-interactive with SUPERUSER_EMAIL and
    SUPERUSER_PASSWORD set, asking for them otherwise."""
    if framework in ("django", "django_fastapi"):
        return "python manage.py createsuperuser"
    if framework == "flask":
        return f"flask --app {package} create-superuser"
    return f"python -m {package}.superuser"


def users(framework: str, package: str) -> Component:
    """The users component for `framework`'s project."""
    _require(framework in _USERS_DEPENDENCIES, f"auth 'users' is not offered for {framework!r}")
    command = _superuser_command(framework, package)
    directory = "cd web && " if framework == "django_fastapi" else ""
    return Component(
        key="users",
        title="Users and access tokens",
        dependencies=_USERS_DEPENDENCIES[framework],
        settings=USERS_SETTINGS,
        make_targets=(
            MakeTarget(
                "superuser",
                "Create an admin user (SUPERUSER_EMAIL and SUPERUSER_PASSWORD, else asks)",
                (
                    f"{directory}DATABASE_URL=$${{DATABASE_URL:-$(DEV_DATABASE_URL)}} uv run {command}",
                ),
            ),
        ),
        readme_sections=(f"{PARTIALS}/components/users.md.jinja",),
        consequence=(
            "Users sign up and get OAuth2 bearer tokens (`auth: users`): tokens are JWTs signed "
            "with the project's secret key, so rotating the key signs everyone out; passwords "
            "are hashed with Argon2id, and items can be changed only by their owner."
        ),
        secret=None if framework in ("django", "django_fastapi") else SECRET_KEY,
    )


# --- Admin screen (`needs_admin_ui`) ----------------------------------------------------------
# A screen at /admin/ where staff sign in with their email and password (the users' table, so
# `make superuser` creates the first admin) and manage items and users. Django's admin is part
# of every Django project already; the others get the admin library made for their stack, with
# its pages and assets served by the app itself. Each framework's tree holds the code.

_ADMIN_DEPENDENCIES: Final[dict[str, tuple[str, ...]]] = {
    # sqladmin: SQLAlchemy models in a Starlette app; itsdangerous signs its session cookie;
    # asgi-cross-origin-protection refuses other sites' posts (sqladmin has no CSRF token).
    "fastapi": ("sqladmin>=0.21", "itsdangerous>=2.2", "asgi-cross-origin-protection>=0.1.1"),
    # Litestar mounts sqladmin's Starlette app as an ASGI app of its own at /admin.
    "litestar": ("sqladmin>=0.21", "itsdangerous>=2.2", "asgi-cross-origin-protection>=0.1.1"),
    # Flask-Admin's views, with Flask-WTF's CSRF protection on the sign-in form.
    "flask": ("flask-admin>=2.1", "flask-wtf>=1.2"),
}
# sqladmin's forms are WTForms, which ships no type hints: strict mypy reads these stubs.
_SQLADMIN_DEV_DEPENDENCIES: Final = ("types-wtforms>=3.1",)


def admin(framework: str) -> Component | None:
    """The admin screen for `framework`'s project, or None where the framework has its own."""
    if framework not in _ADMIN_DEPENDENCIES:
        _require(framework in ("django", "django_fastapi"), f"no admin for {framework!r}")
        return None
    return Component(
        key="admin",
        title="Admin screen",
        dependencies=_ADMIN_DEPENDENCIES[framework],
        dev_dependencies=_SQLADMIN_DEV_DEPENDENCIES if framework in ("fastapi", "litestar") else (),
        readme_sections=(f"{PARTIALS}/components/admin.md.jinja",),
        consequence=(
            "Staff manage items and users in an admin screen at `/admin/` (`needs_admin_ui`), "
            "signed in with the same accounts as the API; only superusers may enter, so the "
            "first one comes from `make superuser`."
        ),
    )


# --- Frameworks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Prose:
    """The framework's passages of the README and ADR, as template paths of partials."""

    readme_layout: str
    readme_server: str
    server_decision: str
    pyproject_tables: str | None  # extra pyproject.toml tables, or None

    def __post_init__(self) -> None:
        for name in ("readme_layout", "readme_server", "server_decision", "pyproject_tables"):
            path = getattr(self, name)
            _require(
                path is None or path.startswith(PARTIALS + "/"),
                f"prose {name}: {path!r} is not under {PARTIALS}/",
            )


@dataclass(frozen=True)
class Framework:
    key: str
    display_name: str
    # Installed as a package (src/ layout, hatchling) or run from its directory.
    packaged: bool
    dependencies: tuple[str, ...]
    dev_dependencies: tuple[str, ...]
    mypy_plugins: tuple[str, ...]
    pytest_options: tuple[tuple[str, str], ...]
    typed_paths: tuple[str, ...]
    secret: Secret | None  # None: nothing is signed, no secret is required
    migrate_argv: tuple[str, ...]  # empty for a service that maps another's schema
    dev_command: str  # the reloading development server (`make dev`)
    makemigrations_command: str  # `make migration m="..."`
    lint_commands: tuple[str, ...]  # run by `make lint` after ruff and mypy
    runtime_paths: tuple[str, ...]  # what the image copies beside the virtual environment
    build_steps: tuple[str, ...]  # RUN steps of the image's build stage
    build_packages: tuple[str, ...]  # Debian packages to compile dependencies against
    runtime_packages: tuple[str, ...]  # Debian packages the runtime stage needs
    compose_env: tuple[tuple[str, str], ...]  # extra app environment in compose.yaml
    settings: tuple[Setting, ...]  # documented in .env.example, in this order
    prose: Prose
    pytest_addopts: tuple[str, ...] = ()  # after the options every project has

    def __post_init__(self) -> None:
        owner = f"framework {self.key}"
        _require(bool(self.display_name), f"{owner}: display_name")
        _check_requirements(owner, self.dependencies + self.dev_dependencies)
        _require(all(self.migrate_argv), f"{owner}: migrate_argv has an empty word")
        _require(bool(self.dev_command), f"{owner}: dev_command")
        _require(
            bool(self.makemigrations_command) == bool(self.migrate_argv),
            f"{owner}: makemigrations_command goes with migrate_argv",
        )
        _require(bool(self.typed_paths), f"{owner}: typed_paths")
        _require(bool(self.settings), f"{owner}: settings")


# Settings every framework reads, defined once; each framework places them in its list.
ENVIRONMENT = Setting(
    "ENVIRONMENT",
    "development",
    "development, test or production (the Docker image sets production)",
)
HOST = Setting("HOST", "127.0.0.1", "Address the server binds (the Docker image sets 0.0.0.0)")
PORT = Setting("PORT", "8000", "Port the server listens on")
WEB_CONCURRENCY = Setting("WEB_CONCURRENCY", "1", "Server worker processes")
MAX_BODY_SIZE = Setting(
    "MAX_BODY_SIZE", "1048576", "Largest request body in bytes; larger ones answer 413"
)
DB_POOL_TIMEOUT = Setting(
    "DB_POOL_TIMEOUT", "2", "Seconds to wait for a free database connection (then 503)"
)
DB_POOL_PRE_PING = Setting(
    "DB_POOL_PRE_PING",
    "false",
    "Test each connection before use (for proxies that drop idle ones)",
)
WHOLE_SECONDS_CONNECT_TIMEOUT = Setting(
    "DB_CONNECT_TIMEOUT",
    "2",
    "Whole seconds to wait for the database to accept a connection",
)
HEALTH_TIMEOUT = Setting("HEALTH_TIMEOUT", "2", "Seconds /health/ready waits for the database")
HTTP_TIMEOUT = Setting("HTTP_TIMEOUT", "10", "Seconds for outbound HTTP requests")
ACCESS_LOG = Setting(
    "ACCESS_LOG",
    "false",
    "Log every request (off in production: the app logs what matters)",
)
LOG_LEVEL = Setting("LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING or ERROR")

PYTEST: Final = "pytest>=8.3"
RUFF: Final = "ruff>=0.11"
MYPY: Final = "mypy>=1.15"


def _prose(framework: str, *, pyproject_tables: bool) -> Prose:
    folder = f"{PARTIALS}/{framework}"
    return Prose(
        readme_layout=f"{folder}/readme-layout.md.jinja",
        readme_server=f"{folder}/readme-server.md.jinja",
        server_decision=f"{folder}/server-decision.md.jinja",
        pyproject_tables=f"{folder}/pyproject.toml.jinja" if pyproject_tables else None,
    )


# --- What the FastAPI and Litestar starters share -----------------------------------------
# Both render the same database layer (template/_partials/sqlalchemy: SQLAlchemy on asyncio, one
# bounded connection pool per worker, read from the same settings) and the same alembic
# migrations, and both are ASGI apps that granian serves from an app factory. The facts that
# follow from that are stated once here; each profile adds its framework's own.

# The async driver of each database: the ones the shared db/urls.py puts in a URL naming none.
ASYNC_DRIVERS: Final = {
    "postgresql": "asyncpg>=0.30",
    "mysql": "aiomysql>=0.2",
    "sqlite": "aiosqlite>=0.21",
}
# The server: granian, with uvloop as its event loop (uvloop has no Windows build).
ASGI_SERVER: Final = ("granian>=2.8", "uvloop>=0.21; sys_platform != 'win32'")

# What both starters' settings read, in the order .env.example documents them; the pool
# settings are the shared db/session.py's.
ASYNC_SQLALCHEMY_SETTINGS: Final = (
    ENVIRONMENT,
    HOST,
    PORT,
    WEB_CONCURRENCY,
    MAX_BODY_SIZE,
    Setting("DB_POOL_SIZE", "10", "Connections each worker keeps open"),
    Setting(
        "DB_MAX_OVERFLOW",
        "0",
        "Extra, short-lived connections a worker may open under load",
    ),
    DB_POOL_PRE_PING,
    Setting(
        "DB_CONNECT_TIMEOUT",
        "2",
        "Seconds to wait for the database to accept a connection (then 503)",
    ),
    DB_POOL_TIMEOUT,
    HEALTH_TIMEOUT,
    HTTP_TIMEOUT,
    ACCESS_LOG,
    LOG_LEVEL,
    Setting("JSON_LOGS", "true", "One JSON object per log line; false for plain text"),
    Setting(
        "FORWARDED_ALLOW_IPS",
        "10.0.0.1,10.0.0.2",
        "Proxies whose X-Forwarded-For/-Proto are believed (unset: none; * for any)",
    ),
)


def _async_sqlalchemy_dependencies(database: str) -> tuple[str, ...]:
    """SQLAlchemy on asyncio with `database`'s async driver, and alembic to migrate it."""
    return ("alembic>=1.14", ASYNC_DRIVERS[database], "sqlalchemy[asyncio]>=2.0.42")


def _sqlite_for_tests(database: str) -> tuple[str, ...]:
    """The SQLite driver as a development dependency, unless the project already installs it.

    Development and tests run on SQLite whatever the production database.
    """
    return () if database == "sqlite" else (ASYNC_DRIVERS["sqlite"],)


def _async_sqlalchemy_framework(
    *,
    key: str,
    display_name: str,
    database: str,
    dependencies: tuple[str, ...],
    mypy_plugins: tuple[str, ...],
    app_factory: str,
) -> Framework:
    """A starter on the shared async database layer and migrations, served by granian over ASGI.

    `dependencies` and `mypy_plugins` are the framework's own, `app_factory` is the
    `module:function` that builds the app.
    """
    return Framework(
        key=key,
        display_name=display_name,
        packaged=True,
        dependencies=(*_async_sqlalchemy_dependencies(database), *ASGI_SERVER, *dependencies),
        dev_dependencies=(*_sqlite_for_tests(database), "granian[reload]>=2.8", MYPY, PYTEST, RUFF),
        mypy_plugins=mypy_plugins,
        pytest_options=(),
        typed_paths=("src", "tests", "migrations"),
        secret=None,
        migrate_argv=("alembic", "upgrade", "head"),
        dev_command=(
            "uv run granian --interface asgi --factory --reload --reload-paths src --port 8000 "
            + app_factory
        ),
        makemigrations_command='uv run alembic revision --autogenerate -m "$(m)"',
        lint_commands=(),
        runtime_paths=("alembic.ini", "migrations"),
        build_steps=(),
        build_packages=(),
        runtime_packages=(),
        compose_env=(),
        settings=ASYNC_SQLALCHEMY_SETTINGS,
        prose=_prose(key, pyproject_tables=False),
    )


# FastAPI's own dependencies, in the starter and in Django + FastAPI's api service alike.
FASTAPI_DEPENDENCIES: Final = (
    "fastapi>=0.121",
    "fastapi-offline>=1.7",
    "httpx>=0.28",
    "orjson>=3.10.7",
    "pydantic>=2.8.2",
    "pydantic-settings>=2.7",
)


def fastapi(database: str, package: str) -> Framework:
    return _async_sqlalchemy_framework(
        key="fastapi",
        display_name="FastAPI",
        database=database,
        dependencies=FASTAPI_DEPENDENCIES,
        mypy_plugins=("pydantic.mypy",),
        app_factory=f"{package}.main:create_app",
    )


def django(database: str, package: str) -> Framework:
    # mysqlclient is the driver Django supports for MySQL/MariaDB; it compiles against
    # libmariadb, and Django 6.1 refuses releases before 2.2.1. psycopg-pool is named for its
    # floor: drain() (3.3) replaces the connections of a restarted server.
    driver = {
        "postgresql": ("psycopg[binary]>=3.2", "psycopg-pool>=3.3"),
        "mysql": ("mysqlclient>=2.2.1",),
        "sqlite": (),
    }
    mysql = database == "mysql"
    return Framework(
        key="django",
        display_name="Django",
        # A Django project is run from its directory (manage.py, python -m <package>).
        packaged=False,
        dependencies=(
            *driver[database],
            "django>=6.1",
            "django-environ>=0.12",
            "django-stubs-ext>=6.1",
            "granian>=2.5.3",
            "httpx>=0.28",
            "orjson>=3.10.7",
            "whitenoise>=6.9",
        ),
        # Development and tests run on SQLite (in the standard library) whatever the
        # production database; django-stubs brings the mypy it is compatible with.
        dev_dependencies=(
            "django-stubs[compatible-mypy]>=6.1",
            PYTEST,
            "pytest-django>=4.13",
            RUFF,
        ),
        mypy_plugins=("mypy_django_plugin.main",),
        pytest_options=(("DJANGO_SETTINGS_MODULE", "config.settings.test"),),
        typed_paths=("manage.py", "config", package, "tests"),
        # Django's own minimum (what `check --deploy` and the production settings demand).
        secret=Secret("DJANGO_SECRET_KEY", 50),
        migrate_argv=("python", "manage.py", "migrate"),
        dev_command="uv run python manage.py runserver",
        makemigrations_command=(
            "uv run python manage.py makemigrations --name \"$$(echo '$(m)' | tr ' -' __)\""
        ),
        lint_commands=("uv run python manage.py makemigrations --check --dry-run",),
        runtime_paths=("manage.py", "config", package, "staticfiles"),
        # The image serves the static files collected here, hashed and compressed (WhiteNoise).
        build_steps=("uv run --no-sync python manage.py collectstatic --noinput",),
        build_packages=("build-essential", "pkg-config", "default-libmysqlclient-dev")
        if mysql
        else (),
        runtime_packages=("libmariadb3",) if mysql else (),
        # Compose serves plain HTTP on localhost, without the TLS proxy production puts in front.
        compose_env=(
            ("DJANGO_ALLOWED_HOSTS", "${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1}"),
            ("DJANGO_SECURE_SSL_REDIRECT", "${DJANGO_SECURE_SSL_REDIRECT:-false}"),
        ),
        settings=_django_settings(database),
        prose=_prose("django", pyproject_tables=True),
    )


def _django_settings(database: str) -> tuple[Setting, ...]:
    in_the_shell = "Set in the shell, not here: "
    settings = [
        Setting(
            "ENVIRONMENT",
            "development",
            in_the_shell + "development, test or production (the image's). Unset, `make serve` "
            "runs production and manage.py development",
        ),
        Setting(
            "DJANGO_SETTINGS_MODULE",
            "config.settings.production",
            in_the_shell + "a settings module that overrides ENVIRONMENT's choice",
        ),
        Setting(
            "DJANGO_ALLOWED_HOSTS",
            "api.example.com",
            "Host names the site answers to, comma-separated; required in production",
        ),
        Setting(
            "DJANGO_SECURE_SSL_REDIRECT",
            "true",
            "Production: redirect HTTP to HTTPS (false only when nothing in front terminates TLS)",
        ),
        Setting(
            "DJANGO_ADMIN_URL",
            "admin/",
            "Where the Django admin lives; a less guessable path keeps scanners away",
        ),
        HOST,
        PORT,
        WEB_CONCURRENCY,
        Setting("WEB_THREADS", "4", "Threads per worker, each serving one request at a time"),
        MAX_BODY_SIZE,
    ]
    if database != "sqlite":
        settings.append(WHOLE_SECONDS_CONNECT_TIMEOUT)
    if database == "postgresql":
        settings += [
            Setting(
                "DB_POOL_SIZE",
                "4",
                "Connections in each worker's pool (defaults to WEB_THREADS: one per thread)",
            ),
            DB_POOL_TIMEOUT,
            DB_POOL_PRE_PING,
        ]
    return (*settings, HEALTH_TIMEOUT, HTTP_TIMEOUT, ACCESS_LOG, LOG_LEVEL)


def flask(database: str, package: str) -> Framework:
    # psycopg's binary wheel bundles libpq, so the slim runtime image needs no system packages.
    driver = {"postgresql": ("psycopg[binary]>=3.2",), "mysql": ("pymysql>=1.1",), "sqlite": ()}
    return Framework(
        key="flask",
        display_name="Flask",
        packaged=True,
        dependencies=(
            *driver[database],
            "alembic>=1.14",
            "flask>=3.1",
            "flask-migrate>=4.1",
            "flask-smorest>=0.46",
            "flask-sqlalchemy>=3.1",
            "flask-swagger-ui>=5.21",
            "granian>=2.8.2",
            "marshmallow>=4.0",
            "orjson>=3.10.7",
            "python-dotenv>=1.1",
            "sqlalchemy>=2.0.42",
            "webargs>=8.6",
        ),
        # Development and tests run on SQLite (in the standard library).
        dev_dependencies=(MYPY, PYTEST, RUFF),
        mypy_plugins=(),
        pytest_options=(),
        typed_paths=("src", "tests", "migrations"),
        secret=None,
        migrate_argv=("flask", "--app", package, "db", "upgrade"),
        dev_command=f"uv run flask --app {package} run --debug --port 8000",
        makemigrations_command=f'uv run flask --app {package} db migrate -m "$(m)"',
        lint_commands=(),
        runtime_paths=("migrations",),
        build_steps=(),
        build_packages=(),
        runtime_packages=(),
        compose_env=(),
        settings=(
            ENVIRONMENT,
            HOST,
            PORT,
            WEB_CONCURRENCY,
            Setting(
                "WEB_THREADS",
                "4",
                "Threads per worker; each worker's database pool holds as many connections",
            ),
            MAX_BODY_SIZE,
            WHOLE_SECONDS_CONNECT_TIMEOUT,
            DB_POOL_TIMEOUT,
            DB_POOL_PRE_PING,
            HEALTH_TIMEOUT,
            ACCESS_LOG,
            LOG_LEVEL,
        ),
        prose=_prose("flask", pyproject_tables=True),
    )


def litestar(database: str, package: str) -> Framework:
    return _async_sqlalchemy_framework(
        key="litestar",
        display_name="Litestar",
        database=database,
        dependencies=(
            # 1.12: the model protocol strict mypy accepts for any declarative model (earlier
            # releases typed __table__ as an instance attribute); get_many_and_count (1.10).
            "advanced-alchemy>=1.12",
            "httpx>=0.28",
            "litestar>=2.23",
            "msgspec>=0.19",
            "orjson>=3.10.7",
            "python-dotenv>=1.1",  # reads the development .env file
            # Swagger UI's files, served by the app instead of a CDN.
            "swagger-ui-py>=25.7.1",
        ),
        mypy_plugins=(),
        app_factory=f"{package}.app:create_app",
    )


# --- Django + FastAPI: two services on one database --------------------------------------

WEBHOOK_SECRET: Final = Secret(
    "WEBHOOK_SECRET", 32, purpose="Key webhook senders sign each delivery's body with (HMAC-SHA256)"
)
API_PORT: Final = 8001


def fastapi_beside_django(database: str, package: str) -> Framework:
    """The FastAPI service of Django + FastAPI: async reads of Django's tables and signed
    webhooks. It has no migrations: Django's define every table, this service's included."""
    return Framework(
        key="fastapi",
        display_name="FastAPI",
        packaged=True,
        dependencies=(
            ASYNC_DRIVERS[database],
            "sqlalchemy[asyncio]>=2.0.42",
            *ASGI_SERVER,
            *FASTAPI_DEPENDENCIES,
        ),
        dev_dependencies=(ASYNC_DRIVERS["sqlite"], "granian[reload]>=2.8", MYPY, PYTEST, RUFF),
        mypy_plugins=("pydantic.mypy",),
        pytest_options=(),
        typed_paths=("src", "tests"),
        secret=WEBHOOK_SECRET,
        migrate_argv=(),
        dev_command=(
            "uv run granian --interface asgi --factory --reload --reload-paths src "
            f"--port {API_PORT} {package}.main:create_app"
        ),
        makemigrations_command="",
        lint_commands=(),
        runtime_paths=(),
        build_steps=(),
        build_packages=(),
        runtime_packages=(),
        compose_env=(),
        settings=ASYNC_SQLALCHEMY_SETTINGS,
        prose=Prose(
            readme_layout=f"{PARTIALS}/fastapi/readme-layout.md.jinja",
            readme_server=f"{PARTIALS}/fastapi/readme-server.md.jinja",
            server_decision=f"{PARTIALS}/fastapi/server-decision.md.jinja",
            pyproject_tables=f"{PARTIALS}/django_fastapi/api-pyproject.toml.jinja",
        ),
        # pytest-django, installed for the Django service, stays out of these tests: they set
        # Django up themselves, on the database they migrate.
        pytest_addopts=("-p", "no:django"),
    )


def django_fastapi_services(
    database: str, package: str, components: tuple[Component, ...]
) -> tuple[Service, ...]:
    """Django in web/, owning the schema; FastAPI in api/, with a package of its own (both
    share one environment in development, so their import names must differ)."""
    # Two services writing one SQLite file would queue on its lock; the prompt refuses it too.
    _require(database != "sqlite", "Django + FastAPI needs a database server, not SQLite")
    web = Service(
        name="web",
        directory="web",
        distribution_suffix="-web",
        package=package,
        framework=django(database, package),
        components=components,
        serve_target="serve",
        port=8000,
    )
    return (
        web,
        Service(
            name="api",
            directory="api",
            distribution_suffix="-api",
            package=f"{package}_api",
            framework=fastapi_beside_django(database, f"{package}_api"),
            components=(),
            serve_target="serve-api",
            port=API_PORT,
            test_members=(web,),
        ),
    )


# Frameworks whose projects hold several services, and how to build them.
@dataclass(frozen=True)
class ServiceSet:
    """A framework answer whose projects hold several services, and how to build them."""

    display_name: str
    services: Callable[[str, str, tuple[Component, ...]], tuple[Service, ...]]


MULTI_SERVICE: Final = {"django_fastapi": ServiceSet("Django + FastAPI", django_fastapi_services)}


FRAMEWORKS: Final[dict[str, Callable[[str, str], Framework]]] = {
    "fastapi": fastapi,
    "django": django,
    "flask": flask,
    "litestar": litestar,
    # The framework of the service that owns the schema; MULTI_SERVICE adds the others.
    "django_fastapi": django,
}


def components_for(answers: Mapping[str, Any]) -> tuple[Component, ...]:
    """The optional parts the answers switch on, in the order their contributions appear."""
    components: list[Component] = []
    if answers["framework"] == "django":
        components.append(DJANGO_API_LAYERS[answers["django_api"]])
    if answers["framework"] == "django_fastapi":
        # The FastAPI service answers byte-for-byte what Django's API does: ninja's JSON.
        components.append(DJANGO_NINJA)
    _require(answers["cache"] in CACHES, f"no profile for cache {answers['cache']!r}")
    if cache := CACHES[answers["cache"]]:
        components.append(cache)
    queue = answers["task_queue"]
    _require(queue in TASK_QUEUES, f"no profile for task_queue {queue!r}")
    if task_queue := TASK_QUEUES[queue]:
        _require(answers["broker"] in BROKERS, f"no profile for broker {answers['broker']!r}")
        broker = BROKERS[answers["broker"]]
        components.append(
            background_jobs(task_queue, broker, answers["framework"], answers["package_name"])
        )
    auth = answers["auth"]
    _require(auth in ("none", "users"), f"no profile for auth {auth!r}")
    if auth == "users":
        components.append(users(answers["framework"], answers["package_name"]))
        # The admin signs staff in with the users' accounts. Without users the API has no
        # accounts for it yet: those projects get no admin screen (their README says so).
        if answers["needs_admin_ui"] and (admin_screen := admin(answers["framework"])):
            components.append(admin_screen)
    return tuple(components)


# --- The stack ----------------------------------------------------------------------------

# What every stack shares: the production server is the package's own entry point
# (`python -m <package>`), the image runs production settings, development runs on SQLite.
DEV_DATABASE_URL: Final = "sqlite:///./dev.sqlite3"
PRODUCTION_ENV: Final = (("ENVIRONMENT", "production"),)


_SERVICE_NAME = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True)
class Service:
    """One server the project deploys: its framework and components, where its code lives and
    how production runs it.

    A project of one service keeps its code at the repository root. A project of several is a
    uv workspace: each service is a member in a folder of its own, with its own dependencies,
    tests and image.
    """

    name: str  # the compose service that runs it
    directory: str  # "." for the repository root, else the member's folder
    distribution_suffix: str  # appended to the project's slug to name its distribution
    package: str  # what `python -m <package>` serves
    framework: Framework
    components: tuple[Component, ...]
    serve_target: str  # `make <serve_target>` runs it exactly as its image does
    port: int
    # Other services whose code this one's tests run (a development dependency on them).
    test_members: tuple[Service, ...] = ()

    def __post_init__(self) -> None:
        owner = f"service {self.name!r}"
        _require(bool(_SERVICE_NAME.fullmatch(self.name)), owner)
        _require(
            self.directory == "." or bool(_SERVICE_NAME.fullmatch(self.directory)),
            f"{owner}: directory {self.directory!r}",
        )
        _require(bool(_MAKE_TARGET.fullmatch(self.serve_target)), f"{owner}: serve_target")
        _require(0 < self.port < 65536, f"{owner}: port {self.port}")
        _check_unique(f"{owner}: dependency", [_requirement_name(d) for d in self.dependencies])
        _check_unique(
            f"{owner}: dev dependency", [_requirement_name(d) for d in self.dev_dependencies]
        )

    @property
    def serve_argv(self) -> tuple[str, ...]:
        return ("python", "-m", self.package)

    @property
    def compose_build(self) -> str:
        """compose.yaml's `build:` for this service's image (a flow mapping naming its target)."""
        return "." if self.directory == "." else "{ context: ., target: " + self.name + " }"

    @property
    def dependencies(self) -> list[str]:
        extra = [d for component in self.components for d in component.dependencies]
        return sorted([*self.framework.dependencies, *extra], key=_requirement_name)

    @property
    def dev_dependencies(self) -> list[str]:
        extra = [d for component in self.components for d in component.dev_dependencies]
        return sorted([*self.framework.dev_dependencies, *extra], key=_requirement_name)

    @property
    def mypy_plugins(self) -> list[str]:
        extra = [p for component in self.components for p in component.mypy_plugins]
        return [*self.framework.mypy_plugins, *extra]

    @property
    def secrets(self) -> list[Secret]:
        """The secrets this service requires: its framework's and its components', once each."""
        found = (self.framework.secret, *(c.secret for c in self.components))
        return list(dict.fromkeys(secret for secret in found if secret is not None))

    @property
    def compose_env(self) -> list[tuple[str, str]]:
        """The service's environment in compose.yaml beyond its secret and DATABASE_URL."""
        extra = [pair for component in self.components for pair in component.compose_env]
        return [*self.framework.compose_env, *extra]


def _in(service: Service, command: str) -> str:
    """`command` as run from `service`'s folder."""
    return command if service.directory == "." else f"cd {service.directory} && {command}"


def _check_unique(kind: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        _require(name not in seen, f"{kind} {name!r} is contributed twice")
        seen.add(name)


@dataclass(frozen=True)
class Stack:
    """Everything the shared files read, merged from the framework, database and components.

    `services` are the servers the project deploys; a stack built without them has one, the
    framework's app at the repository root.
    """

    framework: Framework
    database: Database
    components: tuple[Component, ...]
    package: str
    services: tuple[Service, ...] = ()
    # The `framework` answer, for a stack of several services: its prose lives in
    # template/_partials/<name>/.
    name: str = ""

    def __post_init__(self) -> None:
        if not self.services:
            app = Service(
                name="app",
                directory=".",
                distribution_suffix="",
                package=self.package,
                framework=self.framework,
                components=self.components,
                serve_target="serve",
                port=8000,
            )
            object.__setattr__(self, "services", (app,))
        _check_unique("setting", [s.name for s in self.settings])
        _check_unique(
            "compose service",
            [
                *(s.name for s in self.compose_services),
                "migrate",
                *(s.name for s in self.services),
                *(worker.name for _, worker in self.workers),
            ],
        )
        _check_unique("make target", self.phony_targets)

    # Python packaging and tooling --------------------------------------------------------

    @property
    def root_pyproject(self) -> str:
        """The partial that renders the repository's pyproject.toml."""
        name = "workspace" if self.is_workspace else "project"
        return f"{PARTIALS}/pyproject/{name}.toml.jinja"

    @property
    def serve_argv(self) -> tuple[str, ...]:
        """The production command of the project's first service."""
        return self.services[0].serve_argv

    @property
    def dependencies(self) -> list[str]:
        return self.services[0].dependencies

    @property
    def dev_dependencies(self) -> list[str]:
        return self.services[0].dev_dependencies

    @property
    def mypy_plugins(self) -> list[str]:
        return self.services[0].mypy_plugins

    # Settings and secrets ----------------------------------------------------------------

    @property
    def secret(self) -> Secret | None:
        """The one service's signing key (the README of a single service names it)."""
        return next(iter(self.services[0].secrets), None)

    @property
    def secrets(self) -> list[Secret]:
        """Every service's secrets, each once, in the order of the services."""
        found = [secret for service in self.services for secret in service.secrets]
        return list(dict.fromkeys(found))

    @property
    def settings(self) -> list[Setting]:
        """What .env.example documents: the services' settings (a name they share once, where
        it first appears), then the components'."""
        first: dict[str, Setting] = {}
        for service in self.services:
            for setting in service.framework.settings:
                first.setdefault(setting.name, setting)
        extra = [s for component in self.components for s in component.settings]
        return [*first.values(), *extra]

    @property
    def dev_database_url(self) -> str:
        # Services run from their own folders: an absolute path makes them share one file.
        return (
            DEV_DATABASE_URL.replace("./", "$(CURDIR)/") if self.is_workspace else DEV_DATABASE_URL
        )

    @property
    def runtime_env(self) -> tuple[tuple[str, str], ...]:
        return PRODUCTION_ENV

    @property
    def production_switch(self) -> str:
        return "=".join(PRODUCTION_ENV[0])

    # The image ---------------------------------------------------------------------------

    @property
    def dockerfile(self) -> str:
        """The partial that renders the Dockerfile: one image, or one target per service."""
        name = "workspace" if self.is_workspace else "one-service"
        return f"{PARTIALS}/docker/{name}.Dockerfile.jinja"

    @property
    def build_packages(self) -> list[str]:
        extra = [p for component in self.components for p in component.build_packages]
        return [*self.framework.build_packages, *extra]

    @property
    def runtime_packages(self) -> list[str]:
        extra = [p for component in self.components for p in component.runtime_packages]
        return [*self.framework.runtime_packages, *extra]

    # compose.yaml --------------------------------------------------------------------------

    @property
    def compose_services(self) -> list[ComposeService]:
        """The backing services, each healthy before migrations run and the app starts."""
        database = [self.database.compose_service] if self.database.compose_service else []
        services = [*database, *(s for c in self.components for s in c.compose_services)]
        return list(dict.fromkeys(services))  # Redis for the cache and the broker: once

    @property
    def app_volumes(self) -> list[str]:
        """Volumes the migrate and app containers mount (a file database lives in one)."""
        return [self.database.app_volume] if self.database.app_volume else []

    @property
    def volume_names(self) -> list[str]:
        services = [service.volume_name for service in self.compose_services]
        return [*(v.split(":", 1)[0] for v in self.app_volumes), *services]

    # Makefile and CI ----------------------------------------------------------------------

    @property
    def display_name(self) -> str:
        several = MULTI_SERVICE.get(self.name)
        return several.display_name if several else self.framework.display_name

    @property
    def is_workspace(self) -> bool:
        """Several services, each a uv workspace member in its own folder."""
        return len(self.services) > 1

    @property
    def uv_sync(self) -> str:
        """The command that installs the project, every service of it, for development."""
        return "uv sync --all-packages" if self.is_workspace else "uv sync"

    @property
    def schema_owner(self) -> Service:
        """The service whose migrations define the database: the only one that has any."""
        return self.services[0]

    @property
    def core_targets(self) -> list[MakeTarget]:
        """The Makefile's own targets after `help`, each run from the right folder."""
        owner = self.schema_owner
        dev_env = "DATABASE_URL=$(DEV_DATABASE_URL) "
        migrate = "uv run " + " ".join(owner.framework.migrate_argv)
        if self.is_workspace:
            install = MakeTarget(
                "install",
                "Install every service and its development tools",
                (self.uv_sync,),
            )
            # One shell runs every server in the background. Ctrl-C (or the shell's end) runs
            # the trap, which stops everything it started: kill 0 signals the whole process
            # group, reloaders included. INT must be trapped too: a shell that SIGINT kills
            # skips its EXIT trap, and background jobs ignore SIGINT.
            servers = [
                f"({_in(service, dev_env + service.framework.dev_command)}) & \\"
                for service in self.services
            ]
            ports = ", ".join(
                f"{service.framework.display_name} on :{service.port}" for service in self.services
            )
            dev = MakeTarget(
                "dev",
                f"Run every reloading server on SQLite: {ports}",
                (
                    _in(owner, dev_env + migrate),
                    "trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \\",
                    *servers,
                    "wait",
                ),
            )
            lint_types = tuple(_in(service, "uv run mypy") for service in self.services)
        else:
            install = MakeTarget(
                "install", "Install the project and its development tools", (self.uv_sync,)
            )
            dev = MakeTarget(
                "dev",
                "Run the reloading development server on SQLite (no set-up needed)",
                (dev_env + migrate, dev_env + owner.framework.dev_command),
            )
            lint_types = ("uv run mypy",)
        return [
            install,
            dev,
            MakeTarget(
                "test",
                "Run the tests (SQLite; set DATABASE_URL to test against a server)",
                tuple(_in(service, "uv run pytest") for service in self.services),
            ),
            MakeTarget(
                "lint",
                "Lint, check formatting and types",
                (
                    "uv run ruff check .",
                    "uv run ruff format --check .",
                    *lint_types,
                    *(_in(owner, command) for command in owner.framework.lint_commands),
                ),
            ),
            MakeTarget(
                "format",
                "Fix lint findings and format the code",
                ("uv run ruff check --fix .", "uv run ruff format ."),
            ),
            MakeTarget(
                "migrate",
                "Apply migrations to DATABASE_URL (or the development database)",
                (_in(owner, migrate),),
            ),
            MakeTarget(
                "migration",
                'Create a migration from model changes: make migration m="add colour"',
                (_in(owner, owner.framework.makemigrations_command),),
            ),
            *(
                MakeTarget(
                    service.serve_target,
                    f"Run {self._server_name(service)} (HOST, PORT, WEB_CONCURRENCY from the "
                    "environment)",
                    (_in(service, "uv run " + " ".join(service.serve_argv)),),
                )
                for service in self.services
            ),
        ]

    @property
    def mypy_hooks(self) -> list[dict[str, str]]:
        """pre-commit's mypy hooks: one per service, each with its own settings and plugins."""
        if not self.is_workspace:
            return [{"id": "mypy", "name": "mypy", "entry": "uv run mypy", "files": ""}]
        return [
            {
                "id": f"mypy-{service.name}",
                "name": f"mypy ({service.name})",
                "entry": f"sh -c '{_in(service, 'uv run mypy')}'",
                "files": f"^{service.directory}/",
            }
            for service in self.services
        ]

    def _server_name(self, service: Service) -> str:
        if self.is_workspace:
            return f"{service.framework.display_name}'s production server"
        return "the production server"

    @property
    def workers(self) -> list[tuple[Service, Worker]]:
        """The processes beside the servers, each with the service whose image and
        environment it runs with."""
        return [
            (service, component.worker)
            for service in self.services
            for component in service.components
            if component.worker is not None
        ]

    @property
    def make_targets(self) -> list[MakeTarget]:
        workers = [
            MakeTarget(
                worker.name,
                worker.help,
                (
                    _in(
                        service,
                        "DATABASE_URL=$${DATABASE_URL:-$(DEV_DATABASE_URL)} uv run "
                        + " ".join(worker.argv),
                    ),
                ),
            )
            for service, worker in self.workers
        ]
        return [*(t for c in self.components for t in c.make_targets), *workers]

    @property
    def phony_targets(self) -> list[str]:
        core = [target.name for target in self.core_targets]
        return ["help", *core, *(target.name for target in self.make_targets)]

    @property
    def ci_steps(self) -> list[CiStep]:
        return [step for component in self.components for step in component.ci_steps]

    @property
    def ci_env(self) -> list[tuple[str, str]]:
        """The CI test job's environment beyond DATABASE_URL: the components' services."""
        return [pair for component in self.components for pair in component.ci_env]

    @property
    def ci_services(self) -> list[CiService]:
        database = [self.database.ci_service] if self.database.ci_service else []
        services = [*database, *(s for c in self.components for s in c.ci_services)]
        return list(dict.fromkeys(services))

    # README ---------------------------------------------------------------------------

    @property
    def readme(self) -> str:
        """The partial that renders the README: one service's, or the workspace's."""
        if self.is_workspace:
            return f"{PARTIALS}/{self.name}/readme.md.jinja"
        return f"{PARTIALS}/readme/one-service.md.jinja"

    @property
    def consequences(self) -> list[str]:
        """The components' lines in the decision record's consequences."""
        return [c.consequence for c in self.components if c.consequence]

    @property
    def readme_sections(self) -> list[str]:
        return [s for component in self.components for s in component.readme_sections]


@lru_cache(maxsize=64)
def _cached_stack(framework: str, database: str, package: str, options: tuple[Any, ...]) -> Stack:
    answers = {"framework": framework, "database": database, "package_name": package}
    answers.update(dict(options))
    _require(framework in FRAMEWORKS, f"no profile for framework {framework!r}")
    _require(database in DATABASES, f"no profile for database {database!r}")
    components = components_for(answers)
    services = (
        MULTI_SERVICE[framework].services(database, package, components)
        if framework in MULTI_SERVICE
        else ()
    )
    return Stack(
        framework=FRAMEWORKS[framework](database, package),
        database=DATABASES[database],
        components=components,
        package=package,
        services=services,
        name=framework,
    )


# Answers beyond framework, database and package that choose components, and when the
# questionnaire asks each (Copier leaves a question out when it is not asked).
COMPONENT_QUESTIONS: Final[dict[str, Callable[[Mapping[str, Any]], bool]]] = {
    "django_api": lambda answers: answers["framework"] == "django",
    "cache": lambda answers: True,
    "task_queue": lambda answers: True,
    "broker": lambda answers: answers.get("task_queue", "none") != "none",
    "auth": lambda answers: True,
    "needs_admin_ui": lambda answers: True,
}


def build_stack(answers: Mapping[str, Any]) -> Stack:
    """The project's stack from its answers; a missing answer or fact raises ProfileError."""
    for name in ("framework", "database", "package_name"):
        _require(name in answers, f"answer {name!r} is missing")
    asked = [question for question, is_asked in COMPONENT_QUESTIONS.items() if is_asked(answers)]
    for question in asked:
        _require(question in answers, f"answer {question!r} is missing")
    options = tuple((question, answers[question]) for question in asked)
    return _cached_stack(
        answers["framework"], answers["database"], answers["package_name"], options
    )


@pass_context
def project_stack(context: Context) -> Stack:
    """The stack of the project being rendered, from the answers in the template context."""
    names = ("framework", "database", "package_name", *COMPONENT_QUESTIONS)
    return build_stack({name: context[name] for name in names if name in context})


# YAML 1.1 reads these plain scalars as booleans, nulls or numbers; compose.yaml must say strings.
_YAML_SPECIAL = re.compile(
    r"(?i)y|yes|n|no|true|false|on|off|null|~|[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?|"
    r"[-?:,\[\]{}#&*!|>'\"%@`].*|.*(: | #).*|\s.*|.*\s"
)


def yaml_scalar(value: str) -> str:
    """`value` as a YAML string scalar: plain where YAML reads it as text, else double-quoted."""
    value = str(value)  # an undefined name (a misspelled fact) raises here, naming itself
    if _YAML_SPECIAL.fullmatch(value):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


class ProfilesExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals["project_stack"] = project_stack
        environment.filters["yaml_scalar"] = yaml_scalar
