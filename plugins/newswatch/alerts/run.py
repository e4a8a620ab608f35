"""Match new article versions against the topics and turn matches into outbox rows.

Every version is claimed by inserting its ``topic_evaluations`` row in the same transaction that
writes its matches and alerts, so reruns and concurrent runs never evaluate it twice. What a
match means for the outbox (new alert, another outlet, UPDATED, digest) is decided in
:mod:`newswatch.alerts.record`; topics that are new or whose query changed are first run over
recent, already-evaluated versions by :mod:`newswatch.alerts.backfill`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine

from newswatch.alerts.backfill import backfill_topics
from newswatch.alerts.record import Hit, hits_for, record
from newswatch.settings import Settings
from newswatch.store import matches
from newswatch.store import topics as topics_table
from newswatch.store.dialect import begin_write
from newswatch.store.values import utc
from newswatch.topics.config import Topic
from newswatch.topics.index import TopicIndex


def match_and_enqueue(
    engine: Engine, topics: Sequence[Topic], *, now: datetime, settings: Settings
) -> dict[str, int]:
    """Evaluate every not-yet-evaluated recent version; return counts of what happened.

    With no topics at all (say, a topics file that failed to load) nothing is evaluated: marking
    versions as evaluated then would lose their alerts for good once the file is fixed.
    """
    now = utc(now)  # type: ignore[assignment]
    since = now - timedelta(hours=settings.alert_lookback_hours)
    index = TopicIndex(list(topics))
    summary: dict[str, int] = {
        "versions": 0,
        "matches": 0,
        "new": 0,
        "copy": 0,
        "updated": 0,
        "merged": 0,
        "unchanged": 0,
        "digest": 0,
        "backfilled": 0,
    }
    if not topics:
        return summary
    sync_topics(engine, topics, now)
    backfill_topics(engine, topics, now=now, settings=settings, summary=summary)
    while True:
        with engine.connect() as conn:
            rows = matches.unevaluated_versions(conn, since, settings.alert_match_batch)
        if not rows:
            return summary
        hits = {row.version_id: hits_for(index, row, settings) for row in rows}
        with engine.connect() as conn:
            begin_write(conn)
            claimed = _claim(conn, rows, hits, now)
            for row in rows:
                if row.version_id not in claimed:
                    continue
                summary["versions"] += 1
                for hit in hits[row.version_id]:
                    summary["matches"] += 1
                    summary[record(conn, row, hit, now, settings)] += 1
            conn.commit()


def prune_evaluations(engine: Engine, *, now: datetime, settings: Settings) -> int:
    """Forget evaluations older than twice the lookback window; return how many rows went.

    A version is evaluated after it is fetched, so by then it is long outside the window and can
    never be selected again; the second window is margin for clock skew between workers.
    """
    cutoff = utc(now) - 2 * timedelta(hours=settings.alert_lookback_hours)  # type: ignore[operator]
    with engine.begin() as conn:
        return matches.prune_evaluations(conn, cutoff)


def _topic_config(topic: Topic) -> dict[str, Any]:
    return {
        "recipients": list(topic.recipients),
        "delivery": topic.delivery,
        "min_score": topic.min_score,
        "languages": list(topic.languages),
        "realert": topic.realert,
        "description": topic.description,
    }


def sync_topics(engine: Engine, topics: Sequence[Topic], now: datetime) -> int:
    """Mirror the configured topics into the ``topics`` table (for analysts' views); return changes.

    Reads first and takes the write lock only when something changed: this runs every cycle.
    """
    wanted = {t.name: (t.query.text, _topic_config(t)) for t in topics}
    with engine.connect() as conn:
        if all(topics_table.stored(conn).get(name) == value for name, value in wanted.items()):
            return 0
    changed = 0
    with engine.connect() as conn:
        begin_write(conn)
        stored = topics_table.stored(conn)
        for name, (query, config) in wanted.items():
            if stored.get(name) == (query, config):
                continue
            changed += 1
            topics_table.save(conn, name, query, config, now, exists=name in stored)
        conn.commit()
    return changed


def _claim(conn: Connection, rows: list[Any], hits: dict[int, list[Hit]], now: datetime) -> set[int]:
    values = [
        {"version_id": r.version_id, "evaluated_at": now, "matched": len(hits[r.version_id])} for r in rows
    ]
    return matches.claim_versions(conn, values)
