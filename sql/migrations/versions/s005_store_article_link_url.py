"""store: articles.url, the address readers open

``canonical_url`` is the identity key: it folds http/https, ``www.``/``m.`` and AMP variants, so
it need not resolve on every site. ``url`` keeps the chosen URL as published (the page's own
canonical link, or where redirects ended) for e-mails, the UI and analysts. Existing rows start
with the key, the best address known until the article is seen again.

Revision ID: s005
Revises: s004
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "s005"
down_revision = "s004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("url", sa.Text(), nullable=True))
    op.execute("UPDATE articles SET url = canonical_url WHERE url IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("url")
