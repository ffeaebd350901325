"""Timestamps as the API writes them: RFC 3339 in UTC, always with six fractional digits.

`2026-12-02T23:25:00.123456Z` is the only format a response carries. A client parses one
shape, whichever starter serves it; no microsecond the database kept is dropped (a time on
the whole second still says `.000000`); and every timestamp has the same width, so two of
them compare correctly as plain strings.
"""

from datetime import UTC, datetime


def format_timestamp(value: datetime) -> str:
    """`value` in UTC as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.

    A naive datetime is refused rather than guessed at: it would be read as UTC here and as
    local time elsewhere.
    """
    if value.utcoffset() is None:
        raise ValueError("naive datetime given; timestamps are aware UTC datetimes")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
