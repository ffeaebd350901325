"""Count the instructions one request costs each starter and its minimal app.

    uv run python bench/instructions.py                      # about 17 minutes on 2 cores
    uv run python bench/instructions.py --frameworks django  # one framework

Requests per second on a shared machine move by a tenth from run to run (on the machine
the README's table comes from, the same pure-Python loop took anywhere from 62 to 141 ms),
which is as large as the gaps the tuning goals are about. Instructions do not move: valgrind's
callgrind counts them the same on every run. Each app serves GET requests in its own process,
without a server (bench/inprocess.py), twice with different numbers of requests; the
difference divided by the extra requests is the cost of one, with start-up, imports and
warm-up cancelled out. Only the app's process is counted: the server, PostgreSQL and the
client are not, so the ratio is of the work the starter adds to its framework, the part
tuning can change. Each app gets the environment its production server would.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from run import (
    BENCH,
    FRAMEWORKS,
    Framework,
    bench_environment,
    measure_starters,
    publish,
    seeded_database,
)

SCENARIOS = {"live": "/health/live", "read": "/api/items?limit=10"}
WARMUP = 20  # requests before those counted, in both runs


def app_arguments(framework: Framework, contender: str, path: str) -> list[str]:
    """bench/inprocess.py's arguments for one app and path, all but the number of requests."""
    if contender == "starter":
        app = [framework.starter_factory, "--factory"]
    else:
        app = [framework.minimal_app]
    return [str(BENCH / "inprocess.py"), framework.interface, *app, path, "--warmup", str(WARMUP)]


def total_instructions(callgrind_output: Path) -> int:
    """The program's total from callgrind's output file (its `summary:` or `totals:` line)."""
    for line in callgrind_output.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise ValueError(f"no instruction total in {callgrind_output}")


def instructions_per_request(
    python: Path, arguments: list[str], cwd: Path, env: dict[str, str], extra_requests: int
) -> float:
    """Instructions for `extra_requests` more requests, divided by them."""
    # Both runs must do the same start-up work to cancel out: one hash seed, and modules
    # compiled to bytecode beforehand by a run without valgrind (which also fails fast).
    env = {**env, "PYTHONHASHSEED": "0"}
    run_app([str(python), *arguments, "--requests", "1"], cwd, env)
    totals = []
    with tempfile.TemporaryDirectory(prefix="stackpick-callgrind-") as tmp:
        for count in (extra_requests // 4, extra_requests // 4 + extra_requests):
            output = Path(tmp) / f"callgrind.{count}"
            valgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={output}"]
            run_app([*valgrind, str(python), *arguments, "--requests", str(count)], cwd, env)
            totals.append(total_instructions(output))
    return (totals[1] - totals[0]) / extra_requests


def run_app(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")


def count_framework(
    framework: Framework, project: Path, work: Path, extra_requests: int
) -> dict[tuple[str, str], float]:
    """Instructions per request for (scenario, contender), measured in parallel, one per core."""
    env = bench_environment()
    with seeded_database(project, work, env) as (_, production):
        # The Django starter's package sits at the project root rather than in the venv.
        app_env = {**env, **production, "PYTHONPATH": f"{project}:{env['PYTHONPATH']}"}
        python = project / ".venv" / "bin" / "python"
        jobs = {
            (scenario, contender): (
                python,
                app_arguments(framework, contender, path),
                project,
                app_env,
                extra_requests,
            )
            for scenario, path in SCENARIOS.items()
            for contender in ("starter", "minimal")
        }
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            futures = {
                key: pool.submit(instructions_per_request, *job) for key, job in jobs.items()
            }
            return {key: future.result() for key, future in futures.items()}


def markdown(counts: dict[str, dict[tuple[str, str], float]], extra_requests: int) -> str:
    lines = [
        f"Instructions per request (valgrind callgrind, {extra_requests} requests in-process, "
        "the app's process only).",
        "",
        "| framework | scenario | starter | minimal | minimal / starter |",
        "|---|---|---|---|---|",
    ]
    for framework, results in counts.items():
        for scenario in SCENARIOS:
            starter = results[(scenario, "starter")]
            minimal = results[(scenario, "minimal")]
            lines.append(
                f"| {framework} | {scenario} | {starter:,.0f} | {minimal:,.0f} "
                f"| {minimal / starter:.2f} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Count instructions per request.")
    parser.add_argument(
        "--frameworks", nargs="+", default=list(FRAMEWORKS), choices=list(FRAMEWORKS)
    )
    parser.add_argument("--requests", type=int, default=200, help="requests counted per app")
    parser.add_argument("--output", type=Path, default=BENCH / "results" / "instructions.md")
    args = parser.parse_args()
    counts = measure_starters(
        args.frameworks,
        ["valgrind", "make"],
        lambda framework, project, work: count_framework(framework, project, work, args.requests),
    )
    publish(markdown(dict(zip(args.frameworks, counts, strict=True)), args.requests), args.output)


if __name__ == "__main__":
    main()
