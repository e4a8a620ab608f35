"""Run topics that are new, or whose query changed, over recent versions already evaluated.

Without this a topic added at 10:00 would never see the article fetched at 09:55, because that
version was evaluated (against the old topic list) before the topic existed. Each topic records
the query text it was backfilled for (``topics.backfilled_query``); the backfill claims a topic
by a compare-and-set on that column in the same transaction that writes its matches and alerts,
so concurrent runs backfill a topic once. Alert keys are per (topic, story), so a refined query
mails only stories it had not alerted on before.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, or_, select, update

from newswatch.alerts.record import VERSION_COLUMNS, Hit, accept, doc_of, record
from newswatch.settings import Settings
from newswatch.store.dialect import begin_write
from newswatch.store.schema import article_versions, articles, topic_evaluations, topic_matches, topics
from newswatch.topics.config import Topic
from newswatch.topics.index import TopicIndex


def _due(engine: Engine, configured: Sequence[Topic]) -> list[Topic]:
    """Configured topics whose stored row has not been backfilled with their current query."""
    with engine.connect() as conn:
        done = {name: query for name, query in conn.execute(select(topics.c.name, topics.c.backfilled_query))}
    return [t for t in configured if t.name in done and done[t.name] != t.query.text]


def _hits(conn: Connection, topic: Topic, since: datetime, settings: Settings) -> list[tuple[Any, Hit]]:
    """Matches of ``topic`` among evaluated versions in the window that it has not matched yet."""
    evaluated = select(topic_evaluations.c.version_id).where(
        topic_evaluations.c.version_id == article_versions.c.id
    )
    matched = select(topic_matches.c.id).where(
        topic_matches.c.topic_name == topic.name, topic_matches.c.version_id == article_versions.c.id
    )
    query = (
        select(*VERSION_COLUMNS)
        .join(articles, articles.c.id == article_versions.c.article_id)
        .where(article_versions.c.fetched_at >= since, evaluated.exists(), ~matched.exists())
        .order_by(article_versions.c.id)
    )
    index = TopicIndex([topic])
    out: list[tuple[Any, Hit]] = []
    for row in conn.execute(query):
        for _, found in index.match(doc_of(row)):
            hit = accept(topic, found, row, settings)
            if hit is not None:
                out.append((row, hit))
    return out


def _claim(conn: Connection, topic: Topic) -> bool:
    text = topic.query.text
    stale = or_(topics.c.backfilled_query.is_(None), topics.c.backfilled_query != text)
    claimed = conn.execute(
        update(topics).where(and_(topics.c.name == topic.name, stale)).values(backfilled_query=text)
    )
    return claimed.rowcount == 1


def backfill_topics(
    engine: Engine, configured: Sequence[Topic], *, now: datetime, settings: Settings, summary: dict[str, int]
) -> None:
    """Backfill every configured topic that needs it; counts go into ``summary``."""
    since = now - timedelta(hours=settings.alert_backfill_hours)
    for topic in _due(engine, configured):
        with engine.connect() as conn:
            hits = _hits(conn, topic, since, settings) if settings.alert_backfill_hours > 0 else []
        with engine.connect() as conn:
            begin_write(conn)
            if _claim(conn, topic):
                summary["backfilled"] = summary.get("backfilled", 0) + len(hits)
                for row, hit in hits:
                    outcome = record(conn, row, hit, now, settings)
                    summary[outcome] = summary.get(outcome, 0) + 1
            conn.commit()
