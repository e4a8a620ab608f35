"""Stories (near-duplicate articles across outlets) with their member articles."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from newswatch.store.reads.articles import LATEST, LISTED
from newswatch.store.schema import article_versions, articles, stories
from newswatch.store.values import MAX_ID, aware

_HEAD = (stories.c.id, stories.c.headline, stories.c.first_seen_at, stories.c.last_seen_at,
         stories.c.article_count)  # fmt: skip
_MEMBER = (
    articles.c.id.label("article_id"),
    articles.c.outlet,
    articles.c.canonical_url,
    articles.c.source_name,
    articles.c.first_seen_at,
    articles.c.version_count,
    article_versions.c.headline,
    article_versions.c.published_at,
)


def story(engine: Engine, story_id: int) -> dict[str, Any] | None:
    """A story with its member articles (outlet, URL, latest headline) under ``members``, earliest first."""
    if not 0 <= story_id <= MAX_ID:
        return None
    with engine.connect() as conn:
        head = conn.execute(select(*_HEAD).where(stories.c.id == story_id)).mappings().first()
        if head is None:
            return None
        members = conn.execute(
            select(*_MEMBER)
            .select_from(
                articles.outerjoin(article_versions, article_versions.c.id == articles.c.latest_version_id)
            )
            .where(articles.c.story_id == story_id)
            .order_by(articles.c.first_seen_at, articles.c.id)
        ).mappings()
        return {**aware(head), "members": [aware(m) for m in members]}


def recent_stories(engine: Engine, *, scan: int, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` stories of the newest ``scan`` versions, newest first, members as ``LISTED``.

    Found through the newest versions (the indexed ``fetched_at``), not by sorting every story,
    so the cost does not grow with the archive.
    """
    newest = (
        select(articles.c.story_id)
        .select_from(article_versions.join(articles, articles.c.id == article_versions.c.article_id))
        .where(articles.c.story_id.is_not(None))
        .order_by(article_versions.c.fetched_at.desc())
        .limit(scan)
    )
    with engine.connect() as conn:
        ids = list(dict.fromkeys(conn.execute(newest).scalars()))[:limit]
        if not ids:
            return []
        heads = {
            h["id"]: aware(h) for h in conn.execute(select(*_HEAD).where(stories.c.id.in_(ids))).mappings()
        }
        members = conn.execute(
            select(*LISTED).select_from(LATEST).where(articles.c.story_id.in_(ids))
            .order_by(articles.c.first_seen_at, articles.c.id)
        ).mappings()  # fmt: skip
        by_story: dict[int, list[dict[str, Any]]] = {}
        for member in members:
            by_story.setdefault(member["story_id"], []).append(aware(member))
    return [{**heads[i], "members": by_story.get(i, [])} for i in ids if i in heads]
