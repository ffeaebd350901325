"""URL converters: what a path segment must look like to reach a view at all."""

from typing import Any

from werkzeug.routing import BaseConverter

from .database import MAX_ID


def numbers_up_to(limit: int) -> str:
    """A regular expression for the numbers 1..limit in ASCII digits, leading zeros allowed."""
    digits = str(limit)
    # Fewer digits than the limit: any number; as many: up to the limit, digit by digit.
    options = ["[1-9]" + "[0-9]?" * (len(digits) - 2)] if len(digits) > 1 else []
    for position, digit in enumerate(digits):
        lowest = 1 if position == 0 else 0
        if int(digit) > lowest:
            rest = len(digits) - position - 1
            options.append(f"{digits[:position]}[{lowest}-{int(digit) - 1}]" + "[0-9]" * rest)
    options.append(digits)
    return "0*(?:" + "|".join(options) + ")"


class IdConverter(BaseConverter):
    """`<id:name>`: a row id, ASCII digits for a number in 1..MAX_ID; anything else is a 404.

    werkzeug's `int` converter matches `\\d+`, which includes the digits of other scripts:
    `/api/items/` followed by 2012 in fullwidth digits reached item 2012. The range is in the
    expression itself: werkzeug decides 405 (a method the route does not serve) before it
    converts, and `POST /api/items/0` must be the 404 of a path that names nothing.
    """

    regex = numbers_up_to(MAX_ID)

    def to_python(self, value: str) -> int:
        # Without the leading zeros, which may be thousands long: Python refuses to convert
        # strings of that many digits.
        return int(value.lstrip("0"))

    def to_url(self, value: Any) -> str:
        return str(int(value))


def id_parameter_schema(converter: IdConverter) -> dict[str, Any]:
    """How the OpenAPI document describes an `<id:...>` path parameter."""
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
