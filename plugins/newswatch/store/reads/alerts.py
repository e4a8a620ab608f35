"""Topics, the matches they made and the alerts they fired, as the UI lists them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from newswatch.store.schema import alerts, topic_matches, topics
from newswatch.store.values import aware, utc

_LISTED = (alerts.c.id, alerts.c.topic_name, alerts.c.kind, alerts.c.status, alerts.c.subject,
           alerts.c.recipients, alerts.c.attempts, alerts.c.created_at, alerts.c.sent_at,
           alerts.c.last_error, alerts.c.story_id, alerts.c.payload)  # fmt: skip


@dataclass(frozen=True)
class TopicActivity:
    """Known topics, their match times since a moment, and all-time match and sent-alert counts."""

    queries: dict[str, str | None]  # topic name → its stored query
    matched_at: list[tuple[str, datetime]]  # (topic name, when) for each match in the window
    total_matches: dict[str, int]
    alerts_sent: dict[str, int]


def recent_alerts(
    engine: Engine, *, status: str | None, topic: str | None, limit: int
) -> list[dict[str, Any]]:
    """Alerts in the outbox, newest first, payload included; empty filters select everything."""
    stmt = select(*_LISTED)
    if status:
        stmt = stmt.where(alerts.c.status == status)
    if topic:
        stmt = stmt.where(alerts.c.topic_name == topic)
    stmt = stmt.order_by(alerts.c.created_at.desc(), alerts.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        return [aware(r) for r in conn.execute(stmt).mappings()]


def alert_counts(engine: Engine) -> dict[str, int]:
    """Alerts per status."""
    with engine.connect() as conn:
        rows = conn.execute(select(alerts.c.status, func.count()).group_by(alerts.c.status)).all()
    return {str(status): int(count) for status, count in rows}


def topic_activity(engine: Engine, since: datetime) -> TopicActivity:
    """What the topics page charts; matches before ``since`` are only counted, never read."""
    with engine.connect() as conn:
        known = conn.execute(select(topics.c.name, topics.c.query).order_by(topics.c.name)).all()
        hits = conn.execute(
            select(topic_matches.c.topic_name, topic_matches.c.matched_at).where(
                topic_matches.c.matched_at >= since
            )
        ).all()
        totals = conn.execute(
            select(topic_matches.c.topic_name, func.count()).group_by(topic_matches.c.topic_name)
        ).all()
        sent = conn.execute(
            select(alerts.c.topic_name, func.count())
            .where(alerts.c.status == "sent")
            .group_by(alerts.c.topic_name)
        ).all()
    return TopicActivity(
        queries={name: query for name, query in known},
        matched_at=[(name, utc(when)) for name, when in hits],  # type: ignore[misc]
        total_matches={name: int(n) for name, n in totals},
        alerts_sent={name: int(n) for name, n in sent},
    )
