"""store: full-text search on article versions, and lookup indexes the repository relies on

Full-text search is kept in sync by the database itself, so every writer (the repository, a
reprocess run, an analyst's manual fix) is covered:
- PostgreSQL: a generated, stored ``search_tsv`` column (headline weighted A, body B) built with
  the text-search configuration of the version's language where PostgreSQL has one, ``simple``
  otherwise; a GIN index over it.
- SQLite: an external-content FTS5 table ``article_versions_fts`` (porter + unicode61, diacritics
  folded) maintained by triggers.
Neither object is in ``newswatch.store.schema`` (SQLAlchemy Core has no portable type for them);
``newswatch.store.dialect`` is the only code that queries them.

Revision ID: s001
Revises: 0001
Create Date: 2026-11-27
"""
from alembic import op

revision = "s001"
down_revision = "0001"
branch_labels = ("store",)
depends_on = None

# language code prefix -> PostgreSQL text search configuration
PG_LANGUAGES = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
    "pt": "portuguese", "nl": "dutch", "ru": "russian",
}


def _pg_config_expr() -> str:
    whens = " ".join(f"WHEN '{code}' THEN '{cfg}'::regconfig" for code, cfg in PG_LANGUAGES.items())
    return f"(CASE lower(left(coalesce(language, ''), 2)) {whens} ELSE 'simple'::regconfig END)"


def _indexes_up() -> None:
    op.create_index("ix_article_aliases_article_id", "article_aliases", ["article_id"])
    op.create_index("ix_articles_last_seen_at", "articles", ["last_seen_at"])
    op.create_index("ix_source_runs_source_started", "source_runs", ["source_name", "started_at"])


def upgrade() -> None:
    _indexes_up()
    if op.get_bind().dialect.name == "postgresql":
        cfg = _pg_config_expr()
        op.execute(
            "ALTER TABLE article_versions ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS ("
            f"setweight(to_tsvector({cfg}, coalesce(headline, '')), 'A') || "
            f"setweight(to_tsvector({cfg}, body), 'B')) STORED"
        )
        op.execute("CREATE INDEX ix_article_versions_search_tsv ON article_versions USING gin (search_tsv)")
        return
    op.execute(
        "CREATE VIRTUAL TABLE article_versions_fts USING fts5(headline, body, content='article_versions', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER article_versions_fts_ai AFTER INSERT ON article_versions BEGIN "
        "INSERT INTO article_versions_fts(rowid, headline, body) VALUES (new.id, new.headline, new.body); END"
    )
    op.execute(
        "CREATE TRIGGER article_versions_fts_ad AFTER DELETE ON article_versions BEGIN "
        "INSERT INTO article_versions_fts(article_versions_fts, rowid, headline, body) "
        "VALUES ('delete', old.id, old.headline, old.body); END"
    )
    op.execute(
        "CREATE TRIGGER article_versions_fts_au AFTER UPDATE OF headline, body ON article_versions BEGIN "
        "INSERT INTO article_versions_fts(article_versions_fts, rowid, headline, body) "
        "VALUES ('delete', old.id, old.headline, old.body); "
        "INSERT INTO article_versions_fts(rowid, headline, body) VALUES (new.id, new.headline, new.body); END"
    )
    op.execute("INSERT INTO article_versions_fts(article_versions_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_article_versions_search_tsv")
        op.execute("ALTER TABLE article_versions DROP COLUMN IF EXISTS search_tsv")
    else:
        for trigger in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS article_versions_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS article_versions_fts")
    op.drop_index("ix_source_runs_source_started", table_name="source_runs")
    op.drop_index("ix_articles_last_seen_at", table_name="articles")
    op.drop_index("ix_article_aliases_article_id", table_name="article_aliases")
