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

from sqlalchemy import Connection, Engine

from newswatch.alerts.record import Hit, accept, record
from newswatch.settings import Settings
from newswatch.store import matches
from newswatch.store import topics as topics_table
from newswatch.store.dialect import begin_write
from newswatch.topics.config import Topic
from newswatch.topics.index import TopicIndex
from newswatch.topics.matcher import Doc


def _due(engine: Engine, configured: Sequence[Topic]) -> list[Topic]:
    """Configured topics whose stored row has not been backfilled with their current query."""
    with engine.connect() as conn:
        done = topics_table.backfilled_queries(conn)
    return [t for t in configured if t.name in done and done[t.name] != t.query.text]


def _hits(conn: Connection, topic: Topic, since: datetime, settings: Settings) -> list[tuple[Any, Hit]]:
    """Matches of ``topic`` among evaluated versions in the window that it has not matched yet."""
    index = TopicIndex([topic])
    out: list[tuple[Any, Hit]] = []
    for row in matches.evaluated_unmatched_versions(conn, topic.name, since):
        for _, found in index.match(Doc.of_row(row)):
            hit = accept(topic, found, row, settings)
            if hit is not None:
                out.append((row, hit))
    return out


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
            if topics_table.claim_backfill(conn, topic.name, topic.query.text):
                summary["backfilled"] = summary.get("backfilled", 0) + len(hits)
                for row, hit in hits:
                    outcome = record(conn, row, hit, now, settings)
                    summary[outcome] = summary.get(outcome, 0) + 1
            conn.commit()
