"""One short write transaction, retried when a concurrent writer wins a unique-key race.

Parallel task instances store the same wire story, the same page or the same source run at once.
Every write is an upsert on a natural key, so the loser of a race only has to run its transaction
again to converge on the winner's rows; deadlocks and SQLite's busy lock are retried the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from newswatch.store import dialect

log = logging.getLogger(__name__)
T = TypeVar("T")


def retryable(exc: Exception) -> bool:
    """A lost race (unique key, deadlock, serialization, SQLite busy) that another try resolves."""
    if isinstance(exc, IntegrityError):
        return True
    message = str(getattr(exc, "orig", exc)).lower()
    return "deadlock" in message or "could not serialize" in message or "database is locked" in message


def write(engine: Engine, work: Callable[[Connection], T], *, attempts: int) -> T:
    """Run ``work(conn)`` in one write transaction, retrying lost races up to ``attempts`` times."""
    attempts = max(attempts, 1)
    for attempt in range(1, attempts + 1):
        try:
            with engine.connect() as conn:
                dialect.begin_write(conn)
                result = work(conn)
                conn.commit()
                return result
        except (IntegrityError, OperationalError) as exc:
            if attempt == attempts or not retryable(exc):
                raise
            log.info("write lost a race (attempt %d/%d): %s", attempt, attempts, exc.__class__.__name__)
    raise AssertionError("unreachable")
