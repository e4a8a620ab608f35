"""The article database schema (SQLAlchemy Core), the single source the migrations follow.

Every table that a task writes has a natural key with a unique constraint, so that a retried or
concurrent task upserts instead of duplicating. Timestamps are stored timezone-aware (UTC).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = BigInteger().with_variant(Integer(), "sqlite")  # SQLite only autoincrements INTEGER keys.


def _ts(name: str, **kw: object) -> Column:
    return Column(name, DateTime(timezone=True), **kw)


sources = Table(
    "sources",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("config", JSON, nullable=True),
    Column("enabled", Boolean, nullable=False, default=True),
    _ts("last_run_at"),
    _ts("last_success_at"),
    _ts("last_yield_at"),  # last time the source produced a new or updated article
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("last_error_kind", String(40)),
    Column("last_error_message", Text),
    Column("last_summary", JSON),
)

source_runs = Table(
    "source_runs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("source_name", String(200), nullable=False),
    Column("run_id", String(250), nullable=False),
    _ts("started_at", nullable=False),
    _ts("finished_at"),
    Column("ok", Boolean, nullable=False, default=False),
    Column("discovered", Integer, nullable=False, default=0),
    Column("fetched", Integer, nullable=False, default=0),
    Column("not_modified", Integer, nullable=False, default=0),
    Column("new", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
    # Revisits of known articles: checked, found unchanged (304 or same bytes), stored a new version.
    Column("revisited", Integer, nullable=False, default=0, server_default="0"),
    Column("revisit_not_modified", Integer, nullable=False, default=0, server_default="0"),
    Column("revisit_changed", Integer, nullable=False, default=0, server_default="0"),
    Column("errors", JSON),  # {error_kind: count}
    Column("extraction_gaps", JSON),  # {"headline": n, "published_at": n, "body": n}
    UniqueConstraint("source_name", "run_id"),
    Index("ix_source_runs_source_started", "source_name", "started_at"),
)

fetches = Table(
    "fetches",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False),
    Column("final_url", Text),
    Column("source_name", String(200)),
    Column("run_id", String(250)),
    _ts("requested_at", nullable=False),
    Column("status", Integer),
    Column("bytes", Integer, nullable=False, default=0),
    Column("elapsed_ms", Integer, nullable=False, default=0),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("error_kind", String(40)),
    Column("error_message", Text),
    Column("purpose", String(10)),  # listing, new or revisit (NULL: not recorded)
    Index("ix_fetches_requested_at", "requested_at"),
    Index("ix_fetches_source_error", "source_name", "error_kind"),
)

# What we know about every URL ever listed or fetched: conditional-GET validators and the
# seen-URL memory that lets discovery yield only new or changed URLs.
url_state = Table(
    "url_state",
    metadata,
    Column("url", String(2048), primary_key=True),
    Column("source_name", String(200)),
    _ts("first_seen_at", nullable=False),
    _ts("last_fetched_at"),
    Column("listing_marker", Text),  # feed entry date / sitemap lastmod last acted on
    Column("etag", Text),
    Column("last_modified", Text),
    Column("body_hash", String(64)),
    Column("last_status", Integer),
    Column("article_id", BigInteger),
    # Failed tries in a row (transient fetch errors, pages with no extractable body); see pipeline.
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    Column("last_error_kind", String(40)),
    # Revisits (see newswatch.revisit): set once the URL has an article.
    _ts("last_checked_at"),
    _ts("next_check_at"),
    _ts("last_changed_at"),
    Column("revisit_state", String(10)),  # active, gone (404/410), moved (redirects elsewhere)
    Index("ix_url_state_source_next_check", "source_name", "next_check_at"),
)

pages = Table(
    "pages",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False),
    Column("final_url", Text),
    Column("body_hash", String(64), nullable=False),
    _ts("fetched_at", nullable=False),
    Column("status", Integer),
    Column("content_type", String(200)),
    Column("encoding", String(40)),
    Column("headers", JSON),
    Column("content_gz", LargeBinary, nullable=True),  # NULL once retention has dropped it
    Column("source_name", String(200)),
    UniqueConstraint("body_hash"),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("headline", Text),
    _ts("first_seen_at", nullable=False),
    _ts("last_seen_at", nullable=False),
    Column("article_count", Integer, nullable=False, default=1),
    Column("signature", JSON),  # MinHash signature of the founding article
)

# LSH buckets: one row per (band hash, story). Lookup cost is per band, not per story.
story_bands = Table(
    "story_bands",
    metadata,
    Column("band_key", String(64), primary_key=True),
    Column("story_id", BigInteger, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("canonical_url", String(2048), nullable=False, unique=True),  # the identity key
    Column("url", Text),  # where readers open it (as published; the key may not resolve)
    Column("outlet", String(253), nullable=False),
    Column("source_name", String(200)),
    Column("story_id", BigInteger, ForeignKey("stories.id")),
    _ts("first_seen_at", nullable=False),
    _ts("last_seen_at", nullable=False),
    Column("latest_version_id", BigInteger),
    Column("version_count", Integer, nullable=False, default=0),
    Index("ix_articles_story", "story_id"),
    Index("ix_articles_latest_version_id", "latest_version_id"),
    Index("ix_articles_source_name", "source_name"),
)

article_aliases = Table(
    "article_aliases",
    metadata,
    Column("url", String(2048), primary_key=True),
    Column("article_id", BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    _ts("first_seen_at", nullable=False),
    Index("ix_article_aliases_article_id", "article_id"),
)

article_versions = Table(
    "article_versions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("article_id", BigInteger, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("version_no", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("headline", Text),
    Column("body", Text, nullable=False),
    Column("authors", JSON),
    Column("language", String(16)),
    _ts("published_at"),
    Column("published_source", String(20)),
    _ts("updated_at"),
    Column("updated_source", String(20)),
    _ts("fetched_at", nullable=False),
    Column("page_id", BigInteger),
    Column("diff", Text),  # word-level diff against the previous version
    UniqueConstraint("article_id", "version_no"),
    Index("ix_article_versions_fetched_at", "fetched_at"),
    Index("ix_article_versions_published_at", "published_at"),
)

topics = Table(
    "topics",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("query", Text, nullable=False),
    Column("config", JSON),
    _ts("updated_at", nullable=False),
    # alerts branch (a002): the query text this topic was last run over recent versions with
    Column("backfilled_query", Text),
)

topic_matches = Table(
    "topic_matches",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("topic_name", String(200), nullable=False),
    Column("version_id", BigInteger, ForeignKey("article_versions.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", BigInteger, nullable=False),
    Column("story_id", BigInteger),
    Column("score", Float, nullable=False),
    Column("evidence", JSON, nullable=False),  # [{"text": sentence, "spans": [[start, end], ...]}]
    Column("evidence_hash", String(64), nullable=False),
    _ts("matched_at", nullable=False),
    # alerts branch (a001): what the match led to (new | copy | updated | unchanged | digest |
    # below_score ...) and, for digest topics, the digest alert that included it.
    Column("disposition", String(20)),
    Column("digest_key", String(255)),
    UniqueConstraint("topic_name", "version_id"),
    Index("ix_topic_matches_matched_at", "matched_at"),
    Index("ix_topic_matches_topic_article", "topic_name", "article_id"),
    Index("ix_topic_matches_topic_digest", "topic_name", "digest_key"),
)

# alerts branch (a001): article versions already evaluated against the topics. Inserting the row
# is how a matching run claims a version, so concurrent runs never evaluate one twice.
topic_evaluations = Table(
    "topic_evaluations",
    metadata,
    Column("version_id", BigInteger, ForeignKey("article_versions.id", ondelete="CASCADE"), primary_key=True),
    _ts("evaluated_at", nullable=False),
    Column("matched", Integer, nullable=False, default=0),
)

# The outbox: an alert is a row with a unique key before it is an email.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("alert_key", String(255), nullable=False, unique=True),
    Column("topic_name", String(200), nullable=False),
    Column("story_id", BigInteger),
    Column("kind", String(20), nullable=False),  # new | updated | digest
    Column("status", String(20), nullable=False, default="pending"),  # pending|sending|sent|failed
    Column("recipients", JSON, nullable=False),
    Column("subject", Text, nullable=False),
    Column("message_id", String(255), nullable=False, unique=True),
    Column("payload", JSON, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    _ts("next_attempt_at"),
    _ts("claimed_at"),
    Column("claimed_by", String(200)),
    _ts("sent_at"),
    Column("last_error", Text),
    _ts("created_at", nullable=False),
    Column("story_key", String(64)),  # alerts branch (a001): "s<story id>" or "a<article id>"
    Index("ix_alerts_status", "status", "next_attempt_at"),
    Index("ix_alerts_topic_story", "topic_name", "story_key"),
)

# Database-backed politeness: the earliest time the next request to a domain may start.
domain_slots = Table(
    "domain_slots",
    metadata,
    Column("domain", String(253), primary_key=True),
    Column("next_allowed_at", Float, nullable=False),
)

# Requests to a domain in flight right now, across processes: the per-domain concurrency cap.
# A lease expires on its own, so a worker that dies mid-request cannot block a domain for good.
domain_leases = Table(
    "domain_leases",
    metadata,
    Column("lease_id", String(36), primary_key=True),
    Column("domain", String(253), nullable=False),
    Column("expires_at", Float, nullable=False),
    Index("ix_domain_leases_domain", "domain"),
)
