"""store: indexes that let search join latest versions and filter by source without table scans

``articles.latest_version_id`` lets a latest-only search probe the article of each matching
version through an index (instead of hashing the whole articles table); ``articles.source_name``
lets ``--source`` start from that source's articles. Measured by benchmarks/search.py.

Revision ID: s003
Revises: s002
Create Date: 2026-11-27
"""
from alembic import op

revision = "s003"
down_revision = "s002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_latest_version_id", "articles", ["latest_version_id"], if_not_exists=True)
    op.create_index("ix_articles_source_name", "articles", ["source_name"], if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_articles_source_name", table_name="articles")
    op.drop_index("ix_articles_latest_version_id", table_name="articles")
