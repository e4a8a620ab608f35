"""alerts: remember which query text each topic was backfilled with

Revision ID: a002
Revises: a001
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = 'a002'
down_revision = 'a001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('backfilled_query', sa.Text(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN, not batch mode: see a001 (views over the tables forbid a recreate).
    op.execute('ALTER TABLE topics DROP COLUMN backfilled_query')
