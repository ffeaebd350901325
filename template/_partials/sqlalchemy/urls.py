"""Database URLs: accept the plain forms people and platforms use, run on async drivers."""

from sqlalchemy.engine import make_url

# The async driver for each backend when a URL names none (postgresql://, mysql://, sqlite://).
ASYNC_DRIVERS = {
    "postgresql": "asyncpg",
    "postgres": "asyncpg",
    "mysql": "aiomysql",
    "mariadb": "aiomysql",
    "sqlite": "aiosqlite",
}


def async_database_url(url: str) -> str:
    """`postgresql://…` becomes `postgresql+asyncpg://…`; an explicit driver is kept."""
    parsed = make_url(url)
    if "+" in parsed.drivername:
        return url
    backend = "postgresql" if parsed.drivername == "postgres" else parsed.drivername
    driver = ASYNC_DRIVERS.get(parsed.drivername)
    if driver is None:
        raise ValueError(f"DATABASE_URL has an unsupported scheme: {parsed.drivername}")
    return parsed.set(drivername=f"{backend}+{driver}").render_as_string(hide_password=False)
