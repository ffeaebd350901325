"""URL converters: what a path segment must look like to reach a view at all."""

from typing import Any

from werkzeug.routing import BaseConverter, ValidationError

from .database import MAX_ID


class IdConverter(BaseConverter):
    """`<id:name>`: a row id, ASCII digits for a number in 1..MAX_ID; anything else is a 404.

    werkzeug's `int` converter matches `\\d+`, which includes the digits of other scripts:
    `/api/items/` followed by 2012 in fullwidth digits reached item 2012.
    """

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        digits = value.lstrip("0")
        # Checked before int(): Python refuses to convert strings of thousands of digits.
        if len(digits) > len(str(MAX_ID)) or not 1 <= int(digits or "0") <= MAX_ID:
            raise ValidationError
        return int(digits)

    def to_url(self, value: Any) -> str:
        return str(int(value))


def id_parameter_schema(converter: IdConverter) -> dict[str, Any]:
    """How the OpenAPI document describes an `<id:...>` path parameter."""
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
