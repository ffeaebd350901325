"""JSON written byte for byte as Django's API writes it.

Both services answer the same clients about the same rows, so they write the same bytes:
Python's json module with its defaults, as Django's JsonResponse and django-ninja do. Non-ASCII
characters are `\\u` escapes (so `</script>` and U+2028 need no special care), and items are
separated by ", " and keys from values by ": ". A client, a cache or a test comparing bodies
cannot tell which service answered.
"""

import json
from typing import Any

from starlette.responses import JSONResponse as StarletteJSONResponse


def render_json(content: Any) -> bytes:
    """`content` as Django's API writes it (see above)."""
    return json.dumps(content).encode()


class JSONResponse(StarletteJSONResponse):
    """A JSON answer in Django's bytes; every answer of this service is one."""

    def render(self, content: Any) -> bytes:
        return render_json(content)
