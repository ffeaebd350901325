"""Request bodies: strict JSON, declared as such."""

from collections.abc import Mapping
from typing import IO, Any

import orjson
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import JSONParser
from rest_framework.request import Request


class StrictJSONParser(JSONParser):
    """Request bodies parsed as strict JSON (RFC 8259) by orjson.

    Python's json module accepts NaN and Infinity, turns 1e400 into infinity, lets lone UTF-16
    surrogates through, and runs out of stack on deeply nested input (a 500). orjson refuses
    all of them, and nesting deeper than 1,024 levels: a 422 (see errors.py).
    """

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return orjson.loads(stream.read())
        except orjson.JSONDecodeError as error:
            raise ParseError(f"Invalid JSON: {error}") from None


def require_json_body(request: Request) -> None:
    """415 unless the body is declared JSON, 422 if it is empty.

    DRF reads an empty body, whatever its content type, as an empty object.
    """
    media_type = request.content_type.split(";", 1)[0].strip().lower()
    if media_type != StrictJSONParser.media_type:
        raise UnsupportedMediaType(media_type)
    declared = request.META.get("CONTENT_LENGTH", "")
    if not declared.isdigit() or int(declared) == 0:
        raise ParseError("Invalid JSON: the body is empty")
