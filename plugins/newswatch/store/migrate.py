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


def upgrade(url: str, revision: str = "heads") -> None:
    """Apply every migration (all branches) up to ``revision``; a no-op when already current.

    Each area of the code keeps its own migration branch off ``0001`` so that changes to
    different tables never conflict; ``heads`` applies them all.
    """
    command.upgrade(alembic_config(url), revision)
