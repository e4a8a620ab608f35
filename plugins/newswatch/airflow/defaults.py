"""DAG-level defaults shared by every newswatch DAG: cheap to import at parse time.

Reads only environment variables (never Variables, sockets or the database).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

START_DATE = datetime(2026, 1, 1, tzinfo=UTC)
OWNER = os.environ.get("NEWSWATCH_OWNER", "newswatch")
TAGS_BASE = ["newswatch"]


def default_args(*, retries: int | None = None, timeout_minutes: int = 30) -> dict:
    """Retries with exponential backoff and a hard execution timeout for every task."""
    return {
        "owner": OWNER,
        "retries": int(os.environ.get("NEWSWATCH_TASK_RETRIES", "2")) if retries is None else retries,
        "retry_delay": timedelta(seconds=int(os.environ.get("NEWSWATCH_RETRY_DELAY_SECONDS", "30"))),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=10),
        "execution_timeout": timedelta(minutes=timeout_minutes),
    }


def ingest_schedule() -> timedelta:
    return timedelta(minutes=int(os.environ.get("NEWSWATCH_INGEST_EVERY_MINUTES", "15")))


# The Asset the ingest DAG updates and the alerts DAG is scheduled on.
ARTICLES_ASSET_URI = "newswatch://articles"
