"""Item ids as a URL writes them: which path segments can name an item at all."""

# Ids are 32-bit integers in every database; larger values can only be "not found".
MAX_ID = 2**31 - 1


def is_id(text: str) -> bool:
    """ASCII digits for a number in 1..MAX_ID (leading zeros allowed)."""
    digits = text.lstrip("0")
    # Checked before int(): Python refuses to convert strings of thousands of digits.
    return (
        text.isascii()
        and text.isdigit()
        and len(digits) <= len(str(MAX_ID))
        and 1 <= int(digits or "0") <= MAX_ID
    )
