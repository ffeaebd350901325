"""Request dependencies: a database session per request and the shared HTTP client."""

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from ..core.config import Settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request: committed when the handler succeeds, rolled back otherwise.

    Requests take the pool's connections in turn (db/session.py's ConnectionQueue).
    """
    async with (
        request.app.state.connection_queue.turn(),
        request.app.state.session_factory() as session,
    ):
        try:
            yield session
            await session.commit()
        except Exception:
            await session.rollback()
            raise


async def get_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request that only reads: nothing to commit, so nothing is.

    On PostgreSQL its queries run without BEGIN ... COMMIT around them (db/session.py says
    why and where not). Anything written through it is never committed: use SessionDep.
    """
    async with (
        request.app.state.connection_queue.turn(),
        request.app.state.read_session_factory() as session,
    ):
        yield session


def get_http_client(request: Request) -> httpx.AsyncClient:
    """The app's one outbound HTTP client (connection pooling, shared timeouts)."""
    client: httpx.AsyncClient = request.app.state.http_client
    return client


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# scope="function" commits before the response is sent, so a failed commit is never a 2xx.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session)]
HttpClientDep = Annotated[httpx.AsyncClient, Depends(get_http_client)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
