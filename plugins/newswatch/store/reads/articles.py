"""Articles and their versions as the UI lists them and the analyst CLI shows and exports them.

Lists are ordered by the indexed version ``fetched_at``: ``articles.last_seen_at`` is deliberately
unindexed (re-seeing an unchanged article must stay a cheap update).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Select, select

from newswatch.store.reads.window import Window
from newswatch.store.schema import article_aliases, article_versions, articles, topic_matches, url_state
from newswatch.store.values import MAX_ID, aware, utc

# An article in a list: identity plus its latest version's headline and dates.
LISTED = (
    articles.c.id.label("article_id"),
    articles.c.canonical_url,
    articles.c.url,
    articles.c.outlet,
    articles.c.source_name,
    articles.c.story_id,
    articles.c.version_count,
    articles.c.first_seen_at,
    articles.c.last_seen_at,
    article_versions.c.id.label("version_id"),
    article_versions.c.headline,
    article_versions.c.language,
    article_versions.c.published_at,
    article_versions.c.updated_at,
    article_versions.c.fetched_at,
)
# A search hit: the article and the version that matched, with the text the matcher reads.
HIT = (
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
LATEST = articles.join(article_versions, article_versions.c.id == articles.c.latest_version_id)
_NEWEST_FIRST = (article_versions.c.fetched_at.desc(), article_versions.c.id.desc())


@dataclass(frozen=True)
class ArticleHistory:
    """An article with every version (oldest first) and its topic matches (newest first)."""

    article: dict[str, Any]
    versions: list[dict[str, Any]]
    matches: list[dict[str, Any]]


def _rows(engine: Engine, stmt: Select[Any]) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [aware(r) for r in conn.execute(stmt).mappings()]


def newest_articles(engine: Engine, *, offset: int, limit: int) -> list[dict[str, Any]]:
    """Articles whose current version is newest, ``LISTED`` columns, from ``offset``."""
    stmt = select(*LISTED).select_from(LATEST).order_by(*_NEWEST_FIRST).offset(offset).limit(limit)
    return _rows(engine, stmt)


def current_versions(
    engine: Engine, version_ids: Sequence[int] | None, *, limit: int
) -> list[dict[str, Any]]:
    """Current versions among ``version_ids`` (``None``: any), newest first, ``LISTED`` plus body."""
    stmt = select(*LISTED, article_versions.c.body).select_from(LATEST)
    return _rows(engine, _among(stmt, version_ids).order_by(*_NEWEST_FIRST).limit(limit))


def hit_versions(
    engine: Engine, version_ids: Sequence[int] | None, window: Window, *, limit: int
) -> list[dict[str, Any]]:
    """Versions among ``version_ids`` (``None``: any) in ``window``, newest first, ``HIT`` columns."""
    joined = articles.join(
        article_versions,
        article_versions.c.article_id == articles.c.id
        if window.all_versions
        else article_versions.c.id == articles.c.latest_version_id,
    )
    stmt = _among(select(*HIT).select_from(joined), version_ids)
    if window.since is not None:
        stmt = stmt.where(article_versions.c.fetched_at >= window.since)
    if window.until is not None:
        stmt = stmt.where(article_versions.c.fetched_at < window.until)
    if window.source is not None:
        stmt = stmt.where(articles.c.source_name == window.source)
    return _rows(engine, stmt.order_by(*_NEWEST_FIRST).limit(limit))


def _among(stmt: Select[Any], version_ids: Sequence[int] | None) -> Select[Any]:
    if version_ids is None:
        return stmt
    return stmt.where(article_versions.c.id.in_(version_ids)) if version_ids else stmt.where(False)


def find_article(engine: Engine, article_id: int) -> dict[str, Any] | None:
    """An article by id with its latest version under ``latest``; None when there is none."""
    if not 0 <= article_id <= MAX_ID:  # no such row, and SQLite cannot even bind the number
        return None
    with engine.connect() as conn:
        row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
        if row is None:
            return None
        latest = (
            conn.execute(select(article_versions).where(article_versions.c.id == row["latest_version_id"]))
            .mappings()
            .first()
        )
        revisits = _revisits(conn, article_id)
    return {**aware(row), "latest": aware(latest) if latest else None, "revisits": revisits}


def _revisits(conn: Connection, article_id: int) -> dict[str, Any]:
    """When the article was last checked again, when it is next due, and whether it still is.

    ``state`` is ``due`` (a next check is planned), ``done`` (past its revisit schedule),
    ``gone``/``moved`` (its page disappeared or now leads elsewhere) or ``never`` (not revisited).
    """
    rows = conn.execute(
        select(url_state.c.last_checked_at, url_state.c.next_check_at, url_state.c.revisit_state).where(
            url_state.c.article_id == article_id
        )
    ).all()
    checked = [utc(r.last_checked_at) for r in rows if r.last_checked_at is not None]
    planned = [
        utc(r.next_check_at) for r in rows if r.next_check_at is not None and r.revisit_state == "active"
    ]
    states = {r.revisit_state for r in rows if r.revisit_state}
    if planned:
        state = "due"
    elif "active" in states:
        state = "done"
    elif states:
        state = sorted(states)[0]
    else:
        state = "never"
    return {
        "last_checked_at": max(checked) if checked else None,
        "next_check_at": min(planned) if planned else None,
        "state": state,
    }


def article_id_at(engine: Engine, *, canonical: str, seen_at: Sequence[str]) -> int | None:
    """The article whose canonical URL is ``canonical``, else one ever seen at a URL of ``seen_at``.

    The caller canonicalises (identify's rules): the store only compares stored keys.
    """
    with engine.connect() as conn:
        found = conn.execute(select(articles.c.id).where(articles.c.canonical_url == canonical)).scalar()
        if found is None and seen_at:
            found = conn.execute(
                select(article_aliases.c.article_id).where(article_aliases.c.url.in_(list(seen_at))).limit(1)
            ).scalar()
    return int(found) if found is not None else None


def versions(engine: Engine, article_id: int) -> list[dict[str, Any]]:
    """Every version of an article, oldest first, with diffs."""
    with engine.connect() as conn:
        return _versions(conn, article_id)


def _versions(conn: Connection, article_id: int) -> list[dict[str, Any]]:
    stmt = (
        select(article_versions)
        .where(article_versions.c.article_id == article_id)
        .order_by(article_versions.c.version_no)
    )
    return [aware(r) for r in conn.execute(stmt).mappings()]


def article_history(engine: Engine, article_id: int) -> ArticleHistory | None:
    """The article page's rows, read in one connection; None for an unknown article."""
    if not 0 <= article_id <= MAX_ID:
        return None
    matched = topic_matches.c
    with engine.connect() as conn:
        head = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
        if head is None:
            return None
        history = _versions(conn, article_id)
        matches = conn.execute(
            select(
                matched.topic_name, matched.version_id, matched.score, matched.evidence, matched.matched_at
            )
            .where(matched.article_id == article_id)
            .order_by(matched.matched_at.desc())
        ).mappings()
        return ArticleHistory(
            {**aware(head), "revisits": _revisits(conn, article_id)}, history, [aware(m) for m in matches]
        )


def iter_versions(
    engine: Engine, *, since: datetime | None = None, until: datetime | None = None, batch: int = 500
) -> Iterator[dict[str, Any]]:
    """Versions with their article, oldest first, fetched in keyset pages so exports stream."""
    last_id = 0
    cols = [article_versions, articles.c.canonical_url, articles.c.outlet, articles.c.source_name,
            articles.c.story_id]  # fmt: skip
    while True:
        stmt = (
            select(*cols)
            .select_from(article_versions.join(articles, articles.c.id == article_versions.c.article_id))
            .where(article_versions.c.id > last_id)
            .order_by(article_versions.c.id)
            .limit(batch)
        )
        if since is not None:
            stmt = stmt.where(article_versions.c.fetched_at >= utc(since))
        if until is not None:
            stmt = stmt.where(article_versions.c.fetched_at < utc(until))
        rows = _rows(engine, stmt)
        if not rows:
            return
        yield from rows
        last_id = int(rows[-1]["id"])
