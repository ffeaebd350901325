"""Who is asking: the bearer token of an `Authorization` header, and its user.

A dependency rather than Litestar's JWT security backends: those answer in their own shape
and token format, where this service answers `{"detail": ...}` with the OAuth2 challenge a
client needs (RFC 6750), and accepts only HS256 tokens it signed. The OpenAPI document
declares the OAuth2 password flow, so the docs' Authorize button signs in at /api/auth/token.
"""

from collections.abc import AsyncIterator

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException
from litestar.openapi.spec import Components, OAuthFlow, OAuthFlows, SecurityScheme
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.user import User
from .services import user_for_token

TOKEN_URL = "/api/auth/token"
SCHEME = "OAuth2PasswordBearer"
SECURITY_COMPONENTS = Components(
    security_schemes={
        SCHEME: SecurityScheme(
            type="oauth2", flows=OAuthFlows(password=OAuthFlow(token_url=TOKEN_URL, scopes={}))
        )
    }
)
# On an operation: it needs a bearer token.
SIGNED_IN: list[dict[str, list[str]]] = [{SCHEME: []}]


async def provide_session(state: State) -> AsyncIterator[AsyncSession]:
    """The request's session for writing, shared by its user and its service.

    Requests take the pool's connections in turn (ConnectionQueue); the services commit
    each write before the handler returns, so a failed commit is never a 2xx.
    """
    async with state.connection_queue.turn(), state.session_factory() as session:
        yield session


async def provide_user(request: Request[object, object, State], state: State) -> User:
    """The token's user, looked up on a session of its own, closed before the handler runs.

    Not on the request's write session: a dependency that fails (401) after a generator
    dependency has opened would leave that generator, and its connection, unclosed.
    """
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        raise NotAuthorizedException("Not authenticated", headers={"WWW-Authenticate": "Bearer"})
    async with state.connection_queue.turn(), state.read_session_factory() as session:
        user = await user_for_token(session, token.strip(), state.settings.signing_key)
    if user is None:
        raise NotAuthorizedException(
            "Invalid or expired token",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return user


SESSION = {"session": Provide(provide_session)}
USER = {"user": Provide(provide_user)}
