"""The topics table on both databases: configured topics mirrored, and the backfill's claim."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newswatch.store import topics
from sqlalchemy import Engine

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_topics_are_saved_and_updated(engine: Engine) -> None:
    with engine.begin() as conn:
        topics.save(conn, "A", "russia", {"delivery": "immediate"}, NOW, exists=False)
        topics.save(conn, "A", "ignored", {}, NOW, exists=False)  # inserting a stored name: no-op
        assert topics.stored(conn) == {"A": ("russia", {"delivery": "immediate"})}
        topics.save(conn, "A", "korea", {"delivery": "daily"}, NOW + timedelta(hours=1), exists=True)
        assert topics.stored(conn) == {"A": ("korea", {"delivery": "daily"})}


def test_a_topic_is_backfilled_once_per_query(engine: Engine) -> None:
    with engine.begin() as conn:
        topics.save(conn, "A", "russia", {}, NOW, exists=False)
        assert topics.backfilled_queries(conn) == {"A": None}
        assert topics.claim_backfill(conn, "A", "russia") is True
        assert topics.claim_backfill(conn, "A", "russia") is False
        assert topics.backfilled_queries(conn) == {"A": "russia"}
        assert topics.claim_backfill(conn, "A", "russia OR korea") is True
        assert topics.claim_backfill(conn, "missing", "x") is False
