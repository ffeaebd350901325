"""What a served project must survive beyond the happy path: outages, shutdown, fuzzing, a browser.

Each check drives a running server from the outside, as a client, an orchestrator or an
attacker would, and returns the figures it measured so a run can report them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness import Server, TcpProxy

# Requests arrive through a TLS-terminating proxy in production.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}

# The contract's bounds, with slack for a loaded two-core machine.
HEALTH_TIMEOUT = 2.0  # every starter's default
OUTAGE_ANSWER_WITHIN = 3.5  # "503 within about 3 s"
SHUTDOWN_WITHIN = 10.0


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is installed (the template's dev dependencies, or .ci/run)"
    return path


# --- The database goes away under readers ------------------------------------------------


@dataclass
class Answer:
    started: float
    elapsed: float
    status: int | None  # None: the connection failed
    retry_after: str | None = None
    detail: str = ""


@dataclass
class OutageFigures:
    first_503_s: float
    slowest_503_s: float
    ready_s: float
    recovery_s: float
    answers: dict[str, int] = field(default_factory=dict)


def _read_items(base_url: str, stop: threading.Event, answers: list[Answer]) -> None:
    with httpx.Client(base_url=base_url, headers=PROXY_HEADERS, timeout=15) as client:
        while not stop.is_set():
            started = time.monotonic()
            try:
                response = client.get("/api/items", params={"limit": 10})
            except httpx.TransportError as error:
                answers.append(
                    Answer(started, time.monotonic() - started, None, detail=repr(error))
                )
                continue
            kind = response.headers.get("content-type", "")
            answers.append(
                Answer(
                    started,
                    time.monotonic() - started,
                    response.status_code,
                    response.headers.get("retry-after"),
                    "" if kind.startswith("application/json") else f"content-type {kind}",
                )
            )


def check_outage_under_readers(base_url: str, proxy: TcpProxy, readers: int = 8) -> OutageFigures:
    """Cut the database while `readers` clients keep every request thread busy, then restore it.

    While it is away every read answers 503 JSON with Retry-After within about 3 s, and
    /health/ready says 503 within HEALTH_TIMEOUT; the first request after it returns succeeds.
    """
    stop = threading.Event()
    answers: list[Answer] = []
    threads = [
        threading.Thread(target=_read_items, args=(base_url, stop, answers), daemon=True)
        for _ in range(readers)
    ]
    with httpx.Client(base_url=base_url, headers=PROXY_HEADERS, timeout=15) as probe:
        for thread in threads:
            thread.start()
        try:
            time.sleep(1.0)
            cut = time.monotonic()
            proxy.stop()
            time.sleep(1.5)
            asked = time.monotonic()
            ready = probe.get("/health/ready")
            ready_s = time.monotonic() - asked
            assert ready.status_code == 503, ready.text
            assert ready.json()["checks"]["database"] == "unreachable", ready.text
            time.sleep(1.0)
            back = time.monotonic()
            proxy.start()
            first = probe.get("/api/items", params={"limit": 1})
            recovery_s = time.monotonic() - back
            assert first.status_code == 200, f"the first read after the return: {first.text}"
            time.sleep(1.0)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)

    failed = [answer for answer in answers if answer.status is None or answer.detail]
    assert not failed, failed[:5]
    assert all(answer.status in {200, 503} for answer in answers), Counter(
        answer.status for answer in answers
    )
    during = [a for a in answers if cut + 0.2 <= a.started and a.started + a.elapsed < back]
    assert during, "readers were answered during the outage"
    assert all(a.status == 503 for a in during), Counter(a.status for a in during)
    unavailable = [a for a in answers if a.status == 503]
    assert all(a.retry_after and a.retry_after.isdigit() for a in unavailable), unavailable[:3]
    slowest = max(a.elapsed for a in unavailable)
    assert slowest <= OUTAGE_ANSWER_WITHIN, f"a 503 took {slowest:.2f} s"
    assert ready_s <= HEALTH_TIMEOUT + 0.5, f"/health/ready took {ready_s:.2f} s"
    after = [a for a in answers if a.started > back + recovery_s]
    assert all(a.status == 200 for a in after), Counter(a.status for a in after)
    first_503 = min(a.started + a.elapsed for a in unavailable) - cut
    return OutageFigures(
        first_503_s=round(first_503, 3),
        slowest_503_s=round(slowest, 3),
        ready_s=round(ready_s, 3),
        recovery_s=round(recovery_s, 3),
        answers={str(k): v for k, v in Counter(a.status for a in answers).items()},
    )


# --- SIGTERM with a request in flight ----------------------------------------------------


def _read_status(sock: socket.socket) -> int:
    received = b""
    while b"\r\n" not in received:
        chunk = sock.recv(4096)
        if not chunk:
            break
        received += chunk
    match = re.match(rb"HTTP/1\.[01] (\d{3})", received)
    assert match, received[:200]
    return int(match.group(1))


IN_FLIGHT_BODY = json.dumps({"name": "in flight at shutdown"}).encode()


def check_graceful_shutdown(
    server: Server,
    path: str = "/api/items",
    body: bytes = IN_FLIGHT_BODY,
    headers: dict[str, str] | None = None,
    status_expected: int = 201,
) -> float:
    """SIGTERM (as `docker stop` sends it to the image's CMD) while a request is in flight.

    The request (a POST of `body` to `path`), whose body is still arriving when the signal
    lands, is answered with `status_expected`; new connections are not served; the process
    exits within 10 s. Returns the seconds it took.
    """
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"X-Forwarded-Proto: https\r\n{extra}\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=15) as in_flight:
        in_flight.sendall(head + body[:8])
        time.sleep(0.5)
        signalled = time.monotonic()
        os.kill(server.process.pid, signal.SIGTERM)
        time.sleep(1.0)
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", server.port), timeout=2) as late,
        ):
            late.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
            late.settimeout(3)
            answer = late.recv(4096)
            assert not answer.startswith(b"HTTP/1.1 200"), "served a new request after SIGTERM"
        in_flight.sendall(body[8:])
        status = _read_status(in_flight)
    assert status == status_expected, f"the request in flight was answered {status}"
    try:
        server.process.wait(timeout=SHUTDOWN_WITHIN)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running {SHUTDOWN_WITHIN} s after SIGTERM:\n{server.output()}")
    return round(time.monotonic() - signalled, 3)


# --- Schemathesis against the OpenAPI document -------------------------------------------

# Generates sign-up addresses the way the starters document them (see the module's docstring).
SCHEMATHESIS_HOOKS = Path(__file__).with_name("schemathesis_hooks.py")


def run_schemathesis(
    base_url: str, report_dir: Path, headers: dict[str, str], max_examples: int = 25
) -> int:
    """Every check schemathesis has: no 5xx, statuses, content types and bodies as documented,
    valid data accepted, invalid data refused, 405 with Allow, deleted items gone, and (with a
    token in `headers`) operations that need one refusing a request without it.

    Fails on any finding; returns the number of requests it sent."""
    report = report_dir / "schemathesis.ndjson"
    command = [
        tool("schemathesis"),
        "run",
        f"{base_url}/api/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(max_examples),
        "--workers",
        "1",
        "--seed",
        "20261202",
        "--request-timeout",
        "10",
        "--header",
        "X-Forwarded-Proto: https",
        *(option for name, value in headers.items() for option in ("--header", f"{name}: {value}")),
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--no-color",
    ]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        cwd=report_dir,
        env={**os.environ, "SCHEMATHESIS_HOOKS": str(SCHEMATHESIS_HOOKS)},
    )
    requests = _count_requests(report)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    return requests


def _count_requests(report: Path) -> int:
    """Requests schemathesis sent: the interactions its event log records per scenario."""
    if not report.is_file():
        return 0
    total = 0
    for line in report.read_text().splitlines():
        event = json.loads(line)
        if "ScenarioFinished" in event:
            total += len(event["ScenarioFinished"]["recorder"].get("interactions", {}))
    return total


# --- The interactive docs in a real browser, with nothing but loopback reachable ---------


def check_docs_render_offline(base_url: str, work: Path) -> int:
    """Headless Chromium renders /api/docs with every other host unresolvable.

    Swagger UI's scripts and styles must come from the app itself: from a CDN the page
    stays blank. Returns the number of operations the page shows.
    """
    profile = work / "chromium-profile"
    command = [
        tool("chromium"),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        # Any host but loopback fails to resolve: a CDN asset cannot load.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--virtual-time-budget=15000",
        "--dump-dom",
        f"{base_url}/api/docs",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    dom = result.stdout
    document: dict[str, Any] = httpx.get(
        f"{base_url}/api/openapi.json", headers=PROXY_HEADERS
    ).json()
    operations = re.findall(r'class="opblock-summary-path"[^>]*data-path="([^"]+)"', dom)
    assert operations, f"Swagger UI rendered no operation:\n{dom[:3000]}\n{result.stderr[-2000:]}"
    for path in document["paths"]:
        assert path in operations, (path, sorted(set(operations)))
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', dom)
    remote = [url for url in assets if re.match(r"(https?:)?//", url) and "127.0.0.1" not in url]
    assert not remote, f"assets from elsewhere: {remote}"
    return len(operations)
