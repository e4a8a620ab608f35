"""store: stored headlines and bodies without the characters that render as nothing

The identify stage now drops soft hyphens, zero-width spaces, word joiners and byte-order marks
before it stores and hashes an article's text (``identify.normalize``): kept, they split the words
readers see whole, so neither search nor topic matching found "Nordkorea" in ``"Nord\\u00adkorea"``.
Rows stored before still hold them; left so, they stay unfindable, and the next fetch of such a
page would hash differently from its stored version and record a version with no visible change.
This cleans them the same way and recomputes their content hash. The hash's formula is written out
here, as ``identify.normalize.content_hash`` has it at this revision, so that a later change to
the code cannot change what this migration did. The search indexes follow the rows: PostgreSQL's
generated columns, SQLite's FTS update trigger.

The characters are not kept anywhere, so the downgrade changes nothing.

Revision ID: s009
Revises: s008
Create Date: 2026-12-07
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "s009"
down_revision = "s008"
branch_labels = None
depends_on = None

INVISIBLE = ("\u00ad", "\u200b", "\u2060", "\ufeff")
_DROP = dict.fromkeys(map(ord, "".join(INVISIBLE)))
# Rows rewritten per read: bounded memory on a large database, where most rows hold none of them.
_BATCH = 500

_versions = sa.table(
    "article_versions",
    sa.column("id", sa.BigInteger),
    sa.column("headline", sa.Text),
    sa.column("body", sa.Text),
    sa.column("content_hash", sa.String),
)
_stories = sa.table("stories", sa.column("id", sa.BigInteger), sa.column("headline", sa.Text))


def _holds_any(column: sa.ColumnClause) -> sa.ColumnElement[bool]:
    return sa.or_(*(column.contains(ch, autoescape=True) for ch in INVISIBLE))


def _headline(text: str | None) -> str | None:
    if text is None:
        return None
    return " ".join(text.translate(_DROP).split()) or None


def _body(text: str) -> str:
    lines = (" ".join(line.translate(_DROP).split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _content_hash(headline: str | None, body: str) -> str:
    flat = " ".join((headline or "").split()) + "\n" + " ".join(body.split())
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()


def _rows(bind: sa.Connection, table: sa.TableClause, columns: list[str], after: int) -> list[sa.Row]:
    held = sa.or_(*(_holds_any(table.c[name]) for name in columns))
    stmt = (
        sa.select(table.c.id, *(table.c[name] for name in columns))
        .where(table.c.id > after, held)
        .order_by(table.c.id)
        .limit(_BATCH)
    )
    return list(bind.execute(stmt))


def upgrade() -> None:
    bind = op.get_bind()
    after = 0
    while rows := _rows(bind, _versions, ["headline", "body"], after):
        for row in rows:
            headline, body = _headline(row.headline), _body(row.body)
            bind.execute(
                _versions.update()
                .where(_versions.c.id == row.id)
                .values(headline=headline, body=body, content_hash=_content_hash(headline, body))
            )
        after = rows[-1].id
    after = 0
    while rows := _rows(bind, _stories, ["headline"], after):
        for row in rows:
            bind.execute(_stories.update().where(_stories.c.id == row.id).values(headline=_headline(row.headline)))
        after = rows[-1].id


def downgrade() -> None:
    pass
