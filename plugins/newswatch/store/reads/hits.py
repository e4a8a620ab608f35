"""Full-text search over article versions: the FTS5 / tsvector index, newest first, with a snippet.

The query is a parsed :class:`~newswatch.store.fulltext.SearchQuery`, so no user input reaches the
database as query syntax; ``store.dialect`` spells it for each database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from newswatch.store import dialect
from newswatch.store.fulltext import SearchQuery
from newswatch.store.reads.window import CURRENT, Window
from newswatch.store.values import aware, utc


@dataclass(frozen=True)
class SearchHit:
    """One matching article version, with a snippet whose matches are marked ``[like this]``."""

    article_id: int
    version_id: int
    version_no: int
    canonical_url: str
    outlet: str
    source_name: str | None
    story_id: int | None
    headline: str | None
    published_at: datetime | None
    fetched_at: datetime
    language: str | None
    snippet: str | None


def search(
    engine: Engine, query: SearchQuery, window: Window = CURRENT, *, limit: int, snippets: bool = True
) -> list[SearchHit]:
    """Up to ``limit`` matching versions in ``window``, newest first; ``snippets=False`` leaves
    ``snippet`` None and saves marking up each hit's body."""
    if window.source and "\x00" in window.source:
        return []  # no source name holds a NUL, and PostgreSQL refuses one in a parameter
    params: dict[str, Any] = {"limit": int(limit)}
    filters = []
    if window.since is not None:
        filters.append("v.fetched_at >= :since")
        params["since"] = utc(window.since)
    if window.until is not None:
        filters.append("v.fetched_at < :until")
        params["until"] = utc(window.until)
    if window.source:
        filters.append("a.source_name = :source")
        params["source"] = window.source
    with engine.connect() as conn:
        stmt = dialect.search_statement(
            conn, query, filters, params, latest_only=not window.all_versions, snippets=snippets
        )
        rows = conn.execute(stmt, params).mappings().all()
    return [SearchHit(**aware(r)) for r in rows]
