"""store: url_state.failed_attempts, so a URL that keeps failing is not fetched for ever

A page whose fetch fails transiently, or whose extraction finds no body, is tried again on later
cycles; after ``max_url_attempts`` failures in a row it is done until its listing changes. The
counter is reset by the next successful fetch.

Revision ID: s006
Revises: s005
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "s006"
down_revision = "s005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("url_state", sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("url_state", sa.Column("last_error_kind", sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE url_state DROP COLUMN last_error_kind")
    op.execute("ALTER TABLE url_state DROP COLUMN failed_attempts")
