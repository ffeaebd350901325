"""Pure ASGI middleware: request bodies' size limit and the last word on unexpected errors.

Pure ASGI rather than `@app.middleware("http")`: no extra task per request, and the body
stream can be watched as it arrives.
"""

import logging

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..db.session import is_database_outage
from .errors import database_unavailable
from .request_body import CountedBody, announced_body

logger = logging.getLogger(__name__)


class BodyTooLargeError(HTTPException):
    """Raised while the app reads a body past the limit; answered by the app's handlers.

    An HTTPException, so that FastAPI lets it through while reading the body (it turns any
    other error there into a 400).
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Request body over {limit} bytes")


class _LimitedBody(CountedBody[Message]):
    """The body as the app reads it, refused (413) once it goes past `limit` bytes.

    Only the app's reading is refused: discard_rest() reads on with read(), up to its own bound.
    """

    def __init__(self, receive: Receive, limit: int, declared: int | None) -> None:
        super().__init__(receive, declared)
        self.limit = limit

    async def receive(self) -> Message:
        message = await self.read()
        if self.received > self.limit:
            raise BodyTooLargeError(self.limit)
        return message


class RequestBodyGuard:
    """413 for a body over `max_body_size` bytes, declared by Content-Length or streamed.

    A body the app did not read (a 404 or 405 to a POST, a 413) is read to its end before the
    answer goes out, so the connection can carry the client's next request: a server must
    otherwise close it, and granian does. Only a refused body longer than twice the limit is
    cut short; that answer says `Connection: close`.
    """

    def __init__(self, app: ASGIApp, max_body_size: int) -> None:
        self.app = app
        self.max_body_size = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        has_body, declared = announced_body(scope)
        if not has_body:
            await self.app(scope, receive, send)  # HTTP/1 without a body: nothing to count
            return
        body = _LimitedBody(receive, self.max_body_size, declared)

        async def send_after_body(message: Message) -> None:
            answering = message["type"] == "http.response.start"
            if answering and not await body.discard_rest(up_to=2 * self.max_body_size):
                headers = [*message.get("headers", []), (b"connection", b"close")]
                message = {**message, "headers": headers}
            await send(message)

        if declared is not None and declared > self.max_body_size:
            # Refused from the header alone, before the app or anyone reads a byte of it.
            error = BodyTooLargeError(self.max_body_size)
            response = JSONResponse({"detail": error.detail}, status_code=error.status_code)
            await response(scope, body.receive, send_after_body)
            return
        await self.app(scope, body.receive, send_after_body)


class AnswerUnexpectedErrors:
    """Answer any exception the app did not handle with JSON, keeping the connection usable.

    Starlette's last-resort handler answers 500 and then re-raises, and the server closes the
    keep-alive connection without saying so: the client's next request on it fails. Here the
    error is logged with its traceback and answered, and nothing is re-raised. A database
    that cannot be reached is a 503 with Retry-After, not a 500.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def send_tracking(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        except Exception as error:
            if response_started:
                raise  # half an answer is out: only closing the connection can tell the client
            request = {"method": scope["method"], "path": scope["path"]}
            if is_database_outage(error):
                logger.warning("database unavailable", extra={**request, "error": repr(error)})
                response = database_unavailable()
            else:
                logger.exception("unhandled error", extra=request)
                response = JSONResponse({"detail": "Internal server error"}, status_code=500)
            await response(scope, receive, send)
