"""The `id` path converter: what a URL segment must look like to name an item.

Registered on import; the API's URLs (`/api/items/<id:item_id>`) import it before they are
built.
"""

from django.urls import register_converter

# The API serves ids 1..2**31-1, as every stackpick starter does, so clients may keep them in
# 32-bit integers. The table's ids are 64-bit: they pass this only after two billion rows.
MAX_ID = 2**31 - 1


class IdConverter:
    """ASCII digits for a number in 1..MAX_ID; any other segment matches no URL (404).

    Django's `int` converter and Python's int() also read other scripts' digits (fullwidth
    2012 would reach item 2012), and an id out of range can only be "not found".
    """

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        digits = value.lstrip("0")
        # Checked before int(): Python refuses to convert strings of thousands of digits.
        if len(digits) > len(str(MAX_ID)) or not 1 <= int(digits or "0") <= MAX_ID:
            raise ValueError(f"not an id: {value[:20]!r}")  # Django: this URL does not match
        return int(digits)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
