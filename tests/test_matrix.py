"""The runtime matrix covers every pair of answer values, not every combination.

test_runtime.py runs a few whole projects; which ones is chosen so that every value of every
dimension, and every pair of values of two dimensions, is served, tested and walked at least
once. This checks that choice whenever the rows change.
"""

from __future__ import annotations

import itertools
from typing import Any

from test_runtime import ROWS, Row

# Each dimension's values. The broker exists only with a task queue; taskiq only where the
# request path is async (the questionnaire refuses it elsewhere).
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "variant": ("fastapi", "django-ninja", "django-drf", "flask", "litestar"),
    "database": ("sqlite", "postgresql", "mysql"),
    "python": ("3.12", "3.13"),
    "resolution": ("highest", "lowest-direct"),
    "cache": ("none", "redis"),
    "task_queue": ("none", "celery", "taskiq"),
    "broker": ("redis", "rabbitmq"),
    "auth": ("none", "users"),
    "admin": ("no", "yes"),
}
ASYNC_VARIANTS = {"fastapi", "litestar"}


def values(row: Row) -> dict[str, Any]:
    variant = row.framework
    if row.framework == "django":
        variant += "-" + row.extra["django_api"]
    found = {
        "variant": variant,
        "database": row.database,
        "python": row.python,
        "resolution": row.resolution,
        "cache": row.extra["cache"],
        "task_queue": row.extra["task_queue"],
    }
    if row.extra["task_queue"] != "none":
        found["broker"] = row.extra["broker"]
    found["auth"] = row.extra["auth"]  # after the broker: pairs follow DIMENSIONS' order
    found["admin"] = "yes" if row.extra["needs_admin_ui"] else "no"
    return found


def possible(pair: dict[str, str]) -> bool:
    if pair.get("task_queue") == "none" and "broker" in pair:
        return False
    if pair.get("task_queue") == "taskiq" and "variant" in pair:
        return pair["variant"] in ASYNC_VARIANTS
    return True


def test_every_pair_of_values_is_run() -> None:
    covered = {
        (first, row_values[first], second, row_values[second])
        for row_values in map(values, ROWS)
        for first, second in itertools.combinations(row_values, 2)
    }
    missing = []
    for first, second in itertools.combinations(DIMENSIONS, 2):
        for a, b in itertools.product(DIMENSIONS[first], DIMENSIONS[second]):
            if possible({first: a, second: b}) and (first, a, second, b) not in covered:
                missing.append(f"{first}={a} with {second}={b}")
    assert missing == []


def test_every_variant_runs_on_every_database() -> None:
    pairs = {(values(row)["variant"], row.database) for row in ROWS}
    assert pairs == set(itertools.product(DIMENSIONS["variant"], DIMENSIONS["database"]))


def test_rows_are_unique() -> None:
    assert len({row.id for row in ROWS}) == len(ROWS)
