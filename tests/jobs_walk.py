"""Background jobs, walked over HTTP against a served starter, its worker and a real broker.

Every starter with `task_queue` answers `POST /api/reports` with 202 and a Location, and a
worker started by `make worker` runs the job. The walk proves from outside that a job enqueued
while no worker runs waits in the broker and is done once one starts, that a job runs end to
end while the worker runs, that the worker's compose healthcheck passes, that a broker cut
off answers 503 fast (readiness naming `broker`, a new job refused) and is used again once it
returns, and that a worker killed while it holds a job loses nothing: the next worker does it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import yaml

from harness import (
    TcpProxy,
    command_pid,
    database_connection,
    process_group_alive,
    start_process_group,
    stop_process_group,
)

JOB_DEADLINE = 60.0  # seconds a job may take to be done once a worker runs
# The killed worker's settings, and its successor's: with them a live worker holds a job at most
# 10 s (its time limit) + 5 s (the grace) + 1 s (the pause before its one retry).
KILLED_WORKER_SETTINGS = {"JOB_TIME_LIMIT": "10", "JOB_MAX_RETRIES": "1"}
LONGEST_HOLD = 16
# How soon the job of a killed worker is done by the next one: RabbitMQ gives it back as the
# connection drops; Redis once it has been held longer than a live worker would hold it (Celery
# looks every 10 s, taskiq at every read), the next worker's start-up included.
BACK_WITHIN = {"rabbitmq": 20.0, "redis": LONGEST_HOLD + 25.0}
REDIS_SERVER = ("127.0.0.1", 6379)
RABBITMQ_SERVER = ("127.0.0.1", 5672)


@dataclass(frozen=True)
class Broker:
    """A broker of the test's own (a Redis database, emptied, or a fresh RabbitMQ virtual
    host), reached through a proxy that can cut it off."""

    kind: str  # "redis" or "rabbitmq"
    proxy: TcpProxy
    path: str  # the Redis database number, or the virtual host

    def _url(self, port: int) -> str:
        if self.kind == "redis":
            return f"redis://127.0.0.1:{port}/{self.path}"
        return f"amqp://guest:guest@127.0.0.1:{port}/{self.path}"

    @property
    def url(self) -> str:
        return self._url(self.proxy.port)

    @property
    def direct_url(self) -> str:
        return self._url((REDIS_SERVER if self.kind == "redis" else RABBITMQ_SERVER)[1])

    def unacknowledged(self) -> int:
        """Jobs a worker has taken and not acknowledged yet: RabbitMQ's count, or on Redis
        Celery's `unacked` hash and the pending entries of taskiq's stream groups."""
        if self.kind == "rabbitmq":
            listed = rabbitmqctl(
                "list_queues",
                "-p",
                self.path,
                "messages_unacknowledged",
                "--quiet",
                "--no-table-headers",
            )
            assert listed.returncode == 0, listed.stdout + listed.stderr
            return sum(int(count) for count in listed.stdout.split())
        held = 0
        with redis.Redis(*REDIS_SERVER, db=int(self.path)) as client:
            for key in client.scan_iter():
                kind = client.type(key)
                if kind == b"hash" and key == b"unacked":
                    held += client.hlen(key)
                elif kind == b"stream":
                    held += sum(group["pending"] for group in client.xinfo_groups(key))
        return held


def rabbitmqctl(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["rabbitmqctl", *arguments], capture_output=True, text=True, timeout=60, check=False
    )


def fresh_virtual_host(name: str) -> None:
    """An empty RabbitMQ virtual host `name` that the guest user may use."""
    rabbitmqctl("delete_vhost", name)  # what an earlier run left; fails when there is none
    for arguments in (
        ("add_vhost", name),
        ("set_permissions", "-p", name, "guest", ".*", ".*", ".*"),
    ):
        result = rabbitmqctl(*arguments)
        assert result.returncode == 0, result.stdout + result.stderr


@contextlib.contextmanager
def broker_for(owner: str, kind: str | None, redis_database: int | None) -> Iterator[Broker | None]:
    """`owner`'s own broker of `kind` (None: the project has no jobs)."""
    if kind is None:
        yield None
        return
    if kind == "redis":
        assert redis_database is not None, f"{owner} needs a Redis database of its own"
        with redis.Redis(*REDIS_SERVER, db=redis_database) as client:
            client.flushdb()
        path, target = str(redis_database), REDIS_SERVER
    else:
        path, target = f"stackpick-{owner}", RABBITMQ_SERVER
        fresh_virtual_host(path)
    proxy = TcpProxy(*target)
    proxy.start()
    try:
        yield Broker(kind, proxy, path)
    finally:
        proxy.stop()
        if kind == "rabbitmq":
            rabbitmqctl("delete_vhost", path)


@dataclass
class JobFigures:
    waited_job_s: float  # from the worker's start to the waiting job's success
    job_s: float  # from POST to success with the worker running
    outage_post_ms: float  # the refused POST while the broker was cut off
    back_job_s: float  # from the broker's return to a new job's success
    worker_stop_s: float  # SIGTERM to the worker's exit
    killed_job_back_s: float  # from a worker's SIGKILL to its job's success on the next one


@dataclass
class Worker:
    process: subprocess.Popen[str]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-8000:]


@contextlib.contextmanager
def run_worker(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> Iterator[Worker]:
    """Start the worker in a process group of its own; stop the group afterwards."""
    process = start_process_group(command, cwd, env, log)
    try:
        yield Worker(process, log)
    finally:
        stop_process_group(process)


def worker_healthcheck(project: Path) -> list[str]:
    """compose.yaml's healthcheck of the worker, as a command to run here."""
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    test: list[str] = compose["services"]["worker"]["healthcheck"]["test"]
    if test[0] == "CMD-SHELL":
        # Compose turns $$ into $ before the shell sees it.
        return ["sh", "-c", test[1].replace("$$", "$")]
    assert test[0] == "CMD", test
    return test[1:]


def check_worker_healthcheck(
    command: list[str], cwd: Path, env: dict[str, str], root: Path | None = None
) -> None:
    """The healthcheck passes with the worker's environment and tools on the PATH, as in the
    container: the image's PATH starts with its virtual environment, and HOSTNAME names the
    worker's node, as Docker sets it. `cwd` is where the worker runs; `root`, where its virtual
    environment is (the project or the replayed image; `cwd` when not given)."""
    path = f"{(root or cwd) / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        command,
        cwd=cwd,
        env={**env, "PATH": path, "HOSTNAME": socket.gethostname()},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def enqueue(client: httpx.Client) -> dict[str, Any]:
    created = client.post("/api/reports")
    assert created.status_code == 202, created.text
    report: dict[str, Any] = created.json()
    assert report["status"] == "pending" and report["result"] is None, report
    assert report["finished_at"] is None, report
    assert created.headers["location"] == f"/api/reports/{report['id']}", created.headers
    return report


def enqueue_once_taken(client: httpx.Client) -> dict[str, Any]:
    """Enqueue as a client told `Retry-After` would: the app's connection to a broker that has
    just returned may take a few seconds to be re-established."""
    deadline = time.monotonic() + 20
    while (answer := client.post("/api/reports")).status_code == 503:
        assert time.monotonic() < deadline, "new jobs were refused 20 s after the broker returned"
        time.sleep(0.5)
    assert answer.status_code == 202, answer.text
    report: dict[str, Any] = answer.json()
    assert report["status"] == "pending", report
    return report


def wait_until_done(client: httpx.Client, report_id: int, worker: Worker) -> dict[str, Any]:
    deadline = time.monotonic() + JOB_DEADLINE
    while True:
        read = client.get(f"/api/reports/{report_id}")
        assert read.status_code == 200, read.text
        report: dict[str, Any] = read.json()
        if report["status"] in ("succeeded", "failed"):
            return report
        if worker.process.poll() is not None:
            pytest.fail(f"the worker exited {worker.process.returncode}:\n{worker.output()}")
        if time.monotonic() > deadline:
            pytest.fail(f"report {report_id} still {report['status']}:\n{worker.output()}")
        time.sleep(0.2)


def item_total(client: httpx.Client) -> int:
    listing = client.get("/api/items")
    assert listing.status_code == 200, listing.text
    total: int = listing.json()["total"]
    return total


def check_succeeded(report: dict[str, Any], items: int) -> None:
    assert report["status"] == "succeeded", report
    assert report["result"] == {"items": items}, report
    assert report["finished_at"] is not None and report["finished_at"] >= report["created_at"]


def check_jobs_walk(
    client: httpx.Client,
    worker_command: list[str],
    project: Path,
    env: dict[str, str],
    broker: Broker,
    other_checks: dict[str, str],
    log_dir: Path,
    service_dir: Path | None = None,
) -> JobFigures:
    """`env` is the served app's production environment, BROKER_URL going through `broker`'s
    proxy; `other_checks` are readiness's other checks, all "ok" while the broker is cut off;
    `service_dir` is where the worker's image runs from (a workspace's service folder)."""
    service_dir = service_dir or project
    assert client.post("/api/items", json={"name": "counted"}).status_code == 201
    # No worker yet: the job waits in the broker.
    waiting = enqueue(client)
    time.sleep(1.0)
    assert client.get(f"/api/reports/{waiting['id']}").json()["status"] == "pending"
    missing = client.get(f"/api/reports/{waiting['id'] + 1000000}")
    assert missing.status_code == 404, missing.text
    items = item_total(client)

    with run_worker(worker_command, project, env, log_dir / "worker.log") as worker:
        started = time.monotonic()
        check_succeeded(wait_until_done(client, waiting["id"], worker), items)
        waited_job_s = time.monotonic() - started

        assert client.post("/api/items", json={"name": "counted too"}).status_code == 201
        started = time.monotonic()
        running = enqueue(client)
        check_succeeded(wait_until_done(client, running["id"], worker), items + 1)
        job_s = time.monotonic() - started
        check_worker_healthcheck(worker_healthcheck(project), service_dir, env, project)
        # Before the outage: jobs ran without an error. During it, the broker's client logs
        # its lost connection (with a traceback) and reconnects: that is not the job's failing.
        assert "Traceback" not in worker.output(), worker.output()

        outage_post_ms = _check_broker_outage(client, broker.proxy, other_checks, running)
        returned = time.monotonic()
        back = enqueue_once_taken(client)
        check_succeeded(wait_until_done(client, back["id"], worker), items + 1)
        back_job_s = time.monotonic() - returned

        worker_stop_s = _stop_on_sigterm(worker)
    killed_job_back_s = _check_killed_mid_job(client, worker_command, project, env, broker, log_dir)
    return JobFigures(
        waited_job_s=round(waited_job_s, 2),
        job_s=round(job_s, 2),
        outage_post_ms=outage_post_ms,
        back_job_s=round(back_job_s, 2),
        worker_stop_s=round(worker_stop_s, 2),
        killed_job_back_s=round(killed_job_back_s, 2),
    )


def _check_killed_mid_job(
    client: httpx.Client,
    worker_command: list[str],
    project: Path,
    env: dict[str, str],
    broker: Broker,
    log_dir: Path,
) -> float:
    """SIGKILL to every process of a worker holding a job (as an out-of-memory kill or a lost
    node does): the job is not lost, the next worker does it within BACK_WITHIN. The report's
    row is locked meanwhile, so the job cannot finish before the kill. Returns the seconds from
    the kill to the job's success."""
    items = item_total(client)
    held = enqueue(client)  # no worker runs: it waits in the broker
    path = f"/api/reports/{held['id']}"
    worker_env = {**env, **KILLED_WORKER_SETTINGS}
    with report_row_locked(env["DATABASE_URL"], held["id"]):
        with run_worker(worker_command, project, worker_env, log_dir / "killed.log") as worker:
            deadline = time.monotonic() + JOB_DEADLINE
            while broker.unacknowledged() == 0:
                if time.monotonic() > deadline or worker.process.poll() is not None:
                    pytest.fail(f"the worker did not take the job:\n{worker.output()}")
                time.sleep(0.2)
            os.killpg(worker.process.pid, signal.SIGKILL)
            killed = time.monotonic()
            worker.process.wait(timeout=10)
        assert client.get(path).json()["status"] in ("pending", "running")
    with run_worker(worker_command, project, worker_env, log_dir / "next.log") as worker:
        check_succeeded(wait_until_done(client, held["id"], worker), items)
        back_s = time.monotonic() - killed
        _stop_on_sigterm(worker)
    assert back_s < BACK_WITHIN[broker.kind], f"the killed worker's job came back in {back_s:.1f} s"
    return back_s


@contextlib.contextmanager
def report_row_locked(database_url: str, report_id: int) -> Iterator[None]:
    """A transaction of the test's own holds report `report_id`'s row (on SQLite, the whole
    file) for writing: a job that would mark it waits or fails as busy, and is retried, until
    the lock is let go. Reading the report is not held up."""
    with database_connection(database_url) as connection:
        cursor = connection.cursor()
        if database_url.startswith("sqlite"):
            cursor.execute("BEGIN IMMEDIATE")
        else:
            cursor.execute("BEGIN")
            cursor.execute("SELECT id FROM reports WHERE id = %s FOR UPDATE", (report_id,))
        try:
            yield
        finally:
            cursor.execute("ROLLBACK")


def _stop_on_sigterm(worker: Worker) -> float:
    """SIGTERM to the worker's command, as `docker stop` sends it to the container's PID 1:
    every process of the group (the worker's children, then uv and make) is gone within 30 s.
    Returns the seconds taken.

    Only the command is signalled: `uv run` forwards a SIGTERM to its child, so a signal to the
    whole group would reach the worker twice, which a container never does (and which taskiq's
    process manager does not survive: its signal handler deadlocks on its own queue)."""
    stopping = time.monotonic()
    os.kill(command_pid(worker.process), signal.SIGTERM)
    while process_group_alive(worker.process):
        if time.monotonic() - stopping > 30:
            pytest.fail(f"the worker outlived SIGTERM by 30 s:\n{worker.output()}")
        worker.process.poll()  # reaps make, the group's leader, once it has exited
        time.sleep(0.1)
    return time.monotonic() - stopping


def _check_broker_outage(
    client: httpx.Client, proxy: TcpProxy, other_checks: dict[str, str], done: dict[str, Any]
) -> float:
    """Cut the broker off: readiness names it, a new job is refused fast with 503; a report
    is still read from the database. Returns the refused POST's time in ms."""
    path = f"/api/reports/{done['id']}"
    before = client.get(path).json()
    proxy.stop()
    try:
        ready = client.get("/health/ready")
        assert ready.status_code == 503, ready.text
        assert ready.json() == {
            "status": "unavailable",
            "checks": {**other_checks, "broker": "unreachable"},
        }
        started = time.monotonic()
        refused = client.post("/api/reports")
        refused_ms = (time.monotonic() - started) * 1000
        assert refused.status_code == 503, refused.text
        assert refused.headers.get("retry-after", "").isdigit(), refused.headers
        assert refused.headers["content-type"].startswith("application/"), refused.headers
        assert refused_ms < 5000, f"a POST waited {refused_ms:.0f} ms on a dead broker"
        assert client.get(path).json() == before
    finally:
        proxy.start()
    deadline = time.monotonic() + 15
    while client.get("/health/ready").status_code != 200:
        assert time.monotonic() < deadline, "readiness did not recover with the broker"
        time.sleep(0.2)
    return round(refused_ms, 1)
