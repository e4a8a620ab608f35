"""Operator notices (a stale, failing or badly-extracting source) go through the alert outbox.

Each problem becomes an ``alerts`` row of kind ``ops`` keyed by source, kind and day, so the
maintenance DAG can run any number of times a day and operators hear of a problem once a day,
sent by the same claim → send → mark-sent path (and retry schedule) as topic alerts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from newswatch.alerts.outbox import new_row
from newswatch.maintenance import HealthProblem
from newswatch.settings import Settings
from newswatch.store import outbox

OPERATORS_TOPIC = "(operators)"


def notice_row(problem: HealthProblem, *, settings: Settings, now: datetime) -> dict[str, Any]:
    """The outbox row telling the operators about ``problem``."""
    return new_row(
        key=problem.key(now),
        kind="ops",
        topic_name=OPERATORS_TOPIC,
        recipients=settings.operator_emails,
        subject=f"[newswatch] source {problem.source}: {problem.kind}",
        payload={
            "kind": "ops",
            "source": problem.source,
            "problem": problem.kind,
            "message": problem.message,
        },
        mail_from=settings.mail_from,
        now=now,
    )


def enqueue_notices(
    engine: Engine, problems: Iterable[HealthProblem], *, settings: Settings, now: datetime
) -> int:
    """Queue one notice per problem and day; returns how many were new. No recipients: none."""
    if not settings.operator_emails:
        return 0
    queued = 0
    with engine.begin() as conn:
        for problem in problems:
            queued += outbox.insert_if_absent(conn, notice_row(problem, settings=settings, now=now))
    return queued
