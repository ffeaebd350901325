"""The async engine and session factory, created by the app's lifespan."""

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from ..core.config import Settings


def create_engine(settings: Settings) -> AsyncEngine:
    url = settings.async_database_url
    if url.startswith("sqlite"):
        # SQLite is a file, not a server: no pool sizing, and a busy timeout instead of errors.
        return create_async_engine(
            url, echo=settings.db_echo, connect_args={"timeout": settings.db_pool_timeout}
        )
    return create_async_engine(
        url,
        echo=settings.db_echo,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_pre_ping=settings.db_pool_pre_ping,
        pool_recycle=1800,
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects stay usable after commit, so handlers can return what they just saved.
    return async_sessionmaker(engine, expire_on_commit=False)
