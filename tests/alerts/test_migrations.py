"""The alerts migration branch goes down and up again on both databases, beside the other
branches (whose analyst views read the alert tables)."""

from __future__ import annotations

from alembic import command
from newswatch.store.engine import make_engine
from newswatch.store.migrate import alembic_config, upgrade
from sqlalchemy import inspect


def _shape(url: str) -> tuple[bool, set[str], set[str], set[str]]:
    engine = make_engine(url)
    try:
        insp = inspect(engine)
        return (
            "topic_evaluations" in insp.get_table_names(),
            {c["name"] for c in insp.get_columns("topic_matches")},
            {c["name"] for c in insp.get_columns("alerts")},
            {c["name"] for c in insp.get_columns("topics")},
        )
    finally:
        engine.dispose()


def test_alerts_branch_downgrades_and_upgrades(db_url: str) -> None:
    config = alembic_config(db_url)
    command.downgrade(config, "a001@-2")  # both alerts revisions, back to the shared 0001
    evaluations, matches, outbox, topics = _shape(db_url)
    assert not evaluations
    assert "digest_key" not in matches and "story_key" not in outbox and "backfilled_query" not in topics
    upgrade(db_url)
    evaluations, matches, outbox, topics = _shape(db_url)
    assert evaluations and {"digest_key", "disposition"} <= matches
    assert "story_key" in outbox and "backfilled_query" in topics
