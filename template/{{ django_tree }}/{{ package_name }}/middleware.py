"""Answers every API client can rely on, whatever view (or none) handled the request.

- 413 for a body over MAX_BODY_SIZE, before anything reads it (Django itself would answer
  400, and only once a view touched the body);
- 405 in JSON, with the Allow header the view set (ninja answers in plain text);
- 503 with Retry-After while the database is unreachable (see database.py).
"""

import logging
from collections.abc import Callable, Iterable
from io import BytesIO
from typing import IO
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse

from .database import is_unavailable, outage, unavailable

logger = logging.getLogger(__name__)

GetResponse = Callable[[HttpRequest], HttpResponseBase]


def too_large() -> JsonResponse:
    limit = settings.MAX_BODY_SIZE
    return JsonResponse({"detail": f"Request body larger than {limit} bytes"}, status=413)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > settings.MAX_BODY_SIZE:
            return too_large()
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A body Django found too big while reading it (DATA_UPLOAD_MAX_MEMORY_SIZE).
        return too_large() if isinstance(exception, RequestDataTooBig) else None


def read_up_to(stream: IO[bytes], size: int) -> bytes:
    """`size` bytes from `stream`, or all it has left if that is less."""
    parts: list[bytes] = []
    while size > 0 and (part := stream.read(min(size, 65536))):
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def read_chunked_bodies(app: WSGIApplication) -> WSGIApplication:
    """Give Django the body of a chunked request (one without Content-Length).

    Django reads CONTENT_LENGTH bytes of a body, so without one it sees none: a chunked POST
    would look empty. This reads up to one byte more than MAX_BODY_SIZE and declares what it
    read; RequestBodyLimitMiddleware then answers 413 to a body that did not fit.
    """

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            body = read_up_to(environ["wsgi.input"], settings.MAX_BODY_SIZE + 1)
            environ = {**environ, "wsgi.input": BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        return app(environ, start_response)

    return application


class MethodNotAllowedMiddleware:
    """405 answers in the contract's JSON, keeping the Allow header the view set."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code != 405:
            return response
        allowed = sorted({m.strip().upper() for m in response.get("Allow", "").split(",")} - {""})
        return JsonResponse(
            {"detail": "Method Not Allowed"}, status=405, headers={"Allow": ", ".join(allowed)}
        )


class DatabaseOutageMiddleware:
    """503 with Retry-After while the database is unreachable, without tying up a thread."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if outage.known and not outage.database_is_back():
            return unavailable()
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_unavailable(exception):
            return None
        if connection.connection is None:
            # Not even a connection was had: later requests need not try the pool again.
            outage.begin(exception)
        else:
            logger.warning("database error, answering 503: %s", exception)
        return unavailable()
