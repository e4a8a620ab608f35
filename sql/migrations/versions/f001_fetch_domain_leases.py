"""fetch: domain_leases, so the per-domain concurrency cap holds across processes

Revision ID: f001
Revises: 0001
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = 'f001'
down_revision = '0001'
branch_labels = ('fetch',)
depends_on = None


def upgrade() -> None:
    op.create_table(
        'domain_leases',
        sa.Column('lease_id', sa.String(length=36), nullable=False),
        sa.Column('domain', sa.String(length=253), nullable=False),
        sa.Column('expires_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('lease_id', name=op.f('pk_domain_leases')),
    )
    op.create_index('ix_domain_leases_domain', 'domain_leases', ['domain'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_domain_leases_domain', table_name='domain_leases')
    op.drop_table('domain_leases')
