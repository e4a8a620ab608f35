"""store: Chinese and Japanese full-text search through an index of character pairs (PostgreSQL)

Han and Kana are written without spaces, so the word index (``search_tsv``) holds whole runs
("北朝鮮が軍事協力を") and a term inside one is never found. ``newswatch_cjk_pairs(text)`` turns
every run into its overlapping character pairs plus its last character alone (the analysis the
topic matcher uses); a GIN index over the ``simple`` tsvector of those pairs finds a term as the
AND of its pairs. Text without Han or Kana gives an empty vector, so English rows cost one regular
expression scan at write time and nothing in the index.

SQLite has no such index: ``store.dialect`` searches Han/Kana there with ``instr`` over the
candidate rows (the embedded database is small; the latency target is on PostgreSQL). Korean needs
no new index on either database: its words are searched as prefixes of the stored words.

Revision ID: s008
Revises: s007
Create Date: 2026-12-06
"""

# ruff: noqa: S608 - only the fixed character class and expression above are formatted into SQL
from alembic import op

revision = "s008"
down_revision = "s007"
branch_labels = None
depends_on = None

CJK_CLASS = "[\\u3005\\u3007\\u3040-\\u30ff\\u31f0-\\u31ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff66-\\uff9f]+"  # noqa: E501
# Kept identical to newswatch.store.dialect.PG_CJK_VECTOR: the planner uses the index only for
# the very same expression.
CJK_VECTOR = (
    "to_tsvector('simple'::regconfig, "
    "newswatch_cjk_pairs(coalesce(headline, '') || ' ' || coalesce(body, '')))"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(  # only the fixed character class above is formatted in
        "CREATE OR REPLACE FUNCTION newswatch_cjk_pairs(doc text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$ "
        "SELECT coalesce(string_agg(substr(m.run[1], i, 2), ' '), '') "
        f"FROM regexp_matches(doc, '{CJK_CLASS}', 'g') AS m(run), "
        "LATERAL generate_series(1, char_length(m.run[1])) AS i $f$"
    )
    op.execute(f"CREATE INDEX ix_article_versions_search_cjk ON article_versions USING gin (({CJK_VECTOR}))")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_article_versions_search_cjk")
    op.execute("DROP FUNCTION IF EXISTS newswatch_cjk_pairs(text)")
