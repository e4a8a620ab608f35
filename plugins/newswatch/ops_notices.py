"""Operator notices (a stale, failing or badly-extracting source) go through the alert outbox.

Each problem becomes an ``alerts`` row of kind ``ops`` keyed by source, kind and day, so the
maintenance DAG can run any number of times a day and operators hear of a problem once a day,
sent by the same claim → send → mark-sent path as topic alerts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine

from newswatch.alerts.outbox import message_id
from newswatch.maintenance import HealthProblem
from newswatch.settings import Settings
from newswatch.store import dialect
from newswatch.store.schema import alerts

OPERATORS_TOPIC = "(operators)"


def notice_row(problem: HealthProblem, *, settings: Settings, now: datetime) -> dict[str, object]:
    key = problem.key(now)
    return {
        "alert_key": key,
        "topic_name": OPERATORS_TOPIC,
        "story_id": None,
        "kind": "ops",
        "status": "pending",
        "recipients": list(settings.operator_emails),
        "subject": f"[newswatch] source {problem.source}: {problem.kind}",
        "message_id": message_id(key, settings.mail_from),
        "payload": {
            "kind": "ops",
            "source": problem.source,
            "problem": problem.kind,
            "message": problem.message,
        },
        "attempts": 0,
        "created_at": now,
    }


def enqueue_notices(
    engine: Engine, problems: Iterable[HealthProblem], *, settings: Settings, now: datetime
) -> int:
    """Queue one notice per problem and day; returns how many were new. No recipients: none."""
    if not settings.operator_emails:
        return 0
    queued = 0
    with engine.begin() as conn:
        for problem in problems:
            row = notice_row(problem, settings=settings, now=now)
            result = conn.execute(dialect.insert_ignore(conn, alerts, row, ["alert_key"]))
            queued += int(result.rowcount or 0)
    return queued
