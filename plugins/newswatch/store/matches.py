"""Topic matching's tables: which versions were evaluated (``topic_evaluations``), what matched
(``topic_matches``), and the versions matching reads (each with its article's outlet, URL, story).

Plain statements over a caller's connection; what a match means is decided in ``newswatch.alerts``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update

from newswatch.store.dialect import insert_ignore
from newswatch.store.schema import article_versions, articles, topic_evaluations, topic_matches

# What matching reads for each version: the version, and its article's outlet, source, URL and story.
VERSION_COLUMNS = (
    article_versions.c.id.label("version_id"),
    article_versions.c.article_id,
    article_versions.c.version_no,
    article_versions.c.headline,
    article_versions.c.body,
    article_versions.c.language,
    article_versions.c.published_at,
    article_versions.c.updated_at,
    articles.c.outlet,
    articles.c.source_name,
    articles.c.canonical_url,
    articles.c.url,
    articles.c.story_id,
)


def _evaluated() -> Any:
    return select(topic_evaluations.c.version_id).where(
        topic_evaluations.c.version_id == article_versions.c.id
    )


def unevaluated_versions(conn: Connection, since: datetime, limit: int) -> list[Row]:
    """Up to ``limit`` versions fetched since ``since`` that no matching run has claimed, oldest first."""
    query = (
        select(*VERSION_COLUMNS)
        .join(articles, articles.c.id == article_versions.c.article_id)
        .where(article_versions.c.fetched_at >= since, ~_evaluated().exists())
        .order_by(article_versions.c.id)
        .limit(limit)
    )
    return list(conn.execute(query))


def evaluated_unmatched_versions(conn: Connection, topic_name: str, since: datetime) -> list[Row]:
    """Versions fetched since ``since``, already evaluated, that ``topic_name`` has not matched."""
    matched = select(topic_matches.c.id).where(
        topic_matches.c.topic_name == topic_name, topic_matches.c.version_id == article_versions.c.id
    )
    query = (
        select(*VERSION_COLUMNS)
        .join(articles, articles.c.id == article_versions.c.article_id)
        .where(article_versions.c.fetched_at >= since, _evaluated().exists(), ~matched.exists())
        .order_by(article_versions.c.id)
    )
    return list(conn.execute(query))


def latest_versions_since(conn: Connection, since: datetime) -> Iterator[Row]:
    """The latest version of every article fetched since ``since``, oldest first (read-only)."""
    query = (
        select(*VERSION_COLUMNS)
        .join(articles, articles.c.latest_version_id == article_versions.c.id)
        .where(article_versions.c.fetched_at >= since)
        .order_by(article_versions.c.id)
    )
    yield from conn.execute(query)


def claim_versions(conn: Connection, evaluations: Sequence[Mapping[str, Any]]) -> set[int]:
    """Insert evaluation rows (version_id, evaluated_at, matched); the version ids this call won."""
    stmt = insert_ignore(conn, topic_evaluations, list(evaluations), ["version_id"]).returning(
        topic_evaluations.c.version_id
    )
    return {int(v) for v in conn.execute(stmt).scalars()}


def prune_evaluations(conn: Connection, before: datetime) -> int:
    """Delete evaluations made before ``before``; how many went."""
    result = conn.execute(delete(topic_evaluations).where(topic_evaluations.c.evaluated_at < before))
    return int(result.rowcount)


def previous_match(conn: Connection, topic_name: str, article_id: int, version_id: int) -> Row | None:
    """The topic's match on the article's latest version before ``version_id`` (evidence, hash)."""
    query = (
        select(topic_matches.c.evidence, topic_matches.c.evidence_hash)
        .where(
            topic_matches.c.topic_name == topic_name,
            topic_matches.c.article_id == article_id,
            topic_matches.c.version_id < version_id,
        )
        .order_by(topic_matches.c.version_id.desc())
        .limit(1)
    )
    return conn.execute(query).first()


def insert_match(conn: Connection, row: Mapping[str, Any]) -> None:
    """Record a match unless the topic already matched that version."""
    conn.execute(insert_ignore(conn, topic_matches, row, ["topic_name", "version_id"]))


def undigested_matches(conn: Connection, topic_name: str, before: datetime) -> list[Row]:
    """The topic's digest matches made before ``before`` that no digest took yet, with their version."""
    query = (
        select(
            topic_matches.c.id.label("match_id"),
            topic_matches.c.score,
            topic_matches.c.evidence,
            topic_matches.c.version_id,
            topic_matches.c.article_id,
            article_versions.c.version_no,
            article_versions.c.headline,
            article_versions.c.published_at,
            article_versions.c.updated_at,
            article_versions.c.language,
            articles.c.outlet,
            articles.c.source_name,
            articles.c.canonical_url,
            articles.c.url,
            articles.c.story_id,
        )
        .join(article_versions, article_versions.c.id == topic_matches.c.version_id)
        .join(articles, articles.c.id == topic_matches.c.article_id)
        .where(
            topic_matches.c.topic_name == topic_name,
            topic_matches.c.disposition == "digest",
            topic_matches.c.digest_key.is_(None),
            topic_matches.c.matched_at < before,
        )
        .order_by(topic_matches.c.version_id)
    )
    return list(conn.execute(query))


def mark_digested(conn: Connection, match_ids: Sequence[int], digest_key: str) -> None:
    """Stamp the matches with the digest that took them."""
    conn.execute(
        update(topic_matches).where(topic_matches.c.id.in_(list(match_ids))).values(digest_key=digest_key)
    )
