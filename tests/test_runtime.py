"""Generate, install, lint, migrate, test, serve and probe whole projects (slow).

Each row is one generated project, proven end to end against the machine's real PostgreSQL
and MariaDB. The rows cover the answers pairwise rather than exhaustively: every framework
variant meets every database (15 rows), and the Python version and the dependency
resolution (the lock's newest versions, or every direct dependency at its floor with
`--resolution lowest-direct`) are spread so that every pair of values of any two of the four
dimensions appears in some row. Quick runs skip all of it with `-m "not runtime"`.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import yaml
from copier import run_copy

from admin_walk import check_admin_walk
from auth_walk import check_auth_walk, sign_up
from cache_walk import check_cache_walk
from conftest import IDENTITY
from contract import check_contract, check_health, check_not_ready
from harness import (
    Image,
    TcpProxy,
    compose_app_environment,
    dockerfile_runtime_env,
    free_port,
    project_environment,
    replay_dockerfile,
    run,
    serve,
    throwaway_database,
)
from jobs_walk import (
    Broker,
    broker_for,
    check_jobs_walk,
    check_succeeded,
    check_worker_healthcheck,
    enqueue,
    item_total,
    run_worker,
    wait_until_done,
    worker_healthcheck,
)
from resilience import (
    PROXY_HEADERS,
    check_docs_render_offline,
    check_graceful_shutdown,
    check_outage_under_readers,
    run_schemathesis,
    tool,
)

pytestmark = pytest.mark.runtime

REDIS_SERVER = "redis://127.0.0.1:6379"


def _label(answer: str, value: Any) -> str:
    """An answer's part of a row's id; a yes/no answer reads as its name or no-name."""
    if isinstance(value, bool):
        name = FLAG_LABELS[answer]
        return name if value else f"no-{name}"
    return str(value)


FLAG_LABELS = {"needs_admin_ui": "admin"}


@dataclass(frozen=True)
class Row:
    framework: str
    database: str
    python: str
    resolution: str  # "highest" (what the lock picks) or "lowest-direct" (every floor)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return "-".join(
            [
                self.framework,
                *(_label(name, value) for name, value in self.extra.items()),
                self.database,
                self.python,
                "lowest" if self.resolution == "lowest-direct" else "locked",
            ]
        )

    @property
    def answers(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "database": self.database,
            "python_version": self.python,
            **self.extra,
        }


LOWEST = "lowest-direct"
NINJA, DRF = {"django_api": "ninja"}, {"django_api": "drf"}
NO_CACHE, REDIS = {"cache": "none"}, {"cache": "redis"}
NO_JOBS = {"task_queue": "none"}
OPEN, USERS = {"auth": "none"}, {"auth": "users"}
ADMIN, NO_ADMIN = {"needs_admin_ui": True}, {"needs_admin_ui": False}
CELERY_REDIS = {"task_queue": "celery", "broker": "redis"}
CELERY_RABBITMQ = {"task_queue": "celery", "broker": "rabbitmq"}
TASKIQ_REDIS = {"task_queue": "taskiq", "broker": "redis"}
TASKIQ_RABBITMQ = {"task_queue": "taskiq", "broker": "rabbitmq"}
# Every (variant, database) pair; Python, resolution, cache, task queue, broker, auth and the
# admin screen placed so that each pair of values across all nine occurs at least once (taskiq
# only where the request path is async; the broker only with a task queue). test_matrix.py
# checks this.
ROWS: list[Row] = [
    Row("fastapi", "sqlite", "3.12", LOWEST, NO_CACHE | NO_JOBS | OPEN | ADMIN),
    Row("fastapi", "postgresql", "3.13", "highest", REDIS | CELERY_REDIS | OPEN | NO_ADMIN),
    Row("fastapi", "mysql", "3.13", LOWEST, REDIS | TASKIQ_RABBITMQ | OPEN | NO_ADMIN),
    Row("fastapi", "postgresql", "3.12", "highest", NO_CACHE | TASKIQ_REDIS | USERS | ADMIN),
    Row(
        "django", "sqlite", "3.13", "highest", NINJA | NO_CACHE | CELERY_RABBITMQ | OPEN | NO_ADMIN
    ),
    Row("django", "postgresql", "3.12", LOWEST, NINJA | REDIS | NO_JOBS | USERS | ADMIN),
    Row("django", "mysql", "3.12", "highest", NINJA | NO_CACHE | CELERY_REDIS | OPEN | NO_ADMIN),
    Row("django", "sqlite", "3.13", LOWEST, DRF | REDIS | CELERY_REDIS | OPEN | NO_ADMIN),
    Row(
        "django", "postgresql", "3.12", "highest", DRF | NO_CACHE | CELERY_RABBITMQ | USERS | ADMIN
    ),
    Row("django", "mysql", "3.13", "highest", DRF | REDIS | NO_JOBS | USERS | ADMIN),
    Row("flask", "sqlite", "3.12", "highest", REDIS | CELERY_RABBITMQ | OPEN | NO_ADMIN),
    Row("flask", "postgresql", "3.13", LOWEST, NO_CACHE | CELERY_REDIS | USERS | ADMIN),
    Row("flask", "mysql", "3.12", LOWEST, REDIS | NO_JOBS | USERS | ADMIN),
    Row("litestar", "sqlite", "3.13", "highest", NO_CACHE | TASKIQ_REDIS | USERS | ADMIN),
    Row("litestar", "postgresql", "3.12", LOWEST, REDIS | CELERY_RABBITMQ | USERS | NO_ADMIN),
    Row("litestar", "mysql", "3.13", LOWEST, NO_CACHE | NO_JOBS | OPEN | NO_ADMIN),
]
# Each row with a cache has a Redis database of its own (rows run in parallel, and every
# project caches under the same package name); test_runtime_pair uses 9. Each row with a Redis
# broker has one too, from 10 (a RabbitMQ broker gets a virtual host of its own instead).
REDIS_DATABASES = {
    row.id: number
    for number, row in enumerate((row for row in ROWS if row.extra.get("cache") == "redis"), 1)
}
# Schemathesis and the docs page in a browser: on the PostgreSQL rows, one per variant with
# users (schemathesis then holds a token) and FastAPI's without.
FUZZED_ROWS = {row.id for row in ROWS if row.database == "postgresql"}
BROKER_DATABASES = {
    row.id: number
    for number, row in enumerate((row for row in ROWS if row.extra.get("broker") == "redis"), 10)
}


def generate_project(template_dir: Path, destination: Path, row: Row) -> Path:
    run_copy(
        str(template_dir),
        destination,
        data={**IDENTITY, **row.answers},
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    return destination


@pytest.fixture(params=ROWS, ids=lambda row: row.id)
def row(request: pytest.FixtureRequest) -> Row:
    value: Row = request.param
    return value


@pytest.fixture
def project(template_dir: Path, tmp_path: Path, row: Row) -> Path:
    return generate_project(template_dir, tmp_path / "project", row)


def row_environment(row: Row, tmp_path: Path) -> dict[str, str]:
    """The project's commands' environment; `uv sync` resolves at the floors on lowest rows.

    Each row gets a temporary directory of its own: every row's package has the same name, and
    a worker keeps its heartbeat in the temporary directory under that name, so one row's
    running worker would otherwise make another row's "no worker has run" check see a fresh
    heartbeat (as each container has its own /tmp in production)."""
    temporary = tmp_path / "tmp"
    temporary.mkdir(exist_ok=True)
    extra = {"TMPDIR": str(temporary)}
    if row.resolution == LOWEST:
        extra["UV_RESOLUTION"] = row.resolution
    return project_environment(**extra)


@dataclass(frozen=True)
class Redis:
    """The row's own Redis database, emptied, reached through a proxy that can cut it off."""

    number: int
    proxy: TcpProxy

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.proxy.port}/{self.number}"

    @property
    def direct_url(self) -> str:
        return f"{REDIS_SERVER}/{self.number}"


@contextlib.contextmanager
def redis_database(number: int | None) -> Iterator[Redis | None]:
    """Redis database `number`, emptied, behind a proxy; None for a project without a cache."""
    if number is None:
        yield None
        return
    with redis.Redis.from_url(f"{REDIS_SERVER}/{number}") as client:
        client.flushdb()
    proxy = TcpProxy("127.0.0.1", 6379)
    proxy.start()
    try:
        yield Redis(number, proxy)
    finally:
        proxy.stop()


def row_redis(row: Row) -> contextlib.AbstractContextManager[Redis | None]:
    return redis_database(REDIS_DATABASES.get(row.id))


def row_broker(row: Row) -> contextlib.AbstractContextManager[Broker | None]:
    return broker_for(row.id, row.extra.get("broker"), BROKER_DATABASES.get(row.id))


def with_real_services(
    env: dict[str, str], cache: Redis | None, broker: Broker | None
) -> dict[str, str]:
    """`env` for the project's own tests: its cache tests run against Redis and its job tests
    a real worker on the broker, rather than skip."""
    services = {
        **({"REDIS_URL": cache.direct_url} if cache else {}),
        **({"BROKER_URL": broker.direct_url} if broker else {}),
    }
    return {**env, **services}


def production_environment(
    project: Path, database_url: str, cache: Redis | None, broker: Broker | None = None
) -> dict[str, str]:
    """What compose gives the app, on our database and, with a cache or a broker, ours."""
    production = compose_app_environment(project, database_url)
    if cache is not None:
        production["REDIS_URL"] = cache.url
    if broker is not None:
        production["BROKER_URL"] = broker.url
    return production


def test_project_lifecycle(project: Path, tmp_path: Path, row: Row) -> None:
    """The project as a team works with it, then as its image runs. One test rather than two:
    both use the row's own Redis databases and broker, which two tests running at once on two
    xdist workers would share."""
    with row_redis(row) as cache, row_broker(row) as broker:
        check_project_lifecycle(project, tmp_path, row, cache, broker)
    image_dir = tmp_path / "image"
    image_dir.mkdir()
    check_docker_image_equivalent_runs(project, image_dir, row)


def check_project_lifecycle(
    project: Path, tmp_path: Path, row: Row, cache: Redis | None, broker: Broker | None
) -> None:
    env = with_real_services(row_environment(row, tmp_path), cache, broker)

    run(["make", "install"], project, env)
    assert (project / "uv.lock").is_file()
    check_python_version(project, env, row.python)
    run(["make", "lint"], project, env)
    for name in required_production_variables(project):
        check_refuses_to_start_without(project, env, f"sqlite:///{tmp_path / 'x.sqlite3'}", name)

    if row.database == "sqlite":
        run(["make", "test"], project, env)
        database_url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
        figures = walk_served_project(project, tmp_path, env, database_url, None, cache, broker)
        report(row, figures)
        unreachable = f"sqlite:///{tmp_path / 'missing-dir' / 'app.sqlite3'}"
        check_unreachable_database(project, tmp_path, env, unreachable, cache, broker)
        return

    with throwaway_database(row.database) as server_url:
        # The project's own tests make (and drop) their own database beside this one.
        tested = run(["make", "test"], project, {**env, "DATABASE_URL": server_url})
        # Tests that need the real server (Django's pool check) run here rather than skip.
        assert " skipped" not in tested.stdout, tested.stdout[-3000:]
        host_port = server_url.split("@", 1)[1].split("/", 1)[0]
        host, port = host_port.rsplit(":", 1)
        proxy = TcpProxy(host, int(port))
        proxy.start()
        try:
            proxied_url = server_url.replace(host_port, f"127.0.0.1:{proxy.port}")
            figures = walk_served_project(
                project, tmp_path, env, proxied_url, proxy, cache, broker, row.id in FUZZED_ROWS
            )
            report(row, figures)
        finally:
            proxy.stop()


def check_python_version(project: Path, env: dict[str, str], version: str) -> None:
    result = run(["uv", "run", "python", "-c", "import sys; print(sys.version)"], project, env)
    assert result.stdout.startswith(version + "."), result.stdout


def walk_served_project(
    project: Path,
    tmp_path: Path,
    env: dict[str, str],
    database_url: str,
    proxy: TcpProxy | None,
    cache: Redis | None,
    broker: Broker | None,
    fuzz: bool = False,
) -> dict[str, Any]:
    """Migrate, start `make serve` as production would, walk the whole contract; the figures.

    With a cache, also the cache walk, Redis cut off included. With jobs, also the jobs walk
    (`make worker` started late, the broker cut off included). With a database proxy, also the
    outage under concurrent readers; with `fuzz` (one PostgreSQL row per framework variant),
    schemathesis over the OpenAPI document and the docs page in a browser. With users, first
    the users walk; the rest of the walk then writes with a user's token. With users and an
    admin screen, also the admin walk, through its sign-in form as a browser posts it.
    """
    production = production_environment(project, database_url, cache, broker)
    run(["make", "migrate"], project, {**env, **production})
    image_env = {**env, **production, **dockerfile_runtime_env(project)}
    figures: dict[str, Any] = {}
    checks = readiness_checks(cache, broker)
    owner: int | None = None
    with serve(
        ["make", "serve"], project, {**image_env, "WEB_CONCURRENCY": "2"}, tmp_path / "serve.log"
    ) as server:
        with httpx.Client(base_url=server.url, headers=PROXY_HEADERS, timeout=10) as client:
            if has_users(project):
                account, auth_figures = check_auth_walk(
                    client,
                    signing_key(production),
                    database_url,
                    server.output,
                    lambda email, password: make_superuser(project, image_env, email, password),
                )
                figures["auth"] = auth_figures.__dict__
                client.headers.update(account.bearer)
                owner = account.id
            check_contract(client, checks, owner)
            if has_admin(project):
                admin = check_admin_walk(
                    client,
                    project_answers(project)["framework"],
                    lambda email, password: make_superuser(project, image_env, email, password),
                )
                figures["admin"] = admin.__dict__
            if cache is not None:
                with redis.Redis.from_url(cache.direct_url) as direct:
                    walk = check_cache_walk(client, direct, cache.proxy, server.output, checks)
                figures["cache"] = walk.__dict__
            if broker is not None:
                others = {name: "ok" for name in checks if name != "broker"}
                jobs = check_jobs_walk(
                    client, ["make", "worker"], project, image_env, broker, others, tmp_path
                )
                figures["jobs"] = jobs.__dict__
        if proxy is not None:
            outage = check_outage_under_readers(server.url, proxy)
            figures["outage"] = outage.__dict__
            with httpx.Client(base_url=server.url, headers=PROXY_HEADERS, timeout=10) as client:
                check_health(client, checks)
        if fuzz:
            token = authorised_headers(server.url, project)
            figures["schemathesis_requests"] = run_schemathesis(server.url, tmp_path, token)
            figures["docs_operations"] = check_docs_render_offline(server.url, tmp_path)
        assert server.process.poll() is None, server.output()
    assert "Traceback" not in server.output(), server.output()
    return figures


def project_answers(project: Path) -> dict[str, Any]:
    answers: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return answers


def has_users(project: Path) -> bool:
    """Whether the project was made with `auth: users`."""
    return bool(project_answers(project).get("auth") == "users")


def has_admin(project: Path) -> bool:
    """Whether the project has an admin screen whose staff sign in with the users' accounts."""
    answers = project_answers(project)
    return bool(answers.get("auth") == "users" and answers.get("needs_admin_ui"))


def signing_key(production: dict[str, str]) -> str:
    """The key the served app signs its tokens with: Django's own, or SECRET_KEY."""
    return production.get("DJANGO_SECRET_KEY") or production["SECRET_KEY"]


def make_superuser(project: Path, env: dict[str, str], email: str, password: str) -> None:
    """`make superuser`, non-interactive, as a deployment's one-off job runs it."""
    created = run(
        ["make", "superuser"],
        project,
        {**env, "SUPERUSER_EMAIL": email, "SUPERUSER_PASSWORD": password},
    )
    assert email in created.stdout + created.stderr, created.stdout + created.stderr


def authorised_headers(base_url: str, project: Path) -> dict[str, str]:
    """A fresh user's bearer header, or none for a project without users."""
    if not has_users(project):
        return {}
    with httpx.Client(base_url=base_url, headers=PROXY_HEADERS, timeout=10) as client:
        return sign_up(client, f"user.{secrets.token_hex(4)}@example.com").bearer


def readiness_checks(cache: Redis | None, broker: Broker | None) -> list[str]:
    """What /health/ready names: the database, and the cache and the broker when there are."""
    return ["database", *(["cache"] if cache else []), *(["broker"] if broker else [])]


def report(row: Row, figures: dict[str, Any]) -> None:
    """Figures for the closing notes of a change (`pytest -rP` shows them)."""
    print(f"FIGURES {row.id} {json.dumps(figures)}")


def required_production_variables(project: Path) -> list[str]:
    """What compose insists on (`${NAME:?...}`), DATABASE_URL, which production needs, and
    REDIS_URL where compose names a cache."""
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    environment = compose["services"]["app"]["environment"]
    required = [
        name for name, value in environment.items() if str(value).startswith("${" + name + ":?")
    ]
    optional = [name for name in ("REDIS_URL", "BROKER_URL") if name in environment]
    return [*required, "DATABASE_URL", *optional]


def check_refuses_to_start_without(
    project: Path, env: dict[str, str], database_url: str, name: str
) -> None:
    """Production start-up with a required variable missing stops, naming the variable."""
    production = compose_app_environment(project, database_url)
    image_env = {**env, **production, **dockerfile_runtime_env(project), "PORT": str(free_port())}
    image_env.pop(name, None)
    result = subprocess.run(
        ["make", "serve"],
        cwd=project,
        env=image_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0, result.stdout + result.stderr
    assert name in result.stdout + result.stderr


def check_unreachable_database(
    project: Path,
    tmp_path: Path,
    env: dict[str, str],
    database_url: str,
    cache: Redis | None,
    broker: Broker | None,
) -> None:
    production = production_environment(project, database_url, cache, broker)
    image_env = {**env, **production, **dockerfile_runtime_env(project)}
    log = tmp_path / "unreachable.log"
    with (
        serve(["make", "serve"], project, image_env, log) as server,
        httpx.Client(base_url=server.url, headers=PROXY_HEADERS, timeout=10) as client,
    ):
        check_not_ready(client, readiness_checks(cache, broker))
        items = client.get("/api/items")
        assert items.status_code == 503, items.text
        assert items.headers.get("retry-after", "").isdigit(), items.headers


def check_docker_image_equivalent_runs(project: Path, tmp_path: Path, row: Row) -> None:
    """Replay the Dockerfile (install, build steps, runtime copy, ENV, CMD, HEALTHCHECK), then
    stop the CMD with SIGTERM, as `docker stop` does, while a request is in flight."""
    database = row.database
    env = project_environment()
    run(["uv", "lock"], project, env)
    image = replay_dockerfile(project, tmp_path, env)

    # The runtime image holds the virtual environment and what the Dockerfile copies, no source.
    assert (image.root / ".venv").is_dir()
    assert not (image.root / "pyproject.toml").exists()
    with contextlib.ExitStack() as stack:
        if database == "sqlite":
            database_url = f"sqlite:///{tmp_path / 'image.sqlite3'}"
        else:
            database_url = stack.enter_context(throwaway_database(database))
        cache = stack.enter_context(row_redis(row))
        broker = stack.enter_context(row_broker(row))
        production = production_environment(project, database_url, cache, broker)
        image_env = {**image.env, **production}
        run(production_migrate_command(project), image.root, image_env)
        server = stack.enter_context(
            serve(image.cmd, image.root, image_env, tmp_path / "image.log")
        )
        headers = {**PROXY_HEADERS, **authorised_headers(server.url, project)}
        with httpx.Client(base_url=server.url, headers=headers, timeout=10) as client:
            check_health(client, readiness_checks(cache, broker))
            created = client.post("/api/items", json={"name": "from the image"})
            assert created.status_code == 201, created.text
            if broker is not None:
                check_image_worker(project, image, image_env, client, tmp_path)
        check_image_healthcheck(image, server.port)
        # The request in flight writes an item: with users, as a signed-in user.
        token = {k: v for k, v in headers.items() if k == "Authorization"}
        stopped_in = check_graceful_shutdown(server, headers=token)
        report(row, {"sigterm_exit_s": stopped_in})


def check_image_worker(
    project: Path, image: Image, env: dict[str, str], client: httpx.Client, tmp_path: Path
) -> None:
    """compose.yaml's worker command, run from the image, does a job; its healthcheck passes."""
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    command = compose["services"]["worker"]["command"]
    with run_worker(command, image.root, env, tmp_path / "image-worker.log") as worker:
        report = enqueue(client)
        check_succeeded(wait_until_done(client, report["id"], worker), item_total(client))
        check_worker_healthcheck(worker_healthcheck(project), image.root, env)


def check_image_healthcheck(image: Image, port: int) -> None:
    """The image's HEALTHCHECK command, run as Docker runs it, passes against the server."""
    healthcheck = subprocess.run(
        image.healthcheck,
        cwd=image.root,
        env={**image.env, "PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert healthcheck.returncode == 0, healthcheck.stderr


def production_migrate_command(project: Path) -> list[str]:
    """The compose file's one-shot migration command (what a release step runs)."""
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    command: list[str] = compose["services"]["migrate"]["command"]
    return command


def test_static_checks_of_docker_compose_and_ci(project: Path) -> None:
    env = project_environment()
    workflow = project / ".github/workflows/ci.yml"
    run([tool("hadolint"), "--failure-threshold", "info", "Dockerfile"], project, env)
    run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "compose.yaml"],
        project,
        env,
    )
    run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        project,
        env,
    )
    run([tool("zizmor"), "--offline", "--min-severity", "low", str(workflow)], project, env)

    dockerfile = (project / "Dockerfile").read_text()
    assert "\nUSER " in dockerfile and "\nHEALTHCHECK " in dockerfile
    assert dockerfile.count("\nFROM ") == 2, "multi-stage: builder and runtime"
    assert dockerfile.split("\nCMD ", 1)[1].startswith("["), "exec-form CMD"
    assert (project / ".dockerignore").is_file()
