"""Counts: the UI header's recent activity, ``newswatch stats``' totals and what a cycle did.

The header reads index ranges (version ``fetched_at``) and small tables only, never a full count;
``stats`` counts whole tables because an analyst asked for exactly that.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from newswatch.store.schema import (
    alerts,
    article_aliases,
    article_versions,
    articles,
    fetches,
    pages,
    source_runs,
    sources,
    stories,
)
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


def cycle_report(engine: Engine, since: datetime) -> dict[str, Any]:
    """What the runs since ``since`` did: their source runs, requests, alerts sent, and the totals."""
    with engine.connect() as conn:
        runs = conn.execute(select(source_runs).where(source_runs.c.started_at >= since)).mappings().all()
        requests = conn.execute(
            select(func.count()).select_from(fetches).where(fetches.c.requested_at >= since)
        ).scalar_one()
        sent = conn.execute(
            select(alerts.c.subject, alerts.c.recipients)
            .where(alerts.c.sent_at >= since)
            .order_by(alerts.c.id)
        ).all()
        total_articles = conn.execute(select(func.count()).select_from(articles)).scalar_one()
        total_versions = conn.execute(select(func.count()).select_from(article_versions)).scalar_one()
    return {
        "runs": [dict(r) for r in runs],
        "requests": int(requests),
        "sent": [(subject, list(recipients or [])) for subject, recipients in sent],
        "articles": int(total_articles),
        "versions": int(total_versions),
    }
