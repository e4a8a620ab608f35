"""store: Chinese and Japanese full-text search through an index of character pairs (PostgreSQL)

Han and Kana are written without spaces, so the word index (``search_tsv``) holds whole runs
("北朝鮮が軍事協力を") and a term inside one is never found. ``newswatch_cjk_pairs(text)`` turns
every run into its overlapping character pairs plus its last character alone (the analysis the
topic matcher uses); the generated, stored column ``search_cjk`` is the ``simple`` tsvector of
those pairs for headline and body, with a GIN index. A term is searched as the AND of its pairs.
Text without Han or Kana gives an empty vector: English rows cost one regular-expression scan at
write time and nothing in the index.

Stored like ``search_tsv`` (not an expression index) so that the planner may also walk the newest
versions testing the column, as it does for English words: computing the function for each row
instead costs 150 ms rather than 5 ms for a Chinese term on 1,000,000 articles
(benchmarks/languages.py).

SQLite has no such index: ``store.dialect`` searches Han/Kana there with ``instr`` over the
candidate rows (the embedded database is small; the latency target is on PostgreSQL). Korean needs
no new index on either database: its words are searched as prefixes of the stored words.

Revision ID: s008
Revises: s007
Create Date: 2026-12-06
"""

# ruff: noqa: S608 - only the fixed character class and expression below are formatted into SQL
from alembic import op

revision = "s008"
down_revision = "s007"
branch_labels = None
depends_on = None

CJK_CLASS = "[\\u3005\\u3007\\u3040-\\u30ff\\u31f0-\\u31ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff66-\\uff9f]+"  # noqa: E501
CJK_VECTOR = (
    "to_tsvector('simple'::regconfig, "
    "newswatch_cjk_pairs(coalesce(headline, '') || ' ' || coalesce(body, '')))"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION newswatch_cjk_pairs(doc text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$ "
        "SELECT coalesce(string_agg(substr(m.run[1], i, 2), ' '), '') "
        f"FROM regexp_matches(doc, '{CJK_CLASS}', 'g') AS m(run), "
        "LATERAL generate_series(1, char_length(m.run[1])) AS i $f$"
    )
    op.execute(
        f"ALTER TABLE article_versions ADD COLUMN search_cjk tsvector GENERATED ALWAYS AS ({CJK_VECTOR}) "
        "STORED"
    )
    op.execute("CREATE INDEX ix_article_versions_search_cjk ON article_versions USING gin (search_cjk)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_article_versions_search_cjk")
    op.execute("ALTER TABLE article_versions DROP COLUMN IF EXISTS search_cjk")
    op.execute("DROP FUNCTION IF EXISTS newswatch_cjk_pairs(text)")
