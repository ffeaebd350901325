"""Benchmark every framework's starter against its own ceilings, on this machine.

    uv run python bench/run.py            # the full run (about 30 minutes)
    uv run python bench/run.py --smoke    # seconds per framework: proves the harness works

For each framework it generates the default starter (PostgreSQL), installs it, and measures
three contenders on the same server configuration, one worker pinned to one core, with wrk
pinned to the other core:

- starter: the generated project, started with `make serve` in production mode;
- minimal: the same framework and database stack in one small app (bench/minimal/; the
  FastAPI and Litestar apps share their database module, async_db.py);
- bare: the bare ASGI/WSGI server answering /health/live (bench/bare/).

Scenarios: GET /health/live, GET /api/items?limit=10 on seeded PostgreSQL, POST /api/items,
the read again through a proxy that delays PostgreSQL traffic (bench/latency_proxy.py) at
high concurrency, and a burst: 256 connections reading the list from a server that has
served nothing yet, for 10 s, with a 5 s timeout. Every measurement starts a fresh server,
warms it up (except the burst), and rounds interleave the contenders; the tables report the
median and the min-max. Beside them: the database round trips each request costs (counted
by a proxy between the app and PostgreSQL), memory, and the time from start to the first
200, both through `make serve` and as the image runs the app (`python -m <package>` in a
virtual environment with its bytecode compiled).
Ratios matter more than absolute numbers: they travel between machines, the numbers do not.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx

from harness import (
    Server,
    TcpProxy,
    admin_execute,
    compose_app_environment,
    copy_template,
    free_port,
    parse_dockerfile,
    parse_env,
    project_environment,
    run,
    serve,
    throwaway_database,
)

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
SEED_ROWS = 200


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    script: str
    connections: int
    slow_database: bool = False
    cold: bool = False  # no warm-up: the first requests find no connection open yet
    timeout_s: float = 2.0  # wrk counts a request unanswered for this long as a timeout
    seconds: float | None = None  # a fixed length instead of --duration


SCENARIOS = [
    Scenario("live", "/health/live", "get.lua", 32),
    Scenario("read", "/api/items?limit=10", "get.lua", 32),
    Scenario("write", "/api/items", "post.lua", 32),
    Scenario("slow-db read", "/api/items?limit=10", "get.lua", 64, slow_database=True),
    Scenario(
        "burst", "/api/items?limit=10", "get.lua", 256, cold=True, timeout_s=5.0, seconds=10.0
    ),
]
ROUND_TRIP_PATHS = {"live": "/health/live", "read": "/api/items?limit=10", "write": "/api/items"}


@dataclass(frozen=True)
class Framework:
    name: str
    items_table: str
    minimal_app: str  # module:attribute in bench/minimal
    interface: str  # how the starter's server (granian) talks to the app: "asgi" or "wsgi"
    starter_factory: str  # module:attribute that makes the starter's app, as its server does


PROJECT_NAME = "Bench Service"
PACKAGE = "bench_service"  # what the template derives from PROJECT_NAME

FRAMEWORKS = {
    "fastapi": Framework(
        "fastapi", "items", "minimal_fastapi:app", "asgi", f"{PACKAGE}.__main__:serving_app"
    ),
    "django": Framework(
        "django",
        "items_item",
        "minimal_django:application",
        "wsgi",
        f"{PACKAGE}.__main__:serving_app",
    ),
    "flask": Framework(
        "flask", "items", "minimal_flask:app", "wsgi", f"{PACKAGE}.__main__:serving_app"
    ),
    "litestar": Framework(
        "litestar", "items", "minimal_litestar:app", "asgi", f"{PACKAGE}.__main__:serving_app"
    ),
}


@dataclass(frozen=True)
class WrkRun:
    rps: float
    p99_ms: float
    non_2xx: int
    timeouts: int  # requests unanswered within the scenario's timeout
    socket_errors: int  # connections refused, reset or failed while reading or writing


@dataclass
class Result:
    rps: list[float] = field(default_factory=list)
    p99_ms: list[float] = field(default_factory=list)
    non_2xx: int = 0
    timeouts: int = 0
    socket_errors: int = 0

    def add(self, run: WrkRun) -> None:
        self.rps.append(run.rps)
        self.p99_ms.append(run.p99_ms)
        self.non_2xx += run.non_2xx
        self.timeouts += run.timeouts
        self.socket_errors += run.socket_errors

    @property
    def errors(self) -> int:
        return self.non_2xx + self.timeouts + self.socket_errors


@dataclass
class FrameworkReport:
    framework: str
    results: dict[tuple[str, str], Result] = field(default_factory=dict)
    rss_mb: list[float] = field(default_factory=list)
    cold_start_s: list[float] = field(default_factory=list)
    image_cold_start_s: list[float] = field(default_factory=list)
    dependency_mb: float = 0.0
    # Database round trips per request, by contender and ROUND_TRIP_PATHS key.
    round_trips: dict[tuple[str, str], float] = field(default_factory=dict)
    pool_connections: int = 0  # connections one worker can use at once


def server_command(framework: Framework, contender: str, project: Path) -> list[str]:
    """How each contender starts: the starter exactly as production, the others alike."""
    if contender == "starter":
        return ["make", "serve"]
    if contender == "minimal":
        app = framework.minimal_app
    else:
        app = "asgi_app:app" if framework.interface == "asgi" else "wsgi_app:application"
    # The starter's own server (granian) and settings; the shell fills in the port the harness
    # picked. WSGI apps run on a pool of blocking threads, ASGI apps on the event loop.
    threads = '--blocking-threads "${WEB_THREADS:-4}" ' if framework.interface == "wsgi" else ""
    return [
        "bash",
        "-c",
        f"exec uv run --no-sync granian {app} --interface {framework.interface} --workers 1 "
        f'{threads}--no-access-log --host "$HOST" --port "$PORT"',
    ]


def wrk(url: str, scenario: Scenario, seconds: float) -> WrkRun:
    command = [
        "wrk",
        "-t1",
        f"-c{scenario.connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={scenario.timeout_s:g}s",
        "--latency",
        "-s",
        str(BENCH / scenario.script),
        url + scenario.path,
    ]
    if shutil.which("taskset") and os.cpu_count() and os.cpu_count() > 1:  # type: ignore[operator]
        command = ["taskset", "-c", "1", *command]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    connect, read, write, timeouts = (int(n) for n in socket.groups()) if socket else (0, 0, 0, 0)
    return WrkRun(
        rps,
        p99,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        timeouts=timeouts,
        socket_errors=connect + read + write,
    )


def worker_rss_mb(root_pid: int) -> float:
    """The largest resident set among the server's processes (the worker, after load)."""
    sizes = []
    for pid in descendants(root_pid):
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{pid}/status").read_text()
            if match := re.search(r"VmRSS:\s+(\d+) kB", status):
                sizes.append(int(match.group(1)) / 1024)
    return max(sizes, default=0.0)


def descendants(pid: int) -> list[int]:
    """The process and all its descendants (children of every thread: uv spawns from one)."""
    found = [pid]
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            for child in children.read_text().split():
                found += descendants(int(child))
    return found


def directory_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1024 / 1024


def production_environment(project: Path, database_url: str) -> dict[str, str]:
    runtime = {}
    for keyword, rest in parse_dockerfile((project / "Dockerfile").read_text())[
        "runtime"
    ].instructions:
        if keyword == "ENV":
            runtime.update(parse_env(rest))
    runtime = {k: v for k, v in runtime.items() if k not in {"PATH", "HOST", "PORT"}}
    return {**compose_app_environment(project, database_url), **runtime, "WEB_CONCURRENCY": "1"}


@contextlib.contextmanager
def pinned_server(
    command: list[str], project: Path, env: dict[str, str], log: Path
) -> Iterator[Server]:
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        command = ["taskset", "-c", "0", *command]  # children (the worker) inherit the core
    with serve(command, project, env, log) as server:
        yield server


@contextlib.contextmanager
def latency_proxy(target: str, delay_ms: float) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(BENCH / "latency_proxy.py"),
            "--listen",
            f"127.0.0.1:{port}",
            "--target",
            target,
            "--delay-ms",
            str(delay_ms),
        ],
    )
    try:
        time.sleep(0.5)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def prepare(framework: str, work: Path, template: Path) -> Path:
    from copier import run_copy

    project = work / framework
    run_copy(
        str(template),
        project,
        data={"project_name": PROJECT_NAME, "framework": framework, "database": "postgresql"},
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    env = project_environment()
    run(["make", "install"], project, env)
    return project


def dependency_size(project: Path, work: Path) -> float:
    venv = work / f"{project.name}-runtime-venv"
    env = project_environment(UV_PROJECT_ENVIRONMENT=str(venv))
    # As the image installs it: no development tools, the package itself installed, not linked,
    # and bytecode compiled ahead (the image's UV_COMPILE_BYTECODE).
    run(["uv", "sync", "--frozen", "--no-dev", "--no-editable", "--compile-bytecode"], project, env)
    return directory_mb(venv)


def bench_environment() -> dict[str, str]:
    """The projects' environment, able to import the minimal and bare apps too."""
    return project_environment(PYTHONPATH=f"{BENCH / 'minimal'}:{BENCH / 'bare'}")


@contextlib.contextmanager
def seeded_database(
    project: Path, work: Path, env: dict[str, str]
) -> Iterator[tuple[str, dict[str, str]]]:
    """A throwaway PostgreSQL database, migrated and seeded through the starter's own API.

    Yields its URL and the production environment that points the starter at it.
    """
    with throwaway_database("postgresql") as database_url:
        production = production_environment(project, database_url)
        run(["make", "migrate"], project, {**env, **production})
        with (
            pinned_server(
                ["make", "serve"], project, {**env, **production}, work / "seed.log"
            ) as server,
            httpx.Client(base_url=server.url, headers=PROXY_HEADERS) as client,
        ):
            for n in range(SEED_ROWS):
                client.post(
                    "/api/items", json={"name": f"seed {n}", "description": "bench"}
                ).raise_for_status()
        yield database_url, production


def bench_framework(
    framework: Framework, project: Path, work: Path, args: argparse.Namespace
) -> FrameworkReport:
    report = FrameworkReport(framework.name)
    report.dependency_mb = dependency_size(project, work)
    env = bench_environment()
    with seeded_database(project, work, env) as (database_url, production):
        host_port = database_url.split("@", 1)[1].split("/", 1)[0]
        contenders = ["starter", "minimal", "bare"]
        scenarios = [s for s in SCENARIOS if s.name in args.scenarios]
        for round_number in range(args.rounds):
            for scenario in scenarios:
                for contender in contenders:
                    if contender == "bare" and scenario.name != "live":
                        continue
                    url_env = dict(production)
                    proxy: contextlib.AbstractContextManager[int | None] = contextlib.nullcontext(
                        None
                    )
                    if scenario.slow_database:
                        proxy = latency_proxy(host_port, args.delay_ms)
                    with proxy as proxy_port:
                        if proxy_port:
                            url_env["DATABASE_URL"] = database_url.replace(
                                host_port, f"127.0.0.1:{proxy_port}"
                            )
                        command = server_command(framework, contender, project)
                        log = work / f"{framework.name}-{contender}.log"
                        with pinned_server(command, project, {**env, **url_env}, log) as server:
                            if contender == "starter" and scenario.name == "live":
                                report.cold_start_s.append(server.started_in)
                            if args.warmup and not scenario.cold:
                                wrk(server.url, scenario, args.warmup)
                            run = wrk(server.url, scenario, measured_seconds(scenario, args))
                            report.results.setdefault((scenario.name, contender), Result()).add(run)
                            if contender == "starter" and scenario.name == "read":
                                report.rss_mb.append(worker_rss_mb(server.process.pid))
                    if scenario.name == "write":
                        admin_execute(
                            database_url,
                            f"DELETE FROM {framework.items_table} WHERE id > {SEED_ROWS}",
                        )
            print(f"  {framework.name}: round {round_number + 1}/{args.rounds} done", flush=True)
        for contender in ("starter", "minimal"):
            command = server_command(framework, contender, project)
            counts = count_round_trips(command, project, env, production, database_url, work)
            for path, per_request in counts.items():
                report.round_trips[(contender, path)] = per_request
        admin_execute(database_url, f"DELETE FROM {framework.items_table} WHERE id > {SEED_ROWS}")
        report.pool_connections = pool_connections(framework, project, production)
        runtime_venv = work / f"{project.name}-runtime-venv"
        for _ in range(args.cold_starts):
            # From the project folder, as the image's WORKDIR holds the code that is not
            # installed as a package (Django's project).
            with serve(
                [str(runtime_venv / "bin" / "python"), "-m", PACKAGE],
                project,
                {**env, **production},
                work / f"{framework.name}-image.log",
            ) as server:
                report.image_cold_start_s.append(server.started_in)
    return report


def measured_seconds(scenario: Scenario, args: argparse.Namespace) -> float:
    """A scenario's own length, or --duration; a smoke run is never longer than --duration."""
    seconds = scenario.seconds or args.duration
    return min(seconds, args.duration) if args.smoke else seconds


def count_round_trips(
    command: list[str],
    project: Path,
    env: dict[str, str],
    production: dict[str, str],
    database_url: str,
    work: Path,
    requests: int = 50,
) -> dict[str, float]:
    """Database round trips per request, by ROUND_TRIP_PATHS key, one request at a time.

    The app reaches PostgreSQL through a proxy that counts the times the app speaks after
    the database has (harness.TcpProxy); its pool is warmed up first, so opening
    connections is not counted.
    """
    host_port = database_url.split("@", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    proxy = TcpProxy(host, int(port))
    proxy.start()
    through_proxy = database_url.replace(host_port, f"127.0.0.1:{proxy.port}")
    counts = {}
    try:
        with (
            pinned_server(
                command,
                project,
                {**env, **production, "DATABASE_URL": through_proxy},
                work / "round-trips.log",
            ) as server,
            httpx.Client(base_url=server.url, headers=PROXY_HEADERS) as client,
        ):
            for name, path in ROUND_TRIP_PATHS.items():
                method = "POST" if name == "write" else "GET"
                body = {"name": "round trip"} if method == "POST" else None
                for _ in range(5):  # open the connections the path needs
                    client.request(method, path, json=body).raise_for_status()
                before = proxy.turns
                for _ in range(requests):
                    client.request(method, path, json=body).raise_for_status()
                counts[name] = (proxy.turns - before) / requests
    finally:
        proxy.stop()
    return counts


def pool_connections(framework: Framework, project: Path, production: dict[str, str]) -> int:
    """How many queries one worker can have in flight: its pool, and its threads under WSGI."""
    setting = {**parse_env_example(project), **production}
    threads = int(setting.get("WEB_THREADS") or 0)
    pool = setting.get("DB_POOL_SIZE", "")
    size = int(pool) + int(setting.get("DB_MAX_OVERFLOW") or 0) if pool.isdigit() else threads
    return min(size, threads) if framework.interface == "wsgi" else size


def parse_env_example(project: Path) -> dict[str, str]:
    """The documented defaults: `# NAME=value` lines of the project's .env.example."""
    found = {}
    for line in (project / ".env.example").read_text().splitlines():
        if match := re.fullmatch(r"#? ?([A-Z][A-Z0-9_]*)=(.*)", line):
            found[match.group(1)] = match.group(2)
    return found


def spread(values: list[float], digits: int = 0) -> str:
    if not values:
        return "-"
    middle = statistics.median(values)
    if len(values) == 1:
        return f"{middle:,.{digits}f}"
    return f"{middle:,.{digits}f} ({min(values):,.{digits}f}-{max(values):,.{digits}f})"


def markdown(reports: list[FrameworkReport], args: argparse.Namespace) -> str:
    round_trip_s = 2 * args.delay_ms / 1000
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. {args.rounds} rounds x {args.duration:g} s, "
        f"one worker on core 0, wrk on core 1; slow database: +{args.delay_ms:g} ms each way.",
        "",
        "| framework | scenario | starter req/s | minimal req/s | bare req/s | starter / minimal | starter p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for report in reports:
        for scenario in [s.name for s in SCENARIOS if s.name != "burst"]:
            starter = report.results.get((scenario, "starter"))
            if starter is None:
                continue
            minimal = report.results.get((scenario, "minimal"), Result())
            bare = report.results.get((scenario, "bare"), Result())
            errors = starter.errors + minimal.errors + bare.errors
            lines.append(
                f"| {report.framework} | {scenario} | {spread(starter.rps)} | {spread(minimal.rps)} "
                f"| {spread(bare.rps)} | {ratio(starter.rps, minimal.rps)} "
                f"| {spread(starter.p99_ms, 1)} | {errors} |"
            )
    burst = next(s for s in SCENARIOS if s.name == "burst")
    if any(("burst", "starter") in report.results for report in reports):
        lines += [
            "",
            f"Burst: {burst.connections} connections on a server that has served nothing yet, "
            f"{measured_seconds(burst, args):g} s, {burst.timeout_s:g} s timeout.",
            "",
            "| framework | contender | answered req/s | p99 ms | non-2xx | timeouts | socket errors |",
            "|---|---|---|---|---|---|---|",
        ]
        for report in reports:
            for contender in ("starter", "minimal"):
                if result := report.results.get(("burst", contender)):
                    lines.append(
                        f"| {report.framework} | {contender} | {spread(result.rps)} "
                        f"| {spread(result.p99_ms, 1)} | {result.non_2xx} | {result.timeouts} "
                        f"| {result.socket_errors} |"
                    )
    lines += [
        "",
        "Database round trips per request (one request at a time, counted between the app and "
        "PostgreSQL), and the slow-database read against its bound: the connections a worker "
        f"can use at once / ({round_trip_s * 1000:g} ms x the read's round trips).",
        "",
        "| framework | starter live / read / write | minimal read / write | connections "
        "| slow-db read req/s | bound | req/s / bound |",
        "|---|---|---|---|---|---|---|",
    ]
    for report in reports:
        trips = report.round_trips
        starter_trips = " / ".join(f"{trips.get(('starter', p), 0):g}" for p in ROUND_TRIP_PATHS)
        minimal_trips = " / ".join(f"{trips.get(('minimal', p), 0):g}" for p in ("read", "write"))
        slow = report.results.get(("slow-db read", "starter"), Result())
        read_trips = trips.get(("starter", "read"), 0)
        bound = report.pool_connections / (round_trip_s * read_trips) if read_trips else 0.0
        lines.append(
            f"| {report.framework} | {starter_trips} | {minimal_trips} | {report.pool_connections} "
            f"| {spread(slow.rps)} | {bound:,.0f} "
            f"| {ratio(slow.rps, [bound]) if slow.rps and bound else '-'} |"
        )
    lines += [
        "",
        "| framework | worker RSS after load (MB) | cold start to first 200, `make serve` (s) "
        "| cold start, `python -m` as in the image (s) | runtime dependencies (MB) |",
        "|---|---|---|---|---|",
    ]
    for report in reports:
        lines.append(
            f"| {report.framework} | {spread(report.rss_mb, 1)} | {spread(report.cold_start_s, 2)} "
            f"| {spread(report.image_cold_start_s, 2)} | {report.dependency_mb:.1f} |"
        )
    return "\n".join(lines) + "\n"


def ratio(numerators: list[float], denominators: list[float]) -> str:
    if not numerators or not denominators:
        return "-"
    return f"{statistics.median(numerators) / statistics.median(denominators):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the stackpick starters.")
    parser.add_argument(
        "--smoke", action="store_true", help="seconds, not minutes: check the harness"
    )
    parser.add_argument(
        "--frameworks", nargs="+", default=list(FRAMEWORKS), choices=list(FRAMEWORKS)
    )
    parser.add_argument(
        "--scenarios",
        nargs="+",
        default=[s.name for s in SCENARIOS],
        choices=[s.name for s in SCENARIOS],
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before each one")
    parser.add_argument("--delay-ms", type=float, default=20.0, help="slow-database delay")
    parser.add_argument(
        "--cold-starts", type=int, default=5, help="starts of the image's command to time"
    )
    parser.add_argument("--output", type=Path, default=BENCH / "results" / "latest.md")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.duration, args.warmup, args.cold_starts = 1, 1.0, 0.0, 1
        args.scenarios = ["live", "read", "burst"]
    reports: list[FrameworkReport] = []

    def measure(framework: Framework, project: Path, work: Path) -> FrameworkReport:
        reports.append(bench_framework(framework, project, work, args))
        publish(markdown(reports, args), args.output)  # what is measured survives a later failure
        return reports[-1]

    measure_starters(args.frameworks, ["wrk", "make"], measure)


T = TypeVar("T")


def measure_starters(
    names: list[str], tools: list[str], measure: Callable[[Framework, Path, Path], T]
) -> list[T]:
    """Generate and install each framework's starter in a scratch folder, then measure it."""
    for tool in tools:
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (Debian: apt-get install {tool})")
    results = []
    with tempfile.TemporaryDirectory(prefix="stackpick-bench-") as tmp:
        work = Path(tmp)
        template = copy_template(work / "template")
        for name in names:
            print(f"{name}: generating and installing the starter", flush=True)
            project = prepare(name, work, template)
            results.append(measure(FRAMEWORKS[name], project, work))
    return results


def publish(table: str, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(table)
    print(table)


if __name__ == "__main__":
    main()
