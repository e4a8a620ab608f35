"""Bring a database to the newest schema through the Alembic migrations under ``sql/``."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from newswatch.settings import PROJECT_ROOT


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "sql" / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "sql" / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply every migration up to ``revision``; safe to run again (a no-op when current)."""
    command.upgrade(alembic_config(url), revision)
