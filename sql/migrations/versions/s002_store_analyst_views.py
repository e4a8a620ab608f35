"""store: analyst views (latest version, history, stories, topic hits per day, source health)

The SELECT of each view lives in ``sql/views/<name>.sql`` (or ``<name>.<dialect>.sql`` where
SQLite and PostgreSQL must differ), where analysts read and the tests run them. A later change to
a view is a new migration that drops and re-creates it from the file.

Revision ID: s002
Revises: s001
Create Date: 2026-11-27
"""
from pathlib import Path

from alembic import op

revision = "s002"
down_revision = "s001"
branch_labels = None
depends_on = None

VIEWS_DIR = Path(__file__).resolve().parents[2] / "views"
VIEWS = ("v_article_latest", "v_version_history", "v_story_members", "v_stories", "v_topic_hits_daily",
         "v_source_health")


def view_select(name: str, dialect: str) -> str:
    specific = VIEWS_DIR / f"{name}.{dialect}.sql"
    return (specific if specific.exists() else VIEWS_DIR / f"{name}.sql").read_text(encoding="utf-8")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
        op.execute(f"CREATE VIEW {name} AS\n{view_select(name, dialect)}")


def downgrade() -> None:
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {name}")
