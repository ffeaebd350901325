import httpx
import pytest
from litestar import Litestar
from sqlalchemy.ext.asyncio import create_async_engine

pytestmark = pytest.mark.anyio

# A database file inside a directory that does not exist: every connection attempt fails.
UNREACHABLE_DATABASE = "sqlite+aiosqlite:////nonexistent/stackpick/unreachable.sqlite3"


async def test_live_answers_without_dependencies(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_when_the_database_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


async def test_not_ready_when_the_database_is_down(
    app: Litestar, client: httpx.AsyncClient
) -> None:
    healthy_engine = app.state.engine
    app.state.engine = create_async_engine(UNREACHABLE_DATABASE)
    try:
        response = await client.get("/health/ready")
        live = await client.get("/health/live")
    finally:
        await app.state.engine.dispose()
        app.state.engine = healthy_engine
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "unreachable"}}
    assert live.status_code == 200
