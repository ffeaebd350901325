"""The WSGI server's ceiling: the smallest app that answers /health/live."""

BODY = b'{"status":"ok"}'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):  # type: ignore[no-untyped-def]
    start_response("200 OK", HEADERS)
    return [BODY]
