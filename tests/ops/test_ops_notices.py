"""Operator notices: one outbox row per source problem and day, to the operators, sent like alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newswatch.maintenance import HealthProblem
from newswatch.ops_notices import OPERATORS_TOPIC, enqueue_notices, notice_row
from newswatch.settings import load_settings
from newswatch.store.schema import alerts
from sqlalchemy import Engine, select

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_a_notice_row_names_the_source_and_problem_for_the_operators() -> None:
    settings = load_settings(environ={"NEWSWATCH_OPERATOR_EMAILS": "ops@example.com, duty@example.com"})
    row = notice_row(HealthProblem("quiet", "stale", "no new article"), settings=settings, now=NOW)
    assert row["kind"] == "ops" and row["topic_name"] == OPERATORS_TOPIC
    assert row["recipients"] == ["ops@example.com", "duty@example.com"]
    assert row["subject"] == "[newswatch] source quiet: stale"
    assert row["payload"] == {
        "kind": "ops",
        "source": "quiet",
        "problem": "stale",
        "message": "no new article",
    }
    assert row["alert_key"] == "ops:stale:quiet:2026-11-27" and row["next_attempt_at"] == NOW


def test_operator_notices_are_queued_once_a_day(engine: Engine) -> None:
    settings = load_settings(environ={"NEWSWATCH_OPERATOR_EMAILS": "ops@example.com"})
    problems = [HealthProblem("quiet", "stale", "no new article"), HealthProblem("broken", "failing", "x")]
    assert enqueue_notices(engine, problems, settings=settings, now=NOW) == 2
    assert enqueue_notices(engine, problems, settings=settings, now=NOW + timedelta(hours=3)) == 0
    assert enqueue_notices(engine, problems[:1], settings=settings, now=NOW + timedelta(days=1)) == 1
    with engine.connect() as conn:
        rows = conn.execute(select(alerts.c.kind, alerts.c.recipients)).all()
    assert len(rows) == 3 and all(kind == "ops" and to == ["ops@example.com"] for kind, to in rows)
    nobody = load_settings(environ={})
    assert enqueue_notices(engine, problems, settings=nobody, now=NOW + timedelta(days=2)) == 0
