"""Generate, install, lint, migrate, test, serve and probe whole projects (slow).

Parametrised over every framework x database (x option) that exists; each one proves SPEC
section 3 end to end against the machine's real PostgreSQL and MariaDB. Quick runs skip it
with `-m "not runtime"`; `.ci/run` runs it all.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from copier import run_copy

from conftest import IDENTITY
from contract import check_contract, check_health, check_not_ready
from harness import (
    TcpProxy,
    compose_app_environment,
    free_port,
    parse_dockerfile,
    parse_env,
    project_environment,
    replay_dockerfile,
    run,
    serve,
    throwaway_database,
)

pytestmark = pytest.mark.runtime

# (framework, database, extra answers)
COMBINATIONS: list[tuple[str, str, dict[str, Any]]] = [
    ("fastapi", "sqlite", {}),
    ("fastapi", "postgresql", {}),
    ("fastapi", "mysql", {}),
    ("flask", "sqlite", {}),
    ("flask", "postgresql", {}),
    ("flask", "mysql", {}),
    ("django", "sqlite", {"django_api": "ninja"}),
    ("django", "postgresql", {"django_api": "ninja"}),
    ("django", "mysql", {"django_api": "ninja"}),
    ("django", "sqlite", {"django_api": "drf"}),
    ("django", "postgresql", {"django_api": "drf"}),
    ("django", "mysql", {"django_api": "drf"}),
]

# Requests arrive through a TLS-terminating proxy in production.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def combination_id(combination: tuple[str, str, dict[str, Any]]) -> str:
    framework, database, extra = combination
    return "-".join([framework, database, *map(str, extra.values())])


def generate_project(
    template_dir: Path, destination: Path, framework: str, database: str, extra: dict[str, Any]
) -> Path:
    run_copy(
        str(template_dir),
        destination,
        data={**IDENTITY, "framework": framework, "database": database, **extra},
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    return destination


Combination = tuple[str, str, dict[str, Any]]


@pytest.fixture(params=COMBINATIONS, ids=combination_id)
def combination(request: pytest.FixtureRequest) -> Combination:
    value: Combination = request.param
    return value


@pytest.fixture
def project(template_dir: Path, tmp_path: Path, combination: Combination) -> Path:
    framework, database, extra = combination
    return generate_project(template_dir, tmp_path / "project", framework, database, extra)


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is installed with the template's dev dependencies"
    return path


def test_project_lifecycle(project: Path, tmp_path: Path, combination: Combination) -> None:
    database = combination[1]
    env = project_environment()

    run(["make", "install"], project, env)
    assert (project / "uv.lock").is_file()
    run(["make", "lint"], project, env)
    check_refuses_to_start_without_secret(project, env, f"sqlite:///{tmp_path / 'x.sqlite3'}")

    if database == "sqlite":
        run(["make", "test"], project, env)
        database_url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
        walk_served_project(project, tmp_path, env, database_url, proxy=None)
        unreachable = f"sqlite:///{tmp_path / 'missing-dir' / 'app.sqlite3'}"
        check_unreachable_database(project, tmp_path, env, unreachable)
        return

    with throwaway_database(database) as server_url:
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
            walk_served_project(project, tmp_path, env, proxied_url, proxy=proxy)
        finally:
            proxy.stop()


def walk_served_project(
    project: Path,
    tmp_path: Path,
    env: dict[str, str],
    database_url: str,
    proxy: TcpProxy | None,
) -> None:
    """Migrate, start `make serve` as production would, and walk the whole contract."""
    production = compose_app_environment(project, database_url)
    run(["make", "migrate"], project, {**env, **production})
    image_env = {**env, **production, **dockerfile_runtime_env(project)}
    with serve(
        ["make", "serve"], project, {**image_env, "WEB_CONCURRENCY": "2"}, tmp_path / "serve.log"
    ) as server:
        with httpx.Client(base_url=server.url, headers=PROXY_HEADERS, timeout=10) as client:
            check_contract(client)
            if proxy is not None:
                proxy.stop()  # the database goes away under the running app
                check_not_ready(client)
                proxy.start()  # and comes back: the app recovers without a restart
                check_health(client)
        assert server.process.poll() is None, server.output()
    assert "Traceback" not in server.output(), server.output()


def check_refuses_to_start_without_secret(
    project: Path, env: dict[str, str], database_url: str
) -> None:
    """Production start-up with the secret missing stops, naming the variable."""
    production = compose_app_environment(project, database_url)
    secret = next(name for name, value in production.items() if name.endswith("SECRET_KEY"))
    del production[secret]
    image_env = {**env, **production, **dockerfile_runtime_env(project), "PORT": str(free_port())}
    image_env.pop(secret, None)
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
    assert secret in result.stdout + result.stderr


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


def dockerfile_runtime_env(project: Path) -> dict[str, str]:
    """The ENV the runtime image sets (production mode), minus paths that only exist there."""
    stage = parse_dockerfile((project / "Dockerfile").read_text())["runtime"]
    values: dict[str, str] = {}
    for keyword, rest in stage.instructions:
        if keyword == "ENV":
            values.update(parse_env(rest))
    return {k: v for k, v in values.items() if k not in {"PATH", "HOST", "PORT"}}


def test_docker_image_equivalent_runs(
    project: Path, tmp_path: Path, combination: Combination
) -> None:
    """Replay the Dockerfile (install, build steps, runtime copy, ENV, CMD, HEALTHCHECK)."""
    database = combination[1]
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
        healthcheck = subprocess.run(
            image.healthcheck,
            cwd=image.root,
            env={**image.env, "PORT": str(server.port)},
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
