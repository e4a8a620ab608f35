"""Search stored articles with the topic query language (the same one alerts use).

The full-text index (``Repository.search``: FTS5 / tsvector) first narrows the versions to those
containing a word every match must contain (the query's *anchor*); the topic matcher then
decides on each candidate and gives its evidence. So analysts, the UI and alerts agree on what a
query means, and a search costs one indexed lookup plus at most ``search_candidates`` matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from newswatch.settings import Settings
from newswatch.store.repository import Repository, aware
from newswatch.store.schema import article_versions, articles
from newswatch.store.search import SearchQuery
from newswatch.store.search import Term as StoreTerm
from newswatch.topics.matcher import Doc, Match, match
from newswatch.topics.query import Query
from newswatch.topics.syntax import And, Lang, Near, Node, Not, Or, Term, Word

# What a hit shows about the article and the version that matched.
HIT_COLUMNS = (
    articles.c.id.label("article_id"),
    article_versions.c.id.label("version_id"),
    article_versions.c.version_no,
    articles.c.canonical_url,
    articles.c.url,
    articles.c.outlet,
    articles.c.source_name,
    articles.c.story_id,
    article_versions.c.headline,
    article_versions.c.body,
    article_versions.c.language,
    article_versions.c.published_at,
    article_versions.c.fetched_at,
)


def text_anchors(node: Node) -> frozenset[Word] | None:
    """Words in headline/body one of which every match contains; ``None`` when there is none.

    Like :func:`newswatch.topics.index.anchors`, but a ``source:`` term gives no anchor here
    because the full-text index covers only headline and body.
    """
    if isinstance(node, Term):
        if node.field == "source":
            return None
        return frozenset([max(node.words, key=lambda w: (not w.prefix, len(w.text)))])
    if isinstance(node, Lang | Not):
        return None
    if isinstance(node, Near | And):
        children = (node.left, node.right) if isinstance(node, Near) else node.children
        known = [found for found in (text_anchors(c) for c in children) if found is not None]
        return min(known, key=len) if known else None
    if isinstance(node, Or):
        union: set[Word] = set()
        for child in node.children:
            found = text_anchors(child)
            if found is None:
                return None
            union.update(found)
        return frozenset(union)
    raise TypeError(f"unknown query node {node!r}")


@dataclass(frozen=True)
class Window:
    """Filters on the versions searched: fetch time range and configured source."""

    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None
    all_versions: bool = False


def candidate_version_ids(
    engine: Engine, root: Node, settings: Settings, window: Window = Window()
) -> list[int] | None:
    """Version ids that may match, newest first; ``None`` means "no anchor: scan the newest"."""
    found = text_anchors(root)
    if not found:
        return None
    store_query = SearchQuery((tuple(StoreTerm((w.text,), w.prefix) for w in sorted(found, key=str)),))
    hits = Repository(engine, settings=settings).search(
        store_query,
        since=window.since,
        until=window.until,
        source=window.source,
        limit=settings.search_candidates,
        all_versions=window.all_versions,
    )
    return [hit.version_id for hit in hits]


def candidate_rows(engine: Engine, query: Query, settings: Settings, window: Window = Window()) -> list[Any]:
    """The candidate versions (newest first) with what the matcher and a hit need."""
    ids = candidate_version_ids(engine, query.root, settings, window)
    joined = articles.join(
        article_versions,
        article_versions.c.article_id == articles.c.id
        if window.all_versions
        else article_versions.c.id == articles.c.latest_version_id,
    )
    stmt = select(*HIT_COLUMNS).select_from(joined)
    if ids is not None:
        stmt = stmt.where(article_versions.c.id.in_(ids)) if ids else stmt.where(False)
    if window.since is not None:
        stmt = stmt.where(article_versions.c.fetched_at >= window.since)
    if window.until is not None:
        stmt = stmt.where(article_versions.c.fetched_at < window.until)
    if window.source is not None:
        stmt = stmt.where(articles.c.source_name == window.source)
    stmt = stmt.order_by(article_versions.c.fetched_at.desc(), article_versions.c.id.desc())
    with engine.connect() as conn:
        return list(conn.execute(stmt.limit(settings.search_candidates)).mappings())


def matching(rows: Iterable[Any], query: Query) -> Iterator[tuple[Any, Match]]:
    """(row, match) for the rows the topic matcher accepts, lazily, in the rows' order."""
    for row in rows:
        doc = Doc.from_parts(
            headline=row["headline"], body=row["body"], source=row["outlet"], language=row["language"]
        )
        found = match(query, doc)
        if found is not None:
            yield row, found


def search_articles(
    engine: Engine, query: Query, settings: Settings, window: Window = Window(), limit: int = 20
) -> list[dict[str, Any]]:
    """Up to ``limit`` matching versions, newest first, each with its score and evidence text."""
    hits: list[dict[str, Any]] = []
    for row, found in matching(candidate_rows(engine, query, settings, window), query):
        hit = aware(row)
        hit.pop("body", None)
        hit["score"] = found.score
        hit["evidence"] = [e.text for e in found.evidence[: settings.alert_max_evidence]]
        hits.append(hit)
        if len(hits) >= limit:
            break
    return hits
