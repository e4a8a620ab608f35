"""alerts: remember evaluated versions; match dispositions, digest keys; alert story keys

Revision ID: a001
Revises: 0001
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = 'a001'
down_revision = '0001'
branch_labels = ('alerts',)
depends_on = None


def upgrade() -> None:
    op.create_table(
        'topic_evaluations',
        sa.Column('version_id', sa.BigInteger(), nullable=False),
        sa.Column('evaluated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('matched', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['version_id'], ['article_versions.id'],
                                name=op.f('fk_topic_evaluations_version_id_article_versions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('version_id', name=op.f('pk_topic_evaluations')),
    )
    with op.batch_alter_table('topic_matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disposition', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('digest_key', sa.String(length=255), nullable=True))
        batch_op.create_index('ix_topic_matches_topic_article', ['topic_name', 'article_id'], unique=False)
        batch_op.create_index('ix_topic_matches_topic_digest', ['topic_name', 'digest_key'], unique=False)
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('story_key', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_alerts_topic_story', ['topic_name', 'story_key'], unique=False)


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35, PostgreSQL), not batch mode: batch recreates the table on
    # SQLite, which the analyst views of the store branch (they select from these tables) forbid.
    op.drop_index('ix_alerts_topic_story', table_name='alerts')
    op.execute('ALTER TABLE alerts DROP COLUMN story_key')
    op.drop_index('ix_topic_matches_topic_digest', table_name='topic_matches')
    op.drop_index('ix_topic_matches_topic_article', table_name='topic_matches')
    op.execute('ALTER TABLE topic_matches DROP COLUMN digest_key')
    op.execute('ALTER TABLE topic_matches DROP COLUMN disposition')
    op.drop_table('topic_evaluations')
