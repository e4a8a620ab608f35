"""Per-domain politeness: at most N requests to a domain at once, starts at least an interval apart.

Two limiters with one interface. ``InProcessLimiter`` serves threads of one process.
``DatabaseLimiter`` keeps each domain's earliest next start in the ``domain_slots`` table, so
the interval holds across all tasks and processes sharing the article database (Airflow runs one
task per source, possibly on several workers); ``domain_leases`` caps the requests in flight.

Both use claim-then-start rather than reservations: a request may start at ``t`` only by
atomically moving the domain's ``next_allowed_at`` from ``<= t`` to ``t + interval``. Claims are
serialised (a lock, or one UPDATE under the database's write lock), so the claimed instants are
at least ``interval`` apart whatever the scheduling delays; the fetcher logs that instant as the
request time. A claim that finds the domain busy sleeps until it frees up and tries again.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from sqlalchemy import Engine

from newswatch.settings import Settings
from newswatch.store import fetch_log

_MIN_SLEEP = 0.0005  # a busy domain is never polled in a tight loop


class Limiter(Protocol):
    """Wait for a start slot on a domain (yielding the claimed instant); push a domain back."""

    def slot(self, domain: str, interval: float) -> AbstractContextManager[float]: ...

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

    def try_claim(self, domain: str, interval: float) -> tuple[float, bool]:
        """(now, True) when the slot at ``now`` was claimed, else (time the domain frees, False)."""
        with self._lock:
            now = now_micros()
            free_at = self._next.get(domain, 0.0)
            if free_at <= now:
                self._next[domain] = now + interval
                return now, True
            return free_at, False

    @contextmanager
    def slot(self, domain: str, interval: float) -> Iterator[float]:
        with self._concurrency.get(domain):
            yield _claim(self.try_claim, domain, interval)

    def defer(self, domain: str, seconds: float) -> None:
        with self._lock:
            self._next[domain] = max(self._next.get(domain, 0.0), time.time() + seconds)


class DatabaseLimiter:
    """Politeness shared through ``domain_slots`` and ``domain_leases`` (SQLite and PostgreSQL).

    A lease per request in flight caps a domain's concurrency across processes; it lasts at most
    as long as one request may (connect timeout + total deadline), so a crashed worker's lease
    frees itself. The in-process semaphore in front keeps threads of one process from polling.
    """

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self._settings = settings
        self._concurrency = _Concurrency(settings.per_domain_concurrency)
        self._lease_seconds = settings.connect_timeout + settings.total_deadline + settings.read_timeout

    def try_claim(self, domain: str, interval: float) -> tuple[float, bool]:
        claim = self._try(domain, interval)
        if claim.lease_id is not None:
            fetch_log.release_lease(self._engine, claim.lease_id)
        return claim.at, claim.claimed

    def _try(self, domain: str, interval: float) -> fetch_log.Claim:
        return fetch_log.try_claim_domain(
            self._engine,
            domain,
            now_micros(),
            interval,
            concurrency=self._settings.per_domain_concurrency,
            lease_seconds=self._lease_seconds,
            poll=self._settings.lease_poll_interval,
        )

    @contextmanager
    def slot(self, domain: str, interval: float) -> Iterator[float]:
        with self._concurrency.get(domain):
            while True:
                claim = self._try(domain, interval)
                if claim.claimed:
                    break
                time.sleep(max(claim.at - time.time(), _MIN_SLEEP))
            try:
                yield claim.at
            finally:
                if claim.lease_id is not None:
                    fetch_log.release_lease(self._engine, claim.lease_id)

    def defer(self, domain: str, seconds: float) -> None:
        fetch_log.defer_domain(self._engine, domain, time.time() + seconds)


def now_micros() -> float:
    """The wall clock rounded up to a whole microsecond, the resolution the fetch log stores, so
    claimed instants stay at least an interval apart after they are written there."""
    return math.ceil(time.time() * 1_000_000) / 1_000_000


def _claim(try_claim, domain: str, interval: float) -> float:  # type: ignore[no-untyped-def]
    """Claim a start instant for ``domain``, sleeping while it is busy; return that instant."""
    while True:
        moment, claimed = try_claim(domain, interval)
        if claimed:
            return moment
        time.sleep(max(moment - time.time(), _MIN_SLEEP))
