"""Helpers for running generated projects for real: databases, servers, a TCP proxy, Docker.

Framework-agnostic: everything framework-specific is read from the generated project itself
(its Makefile targets, its Dockerfile's ENV/RUN/COPY/CMD/HEALTHCHECK, its compose file).
The benchmark (run.py, beside it) and the tests (pytest's `pythonpath` includes bench/) both
import it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

# Where the machine's database servers listen; override for another machine.
POSTGRES_URL = os.environ.get(
    "STACKPICK_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
MYSQL_URL = os.environ.get("STACKPICK_MYSQL_URL", "mysql://root@127.0.0.1:3306/mysql")
SERVER_URLS = {"postgresql": POSTGRES_URL, "mysql": MYSQL_URL}

COMMAND_TIMEOUT = 600

REPO_ROOT = Path(__file__).resolve().parent.parent
# What Copier needs to render the template: its own files, not the repository's tooling.
TEMPLATE_PARTS = ("copier.yml", "template", "extensions")


def copy_template(root: Path) -> Path:
    """The template as it is on disk, uncommitted edits included, copied into `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for part in TEMPLATE_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / part)
    return root


def project_environment(**extra: str) -> dict[str, str]:
    """The environment generated projects' commands run in: no interpreter downloads, every
    pyenv Python visible (uv looks for python3.x on PATH), nothing of ours leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTEST"))}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env.pop("DATABASE_URL", None)
    # pyenv's shims answer only for the versions PYENV_VERSION names: name them all.
    pyenv_versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if pyenv_versions.is_dir():
        current = [v for v in os.environ.get("PYENV_VERSION", "").split(":") if v]
        installed = sorted(p.name for p in pyenv_versions.iterdir())
        others = [v for v in installed if re.fullmatch(r"3\.\d+\.\d+", v) and v not in current]
        env["PYENV_VERSION"] = ":".join(current + others)
    env.update(extra)
    return env


def run(
    command: list[str], cwd: Path, env: dict[str, str], timeout: float = COMMAND_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """Run a command; fail the test with its output when it fails."""
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        pytest.fail(
            f"`{shlex.join(command)}` exited {result.returncode} in {cwd}\n"
            f"--- stdout ---\n{result.stdout[-6000:]}\n--- stderr ---\n{result.stderr[-6000:]}"
        )
    return result


# --- Database servers ------------------------------------------------------------------


def require_service(url: str) -> None:
    """Skip when a database server is missing on a developer's machine; fail in CI."""
    parsed = httpx.URL(url.replace("postgresql://", "http://").replace("mysql://", "http://"))
    try:
        socket.create_connection((parsed.host, parsed.port or 80), timeout=2).close()
    except OSError as error:
        message = f"database server {parsed.host}:{parsed.port} unreachable: {error}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def admin_execute(server_url: str, statement: str) -> None:
    parsed = httpx.URL(
        server_url.replace("postgresql://", "http://").replace("mysql://", "http://")
    )
    if server_url.startswith("postgresql"):
        import psycopg

        dsn = server_url
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(statement)
    else:
        import pymysql

        mysql = pymysql.connect(
            host=parsed.host,
            port=parsed.port or 3306,
            user=parsed.username or "root",
            password=parsed.password or "",
        )
        try:
            with mysql.cursor() as cursor:
                cursor.execute(statement)
        finally:
            mysql.close()


@contextlib.contextmanager
def throwaway_database(database: str) -> Iterator[str]:
    """A fresh, uniquely named database on the machine's server; dropped afterwards."""
    server_url = SERVER_URLS[database]
    require_service(server_url)
    name = f"stackpick_{secrets.token_hex(4)}"
    if database == "postgresql":
        admin_execute(server_url, f"CREATE DATABASE {name}")
        drop = f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    else:
        admin_execute(server_url, f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
        drop = f"DROP DATABASE IF EXISTS {name}"
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        admin_execute(server_url, drop)


@contextlib.contextmanager
def database_connection(database_url: str) -> Iterator[Any]:
    """A DB-API connection to a PostgreSQL, MySQL or SQLite URL, closed afterwards."""
    if database_url.startswith("sqlite"):
        with contextlib.closing(
            sqlite3.connect(database_url.split(":///", 1)[1], isolation_level=None)
        ) as sqlite:
            yield sqlite
        return
    if database_url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(database_url) as connection:
            yield connection
        return
    import pymysql

    url = httpx.URL(database_url.replace("mysql://", "http://", 1))
    with contextlib.closing(
        pymysql.connect(
            host=url.host,
            port=url.port or 3306,
            user=url.username,
            password=url.password,
            database=url.path.lstrip("/"),
        )
    ) as mysql:
        yield mysql


def placeholders(database_url: str, statement: str) -> str:
    """`statement` with its `%s` placeholders in the driver's style (SQLite's is `?`)."""
    return statement.replace("%s", "?") if database_url.startswith("sqlite") else statement


def fetch_rows(database_url: str, statement: str, *parameters: Any) -> list[tuple[Any, ...]]:
    """The rows `statement` (with `%s` placeholders) selects."""
    with database_connection(database_url) as connection:
        cursor = connection.cursor()
        cursor.execute(placeholders(database_url, statement), parameters)
        return [tuple(row) for row in cursor.fetchall()]


# --- A TCP proxy that can be cut, to take a database away from a running app -----------


class TcpProxy:
    """Forwards a local port to a target; `stop()` closes every connection and the port.

    It also counts the client's round trips: `turns` goes up each time a client speaks after
    the target has spoken (or for the first time on a connection), so a message sent in
    pieces counts once. A client that pipelines (sends its next message before the answer to
    the last) may be counted more than once per wait; database drivers answering one query at
    a time on a connection are counted exactly.
    """

    def __init__(self, target_host: str, target_port: int, connect_timeout: float = 5) -> None:
        self.target = (target_host, target_port)
        self.connect_timeout = connect_timeout
        self.port = free_port()
        self.turns = 0
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        # Restarting rebinds the same port; the previous listener may take a moment to let go.
        deadline = time.monotonic() + 5
        while True:
            try:
                listener = socket.create_server(("127.0.0.1", self.port))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        listener.settimeout(0.2)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=self.connect_timeout)
            except OSError:
                client.close()
                continue
            # The timeout bounds the connect only: a connection may stay silent for as long as
            # its two ends like (an idle AMQP or database connection), and must not be cut.
            upstream.settimeout(None)
            with self._lock:
                self._sockets += [client, upstream]
            # Whose turn it is on this connection: the client's until it has spoken.
            conversation = {"client_has_the_floor": False}
            for source, sink, from_client in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(
                    target=self._pipe, args=(source, sink, conversation, from_client), daemon=True
                ).start()

    def _pipe(
        self,
        source: socket.socket,
        sink: socket.socket,
        conversation: dict[str, bool],
        from_client: bool,
    ) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                # Recorded before forwarding: the other side cannot answer what it has not got.
                with self._lock:
                    if from_client and not conversation["client_has_the_floor"]:
                        self.turns += 1
                    conversation["client_has_the_floor"] = from_client
                sink.sendall(data)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener:
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --- Servers ----------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    log: Path
    started_in: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-8000:]


def start_process_group(
    command: list[str], cwd: Path, env: dict[str, str], log: Path
) -> subprocess.Popen[str]:
    """`command` in a process group of its own (make, uv and every process they start), its
    output in `log`."""
    with log.open("w") as log_file:
        return subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )


def process_group_alive(process: subprocess.Popen[str]) -> bool:
    """Whether any process of `process`'s group (started by start_process_group) still runs."""
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return True


@contextlib.contextmanager
def serve(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> Iterator[Server]:
    """Start a server on a free loopback port, wait for /health/live, stop it afterwards."""
    port = free_port()
    env = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
    started = time.monotonic()
    process = start_process_group(command, cwd, env, log)
    server = Server(process, port, log)
    try:
        deadline = started + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"server exited {process.returncode}:\n{server.output()}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{server.url}/health/live", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"server not live after 60 s:\n{server.output()}")
            time.sleep(0.1)
        server.started_in = time.monotonic() - started
        yield server
    finally:
        stop_process_group(process)


def stop_process_group(process: subprocess.Popen[str]) -> None:
    """SIGTERM to every process of the group; SIGKILL to whatever is left of it after 15 s, so
    that a process which hangs on its way out does not outlive the test."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while process_group_alive(process) and time.monotonic() < deadline:
        process.poll()  # reaps the group's leader once it has exited
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=5)


def child_pids(pid: int) -> list[int]:
    """The processes `pid` started (Linux's /proc), in the order it started them."""
    # Each thread lists the children it started itself: uv starts its command from a thread.
    children: list[int] = []
    for thread in sorted(Path(f"/proc/{pid}/task").glob("*")):
        with contextlib.suppress(FileNotFoundError):
            children += [int(child) for child in (thread / "children").read_text().split()]
    return children


def process_name(pid: int) -> str:
    """The name of process `pid` ("" once it has exited)."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except FileNotFoundError:
        return ""


def command_pid(process: subprocess.Popen[str]) -> int:
    """The pid of the command that `make <target>` runs through `uv run`: the process a
    container runs as PID 1 for the same command (make and uv are not in the image's path)."""
    pending = [process.pid]
    while pending:
        pid = pending.pop(0)
        children = child_pids(pid)
        if process_name(pid) == "uv" and children:
            return children[0]
        pending += children
    raise LookupError(f"no `uv run` command under pid {process.pid}")


# --- Production settings, as the container would get them --------------------------------


def compose_app_environment(
    project: Path, database_url: str, service: str = "app"
) -> dict[str, str]:
    """A service's environment from compose.yaml, with secrets made up and our database."""
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    environment: dict[str, str] = {}
    for name, value in compose["services"][service]["environment"].items():
        text = str(value)
        if required := re.fullmatch(r"\$\{(\w+):\?.*\}", text):
            environment[name] = secrets.token_urlsafe(48)
            assert required.group(1) == name
        elif defaulted := re.fullmatch(r"\$\{\w+:-(.*)\}", text):
            environment[name] = defaulted.group(1)
        else:
            environment[name] = text
    environment["DATABASE_URL"] = database_url
    return environment


# --- The Dockerfile, replayed without Docker ------------------------------------------------


@dataclass
class Stage:
    name: str
    base: str  # what it is built FROM: an image, or an earlier stage's name
    instructions: list[tuple[str, str]] = field(default_factory=list)


def parse_dockerfile(text: str) -> dict[str, Stage]:
    """Instructions per build stage, continuation lines joined, comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    stages: dict[str, Stage] = {}
    current: Stage | None = None
    for line in logical:
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            base, _, alias = rest.partition(" AS ")
            name = alias.strip() or f"stage{len(stages)}"
            current = stages[name] = Stage(name, base.strip())
        elif current is not None:
            current.instructions.append((keyword, rest.strip()))
    return stages


def parse_env(rest: str) -> dict[str, str]:
    return {
        key: value.strip('"') for key, value in (item.split("=", 1) for item in shlex.split(rest))
    }


def strip_run_flags(rest: str) -> str:
    return re.sub(r"--mount=\S+\s*", "", rest).strip()


@dataclass
class Image:
    root: Path  # stands in for the image's /app
    env: dict[str, str]
    cmd: list[str]
    healthcheck: list[str]


def dockerfile_runtime_env(project: Path) -> dict[str, str]:
    """The ENV the runtime image sets (production mode), minus paths that only exist there."""
    stage = parse_dockerfile((project / "Dockerfile").read_text())["runtime"]
    values: dict[str, str] = {}
    for keyword, rest in stage.instructions:
        if keyword == "ENV":
            values.update(parse_env(rest))
    return {k: v for k, v in values.items() if k not in {"PATH", "HOST", "PORT"}}


def stage_chain(stages: dict[str, Stage], name: str) -> list[Stage]:
    """`name` and the stages it is built from, the first one first."""
    chain: list[Stage] = []
    while name in stages:
        chain.append(stages[name])
        name = stages[name].base
    return chain[::-1]


def replay_dockerfile(
    project: Path, work: Path, env: dict[str, str], target: str | None = None
) -> Image:
    """Build the image's /app the way the Dockerfile does, with this machine's uv and Python.

    `target` is the stage `docker build --target` names (the last one by default). A stage the
    image copies from is a build stage: its RUN commands (uv sync, build steps) run, in the
    directory its WORKDIR names, in a copy of the build context; the image itself gets only
    what the Dockerfile copies from those stages.
    """
    stages = parse_dockerfile((project / "Dockerfile").read_text())
    ignore = shutil.ignore_patterns(".venv", "__pycache__", "*.sqlite3", ".env", ".git")
    built: dict[str, Path] = {}

    def to_local(value: str, root: Path) -> str:
        return re.sub(r"(?<![\w.])/app\b", str(root), value)

    def build(name: str) -> Path:
        if name not in built:
            root = built[name] = work / f"build-{name}"
            shutil.copytree(project, root, ignore=ignore)
            build_env, cwd = dict(env), root
            for stage in stage_chain(stages, name):
                for keyword, rest in stage.instructions:
                    if keyword == "ENV":
                        build_env.update({k: to_local(v, root) for k, v in parse_env(rest).items()})
                    elif keyword == "WORKDIR":
                        cwd = Path(to_local(rest, root))
                    elif keyword == "RUN":
                        command = to_local(strip_run_flags(rest), root)
                        if command.startswith("apt-get"):
                            continue  # system packages come from this machine (.ci/run's)
                        run(["bash", "-c", command], cwd=cwd, env=build_env)
        return built[name]

    app_root = work / "image"
    app_root.mkdir()
    image_env = dict(env)
    cmd: list[str] = []
    healthcheck: list[str] = []
    for stage in stage_chain(stages, target or list(stages)[-1]):
        for keyword, rest in stage.instructions:
            source_stage = re.search(r"--from=(\S+)", rest) if keyword == "COPY" else None
            if source_stage and source_stage.group(1) in stages:
                build_root = build(source_stage.group(1))
                source, destination = rest.split()[-2:]
                source_path = Path(to_local(source, build_root))
                target_path = Path(to_local(destination, app_root))
                if source_path.is_dir():
                    shutil.copytree(source_path, target_path, symlinks=True)
                else:
                    target_path.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source_path, target_path)
            elif keyword == "ENV":
                for key, value in parse_env(rest).items():
                    value = value.replace("$PATH", image_env.get("PATH", ""))
                    image_env[key] = to_local(value, app_root)
            elif keyword == "CMD":
                cmd = json.loads(rest)
            elif keyword == "HEALTHCHECK":
                healthcheck = json.loads(rest.split(" CMD ", 1)[1])
    assert cmd, "the Dockerfile has an exec-form CMD"
    return Image(app_root, image_env, cmd, healthcheck)
