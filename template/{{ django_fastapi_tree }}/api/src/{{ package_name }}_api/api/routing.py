"""Routes whose path parameter must have a given form, else the path does not exist (404).

A segment that cannot name anything (`abc` as an item id, `Bad Source!` as a webhook source)
gets the 404 of an unknown path, whatever the method or body, as in Django's URL map: not a
405, 401 or 422 about a request for something that cannot exist.
"""

from collections.abc import Callable

from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope


def constrained_route(parameter: str, accepts: Callable[[str], bool]) -> type[APIRoute]:
    """An APIRoute class matching a path only when `accepts(<parameter's segment>)`."""

    class ConstrainedRoute(APIRoute):
        def matches(self, scope: Scope) -> tuple[Match, Scope]:
            match, child_scope = super().matches(scope)
            value = child_scope.get("path_params", {}).get(parameter)
            if match is not Match.NONE and value is not None and not accepts(value):
                return Match.NONE, {}
            return match, child_scope

    return ConstrainedRoute
