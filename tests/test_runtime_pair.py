"""Django + FastAPI, generated and proven end to end (slow): both services on one database.

Django (web/) serves the whole contract every starter serves; the FastAPI service (api/)
answers the item reads with the bytes Django answers them with, ingests signed webhooks once
each, and says 503 with Django when the database goes away. Both images are replayed from
the one Dockerfile, each target on its own.

The pair's answers vary in the database (PostgreSQL or MariaDB: SQLite is refused), the
Python version and the dependency resolution; two rows give every value of each once.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
import redis
import yaml
from copier import run_copy
from test_runtime import (
    LOWEST,
    Redis,
    Row,
    authorised_headers,
    check_image_healthcheck,
    check_image_worker,
    check_python_version,
    generate_project,
    has_users,
    make_superuser,
    readiness_checks,
    redis_database,
    report,
    row_environment,
    signing_key,
    with_real_services,
)

from auth_walk import check_auth_walk
from cache_walk import check_cache_walk
from conftest import IDENTITY
from contract import DATABASE_ONLY, check_contract, check_health, check_not_ready
from harness import (
    Server,
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
from jobs_walk import Broker, broker_for, check_jobs_walk
from resilience import PROXY_HEADERS, check_graceful_shutdown, tool

pytestmark = pytest.mark.runtime

# The cache: one row with Redis (the Django service caches), one without. Jobs: Celery (run
# by the Django service's worker) on each broker. Users (Django's) on one row.
ROWS = [
    Row(
        "django_fastapi",
        "postgresql",
        "3.13",
        "highest",
        {"cache": "redis", "task_queue": "celery", "broker": "redis", "auth": "users"},
    ),
    Row(
        "django_fastapi",
        "mysql",
        "3.12",
        LOWEST,
        {"cache": "none", "task_queue": "celery", "broker": "rabbitmq", "auth": "none"},
    ),
]
# test_runtime.py's rows use 1-8 and 10-15; the row here that caches keeps its jobs there too.
REDIS_DATABASE = 9
# Each service: its compose service, and the make target that runs it as its image does.
SERVICES = {"web": "serve", "api": "serve-api"}


@pytest.fixture(params=ROWS, ids=lambda row: row.id)
def row(request: pytest.FixtureRequest) -> Row:
    value: Row = request.param
    return value


@pytest.fixture
def project(template_dir: Path, tmp_path: Path, row: Row) -> Path:
    return generate_project(template_dir, tmp_path / "project", row)


def production_environments(
    project: Path, database_url: str, cache: Redis | None = None, broker: Broker | None = None
) -> dict[str, dict[str, str]]:
    """Each service's production environment, as compose and its image set it, on our
    database and, for the service that caches and runs jobs, our Redis and broker."""
    runtime = dockerfile_runtime_env(project)
    environments = {
        service: {**compose_app_environment(project, database_url, service), **runtime}
        for service in SERVICES
    }
    if cache is not None:
        environments["web"]["REDIS_URL"] = cache.url
    if broker is not None:
        environments["web"]["BROKER_URL"] = broker.url
    return environments


def pair_redis(row: Row) -> contextlib.AbstractContextManager[Redis | None]:
    return redis_database(REDIS_DATABASE if row.extra["cache"] == "redis" else None)


def pair_broker(row: Row) -> contextlib.AbstractContextManager[Broker | None]:
    return broker_for(row.id, row.extra.get("broker"), REDIS_DATABASE)


def web_checks(cache: Redis | None, broker: Broker | None) -> list[str]:
    """What the Django service's readiness names (the FastAPI service's: the database)."""
    return readiness_checks(cache, broker)


def required_variables(project: Path, service: str) -> list[str]:
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    environment = compose["services"][service]["environment"]
    required = [
        name for name, value in environment.items() if str(value).startswith("${" + name + ":?")
    ]
    optional = [name for name in ("REDIS_URL", "BROKER_URL") if name in environment]
    return [*required, "DATABASE_URL", *optional]


def signed(body: bytes, secret: str) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"content-type": "application/json", "x-webhook-signature": f"sha256={digest}"}


def test_django_and_fastapi_lifecycle(project: Path, tmp_path: Path, row: Row) -> None:
    """The project as a team works with it, then (on the first row) as its images run: one
    test, as both use the row's own Redis database and broker."""
    with pair_redis(row) as cache, pair_broker(row) as broker:
        check_lifecycle(project, tmp_path, row, cache, broker)
    if row == ROWS[0]:
        images = tmp_path / "images"
        images.mkdir()
        check_each_image_equivalent_runs(project, images, row)


def check_lifecycle(
    project: Path, tmp_path: Path, row: Row, cache: Redis | None, broker: Broker | None
) -> None:
    env = with_real_services(row_environment(row, tmp_path), cache, broker)
    run(["make", "install"], project, env)
    check_python_version(project, env, row.python)
    run(["make", "lint"], project, env)
    for service, target in SERVICES.items():
        for name in required_variables(project, service):
            check_refuses_to_start_without(project, env, service, target, name)

    with throwaway_database(row.database) as server_url:
        tested = run(["make", "test"], project, {**env, "DATABASE_URL": server_url})
        assert " skipped" not in tested.stdout, tested.stdout[-3000:]
        host_port = server_url.split("@", 1)[1].split("/", 1)[0]
        host, port = host_port.rsplit(":", 1)
        proxy = TcpProxy(host, int(port))
        proxy.start()
        try:
            proxied_url = server_url.replace(host_port, f"127.0.0.1:{proxy.port}")
            walk_both_services(project, tmp_path, env, proxied_url, proxy, cache, broker)
        finally:
            proxy.stop()


def check_refuses_to_start_without(
    project: Path, env: dict[str, str], service: str, target: str, name: str
) -> None:
    production = production_environments(project, "sqlite:///unused.sqlite3")[service]
    environment = {**env, **production, "PORT": str(free_port())}
    environment.pop(name, None)
    result = subprocess.run(
        ["make", target],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0, result.stdout + result.stderr
    assert name in result.stdout + result.stderr, (service, name)


def walk_both_services(
    project: Path,
    tmp_path: Path,
    env: dict[str, str],
    database_url: str,
    proxy: TcpProxy,
    cache: Redis | None,
    broker: Broker | None,
) -> None:
    environments = production_environments(project, database_url, cache, broker)
    checks = web_checks(cache, broker)
    run(["make", "migrate"], project, {**env, **environments["web"]})
    with contextlib.ExitStack() as stack:
        servers = {
            service: stack.enter_context(
                serve(
                    ["make", target],
                    project,
                    {**env, **environments[service], "WEB_CONCURRENCY": "2"},
                    tmp_path / f"{service}.log",
                )
            )
            for service, target in SERVICES.items()
        }
        web = stack.enter_context(
            httpx.Client(base_url=servers["web"].url, headers=PROXY_HEADERS, timeout=10)
        )
        api = stack.enter_context(
            httpx.Client(base_url=servers["api"].url, headers=PROXY_HEADERS, timeout=10)
        )
        owner = None
        if has_users(project):
            account, _ = check_auth_walk(
                web,
                signing_key(environments["web"]),
                database_url,
                servers["web"].output,
                lambda email, password: make_superuser(
                    project, {**env, **environments["web"]}, email, password
                ),
            )
            web.headers.update(account.bearer)
            owner = account.id
        check_contract(web, checks, owner)
        check_health(api)
        # With a cache, Django's second read of each item comes from Redis: the same bytes.
        check_same_reads(web, api)
        check_same_reads(web, api)
        if cache is not None:
            with redis.Redis.from_url(cache.direct_url) as direct:
                check_cache_walk(web, direct, cache.proxy, servers["web"].output, checks)
        if broker is not None:
            others = {name: "ok" for name in checks if name != "broker"}
            web_env = {**env, **environments["web"]}
            check_jobs_walk(
                web,
                ["make", "worker"],
                project,
                web_env,
                broker,
                others,
                tmp_path,
                service_dir=project / "web",
            )
        check_webhooks(api, environments["api"]["WEBHOOK_SECRET"])
        check_api_documents_itself(api)

        proxy.stop()  # the database goes away for both
        check_not_ready(web, checks)
        check_not_ready(api)
        for client in (web, api):
            assert client.get("/api/items").status_code == 503
        for service, server in servers.items():
            assert server.process.poll() is None, (service, server.output())
            assert "Traceback" not in server.output(), (service, server.output())


def check_same_reads(web: httpx.Client, api: httpx.Client) -> None:
    """Rows Django wrote, read through both: the same status, type and bytes."""
    names = ["Café ☕ 東京", 'quotes " and \\ backslashes', "plain"]
    ids = []
    for name in names:
        created = web.post("/api/items", json={"name": name, "description": None})
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    paths = [
        "/api/items",
        "/api/items?limit=1&offset=1",
        f"/api/items/{ids[0]}",
        f"/api/items/{ids[1]}",
        "/api/items/2147483647",
        "/api/items?limit=0",
    ]
    for path in paths:
        from_web, from_api = web.get(path), api.get(path)
        assert from_api.status_code == from_web.status_code, (path, from_api.text)
        assert from_api.headers["content-type"] == from_web.headers["content-type"], path
        assert from_api.content == from_web.content, (path, from_web.content, from_api.content)


def check_webhooks(api: httpx.Client, secret: str) -> None:
    body = json.dumps({"id": "evt_runtime_1", "type": "order.paid"}).encode()
    first = api.post("/api/webhooks/payments", content=body, headers=signed(body, secret))
    assert (first.status_code, first.json()) == (
        202,
        {"id": "evt_runtime_1", "status": "accepted"},
    ), first.text
    again = api.post("/api/webhooks/payments", content=body, headers=signed(body, secret))
    assert (again.status_code, again.json()["status"]) == (200, "duplicate"), again.text
    forged = api.post("/api/webhooks/payments", content=body, headers=signed(body, "x" * 32))
    tampered = api.post(
        "/api/webhooks/payments",
        content=body.replace(b"paid", b"void"),
        headers=signed(body, secret),
    )
    unsigned = api.post(
        "/api/webhooks/payments", content=body, headers={"content-type": "application/json"}
    )
    refusals = [forged, tampered, unsigned]
    assert {response.status_code for response in refusals} == {401}
    assert len({response.content for response in refusals}) == 1, "one body for every refusal"
    assert forged.headers["content-type"].startswith("application/json")


def check_api_documents_itself(api: httpx.Client) -> None:
    document = api.get("/api/openapi.json")
    assert document.status_code == 200
    paths = document.json()["paths"]
    assert {"/api/items", "/api/items/{item_id}", "/api/webhooks/{source}"} <= set(paths), paths
    responses = paths["/api/webhooks/{source}"]["post"]["responses"]
    assert {"200", "202", "401", "422"} <= set(responses), responses
    docs = api.get("/api/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def check_each_image_equivalent_runs(project: Path, tmp_path: Path, row: Row) -> None:
    """Replay each target of the one Dockerfile: each image holds only its own service's
    dependencies, migrates (web) and serves, passes its HEALTHCHECK and stops on SIGTERM."""
    env = row_environment(row, tmp_path)
    run(["uv", "lock"], project, env)
    images = {}
    for service in SERVICES:
        (tmp_path / service).mkdir()
        images[service] = replay_dockerfile(project, tmp_path / service, env, target=service)
    for service, other in (("web", "fastapi"), ("api", "django")):
        packages = images[service].root / ".venv"
        assert not list(packages.glob(f"lib/python*/site-packages/{other}")), (service, other)
        assert not (images[service].root / "pyproject.toml").exists()
    with (
        throwaway_database(row.database) as database_url,
        pair_redis(row) as cache,
        pair_broker(row) as broker,
    ):
        environments = production_environments(project, database_url, cache, broker)
        web_image = images["web"]
        run(
            ["python", "manage.py", "migrate"],
            web_image.root,
            {**web_image.env, **environments["web"]},
        )
        figures = {}
        for service, image in images.items():
            environment = {**image.env, **environments[service]}
            with serve(
                image.cmd, image.root, environment, tmp_path / f"{service}-image.log"
            ) as server:
                with httpx.Client(base_url=server.url, headers=PROXY_HEADERS, timeout=10) as client:
                    check_health(
                        client, web_checks(cache, broker) if service == "web" else DATABASE_ONLY
                    )
                    if service == "web" and broker is not None:
                        check_image_worker(project, image, environment, client, tmp_path)
                check_image_healthcheck(image, server.port)
                figures[f"{service}_sigterm_exit_s"] = stop_while_serving(
                    server, service, environment, project
                )
        report(row, figures)


def stop_while_serving(
    server: Server, service: str, environment: dict[str, str], project: Path
) -> float:
    """SIGTERM while a write is in flight: an item created (web, as a signed-in user when
    there are users), a webhook stored (api)."""
    if service == "web":
        return check_graceful_shutdown(server, headers=authorised_headers(server.url, project))
    body = json.dumps({"id": "evt_in_flight"}).encode()
    headers = signed(body, environment["WEBHOOK_SECRET"])
    headers.pop("content-type")
    return check_graceful_shutdown(
        server, "/api/webhooks/shutdown", body, headers, status_expected=202
    )


# What a new user answers to get the pair: a CRUD app with an admin, and ML on the roadmap.
SPLIT_WORKLOADS = {"primary_function": "crud_app", "needs_admin_ui": True, "ml_on_roadmap": True}
DEV_PORTS = {"web": 8000, "api": 8001}
ADMIN = {"email": "admin@example.com", "password": "a-long-dev-password-1"}


def test_a_new_user_adds_an_item_in_the_admin_and_reads_it_from_fastapi(
    template_dir: Path, tmp_path: Path
) -> None:
    """`make install dev` as the README says, the admin in Django, the read in FastAPI; Ctrl-C
    stops both servers."""
    project = tmp_path / "project"
    run_copy(
        str(template_dir),
        project,
        data={**IDENTITY, **SPLIT_WORKLOADS},
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["framework"] == (
        "django_fastapi"
    )
    env = project_environment()
    for port in DEV_PORTS.values():
        assert port_is_free(port), f"port {port} is taken: make dev needs it"
    run(["make", "install", "migrate"], project, env)
    # The answers bring users (an admin screen, a CRUD app): the README's way to the first admin.
    superuser = {"SUPERUSER_EMAIL": ADMIN["email"], "SUPERUSER_PASSWORD": ADMIN["password"]}
    run(["make", "superuser"], project, {**env, **superuser})
    log = tmp_path / "dev.log"
    with log.open("w") as output:
        dev = subprocess.Popen(
            ["make", "dev"],
            cwd=project,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a terminal's process group, for the Ctrl-C below
            # As a terminal starts it: a shell that starts with SIGINT ignored (pytest-xdist's
            # workers ignore it) may not trap it, so Ctrl-C would not reach make dev's trap.
            preexec_fn=answer_ctrl_c,
        )
    try:
        for port in DEV_PORTS.values():
            wait_for_live(port, dev, log)
        name = "Added in the admin"
        with httpx.Client(base_url=f"http://127.0.0.1:{DEV_PORTS['web']}", timeout=10) as web:
            log_in_to_the_admin(web)
            add_form = web.get("/admin/items/item/add/")
            assert add_form.status_code == 200, add_form.text[:500]
            added = web.post(
                "/admin/items/item/add/",
                data={
                    "csrfmiddlewaretoken": csrf_token(add_form.text),
                    "name": name,
                    "description": "",
                },
            )
            assert added.status_code == 302, added.text[:2000]
        items = httpx.get(f"http://127.0.0.1:{DEV_PORTS['api']}/api/items", timeout=10)
        assert items.status_code == 200, items.text
        assert [item["name"] for item in items.json()["items"]] == [name]
    finally:
        os.killpg(dev.pid, signal.SIGINT)  # Ctrl-C
        with contextlib.suppress(subprocess.TimeoutExpired):
            dev.wait(timeout=15)
        still_served = [port for port in DEV_PORTS.values() if not wait_until_free(port)]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(dev.pid, signal.SIGKILL)  # whatever Ctrl-C left, so no later run finds it
    assert not still_served, f"ports {still_served} still served after Ctrl-C:\n{log.read_text()}"


def answer_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def wait_until_free(port: int, within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if port_is_free(port):
            return True
        time.sleep(0.2)
    return False


def wait_for_live(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    pytest.fail(f"nothing live on port {port}:\n{log.read_text()}")


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def log_in_to_the_admin(web: httpx.Client) -> None:
    login = web.get("/admin/login/")
    assert login.status_code == 200, login.text[:500]
    answer = web.post(
        "/admin/login/?next=/admin/",
        data={
            "csrfmiddlewaretoken": csrf_token(login.text),
            "username": ADMIN["email"],  # the login form's field for the user's email
            "password": ADMIN["password"],
            "next": "/admin/",
        },
    )
    assert answer.status_code == 302 and answer.headers["location"] == "/admin/", answer.text[:2000]


@pytest.mark.parametrize("row", ROWS[:1], ids=lambda row: row.id, indirect=True)
def test_static_checks_of_both_images_compose_and_ci(project: Path) -> None:
    env = project_environment()
    workflow = project / ".github/workflows/ci.yml"
    run([tool("hadolint"), "--failure-threshold", "info", "Dockerfile"], project, env)
    for schema, path in (("compose-spec", "compose.yaml"), ("github-workflows", str(workflow))):
        run([tool("check-jsonschema"), "--builtin-schema", f"vendor.{schema}", path], project, env)
    run([tool("zizmor"), "--offline", "--min-severity", "low", str(workflow)], project, env)

    dockerfile = (project / "Dockerfile").read_text()
    # One build stage per service on a shared uv stage, one runtime, one image per service.
    assert dockerfile.count("\nFROM ") == 6
    for service in SERVICES:
        assert f"\nFROM runtime AS {service}\n" in dockerfile
    for image in dockerfile.split("\nFROM runtime AS ")[1:]:
        assert "\nUSER 10001:10001\n" in image and "\nHEALTHCHECK " in image
        assert image.split("\nCMD ", 1)[1].startswith("["), "exec-form CMD"
