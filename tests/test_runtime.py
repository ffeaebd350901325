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
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from copier import run_copy

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
from resilience import (
    PROXY_HEADERS,
    check_docs_render_offline,
    check_graceful_shutdown,
    check_outage_under_readers,
    run_schemathesis,
    tool,
)

pytestmark = pytest.mark.runtime


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
                *map(str, self.extra.values()),
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
# Every (variant, database) pair; Python and resolution placed so that each pair of values
# across variant, database, Python and resolution occurs at least once.
ROWS: list[Row] = [
    Row("fastapi", "sqlite", "3.12", LOWEST),
    Row("fastapi", "postgresql", "3.13", "highest"),
    Row("fastapi", "mysql", "3.13", LOWEST),
    Row("django", "sqlite", "3.13", "highest", NINJA),
    Row("django", "postgresql", "3.12", LOWEST, NINJA),
    Row("django", "mysql", "3.12", "highest", NINJA),
    Row("django", "sqlite", "3.13", LOWEST, DRF),
    Row("django", "postgresql", "3.12", "highest", DRF),
    Row("django", "mysql", "3.13", "highest", DRF),
    Row("flask", "sqlite", "3.12", "highest"),
    Row("flask", "postgresql", "3.13", LOWEST),
    Row("flask", "mysql", "3.12", LOWEST),
    Row("litestar", "sqlite", "3.13", "highest"),
    Row("litestar", "postgresql", "3.12", LOWEST),
    Row("litestar", "mysql", "3.13", LOWEST),
]


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


def row_environment(row: Row) -> dict[str, str]:
    """The project's commands' environment; `uv sync` resolves at the floors on lowest rows."""
    extra = {"UV_RESOLUTION": row.resolution} if row.resolution == LOWEST else {}
    return project_environment(**extra)


def test_project_lifecycle(project: Path, tmp_path: Path, row: Row) -> None:
    env = row_environment(row)

    run(["make", "install"], project, env)
    assert (project / "uv.lock").is_file()
    check_python_version(project, env, row.python)
    run(["make", "lint"], project, env)
    for name in required_production_variables(project):
        check_refuses_to_start_without(project, env, f"sqlite:///{tmp_path / 'x.sqlite3'}", name)

    if row.database == "sqlite":
        run(["make", "test"], project, env)
        database_url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
        report(row, walk_served_project(project, tmp_path, env, database_url, proxy=None))
        unreachable = f"sqlite:///{tmp_path / 'missing-dir' / 'app.sqlite3'}"
        check_unreachable_database(project, tmp_path, env, unreachable)
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
            report(row, walk_served_project(project, tmp_path, env, proxied_url, proxy=proxy))
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
) -> dict[str, Any]:
    """Migrate, start `make serve` as production would, walk the whole contract; the figures.

    On PostgreSQL, also the outage under concurrent readers, schemathesis over the OpenAPI
    document and the docs page in a browser (one PostgreSQL row per framework variant).
    """
    production = compose_app_environment(project, database_url)
    run(["make", "migrate"], project, {**env, **production})
    image_env = {**env, **production, **dockerfile_runtime_env(project)}
    figures: dict[str, Any] = {}
    with serve(
        ["make", "serve"], project, {**image_env, "WEB_CONCURRENCY": "2"}, tmp_path / "serve.log"
    ) as server:
        with httpx.Client(base_url=server.url, headers=PROXY_HEADERS, timeout=10) as client:
            check_contract(client)
        if proxy is not None:
            outage = check_outage_under_readers(server.url, proxy)
            figures["outage"] = outage.__dict__
            with httpx.Client(base_url=server.url, headers=PROXY_HEADERS, timeout=10) as client:
                check_health(client)
        if database_url.startswith("postgresql"):
            figures["schemathesis_requests"] = run_schemathesis(server.url, tmp_path)
            figures["docs_operations"] = check_docs_render_offline(server.url, tmp_path)
        assert server.process.poll() is None, server.output()
    assert "Traceback" not in server.output(), server.output()
    return figures


def report(row: Row, figures: dict[str, Any]) -> None:
    """Figures for the closing notes of a change (`pytest -rP` shows them)."""
    print(f"FIGURES {row.id} {json.dumps(figures)}")


def required_production_variables(project: Path) -> list[str]:
    """What compose insists on (`${NAME:?...}`), and DATABASE_URL, which production needs."""
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    environment = compose["services"]["app"]["environment"]
    required = [
        name for name, value in environment.items() if str(value).startswith("${" + name + ":?")
    ]
    return [*required, "DATABASE_URL"]


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
    project: Path, tmp_path: Path, env: dict[str, str], database_url: str
) -> None:
    production = compose_app_environment(project, database_url)
    image_env = {**env, **production, **dockerfile_runtime_env(project)}
    log = tmp_path / "unreachable.log"
    with (
        serve(["make", "serve"], project, image_env, log) as server,
        httpx.Client(base_url=server.url, headers=PROXY_HEADERS, timeout=10) as client,
    ):
        check_not_ready(client)
        items = client.get("/api/items")
        assert items.status_code == 503, items.text
        assert items.headers.get("retry-after", "").isdigit(), items.headers


def test_docker_image_equivalent_runs(project: Path, tmp_path: Path, row: Row) -> None:
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
        production = compose_app_environment(project, database_url)
        run(production_migrate_command(project), image.root, {**image.env, **production})
        server = stack.enter_context(
            serve(image.cmd, image.root, {**image.env, **production}, tmp_path / "image.log")
        )
        with httpx.Client(base_url=server.url, headers=PROXY_HEADERS, timeout=10) as client:
            check_health(client)
            created = client.post("/api/items", json={"name": "from the image"})
            assert created.status_code == 201, created.text
        check_image_healthcheck(image, server.port)
        stopped_in = check_graceful_shutdown(server)
        report(row, {"sigterm_exit_s": stopped_in})


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
