"""What the OpenAPI document says that Litestar does not write from the schemas alone."""

import msgspec
from litestar import Litestar, Router
from litestar.handlers import HTTPRouteHandler
from litestar.routes import BaseRoute
from litestar.types import ControllerRouterHandler


def forbid_unknown_fields(app: Litestar, *bodies: type[msgspec.Struct]) -> None:
    """Mark request bodies that refuse unknown fields with `additionalProperties: false`.

    Litestar documents a msgspec struct without its `forbid_unknown_fields`, so clients (and
    schemathesis) would read a body with extra fields as valid, and the API refuses it. The
    document is built here, once, and this change is kept in what it serves.
    """
    schemas = app.openapi_schema.components.schemas or {}
    for body in bodies:
        assert body.__struct_config__.forbid_unknown_fields, body
        schemas[body.__name__].additional_properties = False


class OpenAPIRouter(Router):
    """The router Litestar serves the OpenAPI document and docs from, under /api.

    Litestar adds a catch-all to it for paths no docs plugin serves (`/api/{path}`, an HTML
    404 to a GET and a 405 to anything else) and serves its first plugin at `/api` itself;
    both are left out, so an unknown path under /api is the app's JSON 404 like any other.
    """

    def register(self, value: ControllerRouterHandler) -> list[BaseRoute]:
        if isinstance(value, HTTPRouteHandler):
            if "/{path:str}" in value.paths:
                return []
            value.paths.discard("/")
        return super().register(value)
