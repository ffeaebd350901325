"""Liveness and readiness probes, answered ahead of host checks and HTTPS redirects.

Orchestrators probe by IP address over plain HTTP (Docker's HEALTHCHECK uses 127.0.0.1,
Kubernetes the pod's IP), which ALLOWED_HOSTS and SECURE_SSL_REDIRECT would refuse. So the
first middleware answers /health/live and /health/ready itself; other requests pass through.
"""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from .database import check_database

logger = logging.getLogger(__name__)

# The database check runs on a thread of its own, so a connection that hangs cannot hold the
# probe past HEALTH_TIMEOUT. One thread: while a check hangs, later ones queue and time out
# instead of piling up more connections on a struggling database.
_checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health-check")


def ping_database() -> None:
    # A connection of its own, not one from the pool: the probe reports whether the database
    # accepts connections now, and never waits behind requests for a pooled one.
    check_database()


def live() -> JsonResponse:
    """The process is up; touches nothing else."""
    return JsonResponse({"status": "ok"})


def ready() -> JsonResponse:
    """The database answers within HEALTH_TIMEOUT seconds."""
    try:
        _checker.submit(ping_database).result(timeout=settings.HEALTH_TIMEOUT)
    except Exception as error:  # any failure means "not ready", never a 500
        logger.warning("readiness check failed: database: %r", error)
        return JsonResponse(
            {"status": "unavailable", "checks": {"database": "unreachable"}}, status=503
        )
    return JsonResponse({"status": "ok", "checks": {"database": "ok"}})


PROBES: dict[str, Callable[[], JsonResponse]] = {"/health/live": live, "/health/ready": ready}


def _answer(description: str, properties: dict[str, Any]) -> dict[str, Any]:
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _database_check(state: str) -> dict[str, Any]:
    database = {"type": "string", "enum": [state]}
    return {
        "type": "object",
        "properties": {"database": database},
        "required": ["database"],
        "additionalProperties": False,
    }


# The probes' entries in the API's OpenAPI document (the API layer adds them): they are
# answered here, ahead of the URL map, so the API framework cannot describe them itself.
OPENAPI_PATHS: dict[str, Any] = {
    "/health/live": {
        "get": {
            "operationId": "health_live",
            "summary": "Liveness: the process is up (touches no dependency)",
            "tags": ["health"],
            "responses": {
                "200": _answer("Alive", {"status": {"type": "string", "enum": ["ok"]}}),
            },
        }
    },
    "/health/ready": {
        "get": {
            "operationId": "health_ready",
            "summary": "Readiness: the database answers within HEALTH_TIMEOUT",
            "tags": ["health"],
            "responses": {
                "200": _answer(
                    "Ready",
                    {
                        "status": {"type": "string", "enum": ["ok"]},
                        "checks": _database_check("ok"),
                    },
                ),
                "503": _answer(
                    "The database is unreachable",
                    {
                        "status": {"type": "string", "enum": ["unavailable"]},
                        "checks": _database_check("unreachable"),
                    },
                ),
            },
        }
    },
}


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        if request.method != "GET":
            return JsonResponse(
                {"detail": "Method Not Allowed"}, status=405, headers={"Allow": "GET"}
            )
        return probe()
