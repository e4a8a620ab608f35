"""store: no index on articles.last_seen_at, so re-seeing an unchanged article is a cheap update

Every re-fetch whose content did not really change still moves ``articles.last_seen_at``. With
that column indexed, PostgreSQL must write a new entry into every index of ``articles`` for each
such update; without it the update is HOT (heap-only). Nothing in the store queries by it.

Revision ID: s004
Revises: s003
Create Date: 2026-11-28
"""
from alembic import op

revision = "s004"
down_revision = "s003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_articles_last_seen_at", table_name="articles", if_exists=True)


def downgrade() -> None:
    op.create_index("ix_articles_last_seen_at", "articles", ["last_seen_at"])
