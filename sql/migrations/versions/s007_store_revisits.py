"""store: revisit schedule per URL, revisit counters per source run, revisits marked in the fetch log

``url_state`` learns when a URL with an article was last checked, when it is next due, when its
content last changed and whether it is still revisited (``active``) or was found ``gone``
(404/410) or ``moved`` (now redirects elsewhere). ``source_runs`` counts revisits (checked, not
modified, changed); ``fetches.purpose`` says why a request was made (listing, new, revisit).

Revision ID: s007
Revises: s006
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "s007"
down_revision = "s006"
branch_labels = None
depends_on = None

_URL_COLUMNS = ("last_checked_at", "next_check_at", "last_changed_at")
_RUN_COUNTERS = ("revisited", "revisit_not_modified", "revisit_changed")


def upgrade() -> None:
    for name in _URL_COLUMNS:
        op.add_column("url_state", sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    op.add_column("url_state", sa.Column("revisit_state", sa.String(length=10), nullable=True))
    op.create_index("ix_url_state_source_next_check", "url_state", ["source_name", "next_check_at"])
    for name in _RUN_COUNTERS:
        op.add_column("source_runs", sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    op.add_column("fetches", sa.Column("purpose", sa.String(length=10), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE fetches DROP COLUMN purpose")
    for name in _RUN_COUNTERS:
        op.execute(f"ALTER TABLE source_runs DROP COLUMN {name}")
    op.drop_index("ix_url_state_source_next_check", table_name="url_state")
    op.execute("ALTER TABLE url_state DROP COLUMN revisit_state")
    for name in _URL_COLUMNS:
        op.execute(f"ALTER TABLE url_state DROP COLUMN {name}")
