"""Counts: the UI header's recent activity and ``newswatch stats``' totals.

The header reads index ranges (version ``fetched_at``) and small tables only, never a full count;
``stats`` counts whole tables because an analyst asked for exactly that.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from newswatch.store.schema import article_aliases, article_versions, articles, pages, sources, stories
from newswatch.store.values import utc

_FAILING = select(func.count()).select_from(sources).where(sources.c.consecutive_failures > 0)


def recent_counts(engine: Engine, since: datetime) -> dict[str, int]:
    """Articles new or changed since ``since``, their stories, and the sources now failing."""
    recent = article_versions.c.fetched_at >= since
    versions_to_articles = article_versions.join(articles, articles.c.id == article_versions.c.article_id)
    with engine.connect() as conn:
        count = {
            "articles": conn.execute(
                select(func.count(func.distinct(article_versions.c.article_id))).where(recent)
            ).scalar_one(),
            "stories": conn.execute(
                select(func.count(func.distinct(articles.c.story_id))).select_from(versions_to_articles)
                .where(recent)
            ).scalar_one(),
            "failing_sources": conn.execute(_FAILING).scalar_one(),
        }  # fmt: skip
    return {k: int(v) for k, v in count.items()}


def stats(engine: Engine) -> dict[str, Any]:
    """Row counts and time range of the article database."""
    with engine.connect() as conn:
        counts = {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in (
                ("articles", articles),
                ("versions", article_versions),
                ("stories", stories),
                ("aliases", article_aliases),
                ("pages", pages),
                ("sources", sources),
            )
        }
        first, last = conn.execute(
            select(func.min(article_versions.c.fetched_at), func.max(article_versions.c.fetched_at))
        ).one()
        multi = conn.execute(
            select(func.count()).select_from(stories).where(stories.c.article_count > 1)
        ).scalar_one()
        failing = conn.execute(_FAILING).scalar_one()
    return {
        **counts,
        "stories_with_several_articles": int(multi),
        "failing_sources": int(failing),
        "first_fetch": utc(first),
        "last_fetch": utc(last),
    }
