"""Per-domain politeness: at most N requests to a domain at once, starts at least an interval apart.

Two limiters with one interface. ``InProcessLimiter`` serves threads of one process.
``DatabaseLimiter`` keeps each domain's next free start time in the ``domain_slots`` table and
reserves slots with one atomic upsert, so the interval holds across all tasks and processes
that share the article database (Airflow runs one task per source, possibly on several workers).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from sqlalchemy import Engine

from newswatch.settings import Settings
from newswatch.store import fetch_log


class Limiter(Protocol):
    """What the fetcher needs: wait for a start slot on a domain; push a domain back (Retry-After)."""

    def slot(self, domain: str, interval: float) -> AbstractContextManager[None]: ...

    def defer(self, domain: str, seconds: float) -> None: ...


class _Concurrency:
    """One semaphore per domain, created on first use."""

    def __init__(self, per_domain: int) -> None:
        self._per_domain = max(1, per_domain)
        self._lock = threading.Lock()
        self._sems: dict[str, threading.Semaphore] = {}

    def get(self, domain: str) -> threading.Semaphore:
        with self._lock:
            sem = self._sems.get(domain)
            if sem is None:
                sem = self._sems[domain] = threading.Semaphore(self._per_domain)
            return sem


class InProcessLimiter:
    """Politeness among the threads of one process."""

    def __init__(self, settings: Settings) -> None:
        self._concurrency = _Concurrency(settings.per_domain_concurrency)
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def reserve(self, domain: str, interval: float) -> float:
        """Book the next start for ``domain``; return the wall-clock time it may begin."""
        with self._lock:
            start = max(time.time(), self._next.get(domain, 0.0))
            self._next[domain] = start + interval
            return start

    @contextmanager
    def slot(self, domain: str, interval: float) -> Iterator[None]:
        with self._concurrency.get(domain):
            _sleep_until(self.reserve(domain, interval))
            yield

    def defer(self, domain: str, seconds: float) -> None:
        with self._lock:
            self._next[domain] = max(self._next.get(domain, 0.0), time.time() + seconds)


class DatabaseLimiter:
    """Politeness shared through the ``domain_slots`` table (both SQLite and PostgreSQL)."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self._concurrency = _Concurrency(settings.per_domain_concurrency)

    def reserve(self, domain: str, interval: float) -> float:
        return fetch_log.reserve_domain_slot(self._engine, domain, time.time(), interval)

    @contextmanager
    def slot(self, domain: str, interval: float) -> Iterator[None]:
        with self._concurrency.get(domain):
            _sleep_until(self.reserve(domain, interval))
            yield

    def defer(self, domain: str, seconds: float) -> None:
        fetch_log.defer_domain(self._engine, domain, time.time() + seconds)


def _sleep_until(start: float) -> None:
    delay = start - time.time()
    if delay > 0:
        time.sleep(delay)
