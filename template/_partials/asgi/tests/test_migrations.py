from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from .conftest import alembic_config


def test_models_and_migrations_agree(database_url: str) -> None:
    """`alembic check`: autogenerate finds nothing to add on a database at head."""
    command.check(alembic_config(database_url))


def test_migrations_downgrade_and_upgrade_cleanly(tmp_path: Path) -> None:
    config = alembic_config(f"sqlite+aiosqlite:///{tmp_path / 'roundtrip.sqlite3'}")
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")


def test_one_linear_history() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1
