"""Search stored articles with the topic query language (the same one alerts use).

The full-text index (FTS5 / tsvector) first narrows the versions to those containing a word every
match must contain (the query's *anchor*); the topic matcher then decides on each candidate and
gives its evidence. So analysts, the UI and alerts agree on what a query means, and a search costs
one indexed lookup plus at most ``search_candidates`` matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import Engine

from newswatch.settings import Settings
from newswatch.store.fulltext import SearchQuery
from newswatch.store.fulltext import Term as StoreTerm
from newswatch.store.reads import articles, hits
from newswatch.store.reads.window import CURRENT, Window
from newswatch.topics.matcher import Doc, Match, match
from newswatch.topics.query import Query
from newswatch.topics.syntax import And, Lang, Near, Node, Not, Or, Term, Word

__all__ = ["Window", "candidate_rows", "candidate_version_ids", "matching", "search_articles", "text_anchors"]


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


def candidate_version_ids(
    engine: Engine, root: Node, settings: Settings, window: Window = CURRENT
) -> list[int] | None:
    """Version ids that may match, newest first; ``None`` means "no anchor: scan the newest"."""
    found = text_anchors(root)
    if not found:
        return None
    store_query = SearchQuery((tuple(StoreTerm((w.text,), w.prefix) for w in sorted(found, key=str)),))
    found_hits = hits.search(engine, store_query, window, limit=settings.search_candidates, snippets=False)
    return [hit.version_id for hit in found_hits]


def candidate_rows(
    engine: Engine, query: Query, settings: Settings, window: Window = CURRENT
) -> list[dict[str, Any]]:
    """The candidate versions (newest first) with what the matcher and a hit need."""
    ids = candidate_version_ids(engine, query.root, settings, window)
    return articles.hit_versions(engine, ids, window, limit=settings.search_candidates)


def matching(rows: Iterable[Mapping[str, Any]], query: Query) -> Iterator[tuple[Mapping[str, Any], Match]]:
    """(row, match) for the rows the topic matcher accepts, lazily, in the rows' order."""
    for row in rows:
        doc = Doc.of_article(
            headline=row["headline"],
            body=row["body"],
            source_name=row.get("source_name"),
            outlet=row.get("outlet"),
            language=row["language"],
        )
        found = match(query, doc)
        if found is not None:
            yield row, found


def search_articles(
    engine: Engine, query: Query, settings: Settings, window: Window = CURRENT, limit: int = 20
) -> list[dict[str, Any]]:
    """Up to ``limit`` matching versions, newest first, each with its score and evidence text."""
    found_hits: list[dict[str, Any]] = []
    for row, found in matching(candidate_rows(engine, query, settings, window), query):
        hit = {k: v for k, v in row.items() if k != "body"}
        hit["score"] = found.score
        hit["evidence"] = [e.text for e in found.evidence[: settings.alert_max_evidence]]
        found_hits.append(hit)
        if len(found_hits) >= limit:
            break
    return found_hits
