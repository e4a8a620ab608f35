"""Per-domain politeness: at most N requests to a domain at once, starts at least an interval apart.

One limiter over an injected lease store (``fetch.leases``): in memory for the threads of one
process, or the article database so the interval and the cap hold across all tasks and processes
sharing it (Airflow runs one task per source, possibly on several workers).

Claim-then-start rather than reservations: a request may start at ``t`` only by atomically
moving the domain's next start from ``<= t`` to ``t + interval``. Claims are serialised by the
store (a lock, or one UPDATE under the database's write lock), so the claimed instants are at
least ``interval`` apart whatever the scheduling delays; the fetcher logs that instant as the
request time. A claim that finds the domain busy sleeps until it frees up and tries again.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from newswatch.fetch.leases import LeaseStore
from newswatch.models import DomainClaim
from newswatch.settings import Settings

_MIN_SLEEP = 0.0005  # a busy domain is never polled in a tight loop


class _Concurrency:
    """One semaphore per domain, created on first use."""

    def __init__(self, per_domain: int) -> None:
        self._per_domain = per_domain
        self._lock = threading.Lock()
        self._sems: dict[str, threading.Semaphore] = {}

    def get(self, domain: str) -> threading.Semaphore:
        with self._lock:
            sem = self._sems.get(domain)
            if sem is None:
                sem = self._sems[domain] = threading.Semaphore(self._per_domain)
            return sem


class DomainLimiter:
    """Start slots and in-flight leases from ``leases``, with an in-process semaphore in front.

    A lease lasts at most as long as one request may (connect timeout + total deadline + read
    timeout), so a crashed worker's lease frees itself; the semaphore keeps the threads of one
    process from polling the store for a domain they already fill.
    """

    def __init__(self, settings: Settings, leases: LeaseStore) -> None:
        self._leases = leases
        self._settings = settings
        # At least one request at a time: a cap of 0 would leave every claim waiting forever.
        self._cap = max(1, settings.per_domain_concurrency)
        self._concurrency = _Concurrency(self._cap)
        self._lease_seconds = settings.connect_timeout + settings.total_deadline + settings.read_timeout

    def _try(self, domain: str, interval: float) -> DomainClaim:
        return self._leases.try_claim(
            domain,
            now_micros(),
            interval,
            concurrency=self._cap,
            lease_seconds=self._lease_seconds,
            poll=self._settings.lease_poll_interval,
        )

    @contextmanager
    def slot(self, domain: str, interval: float) -> Iterator[float]:
        """Wait for a start slot on ``domain``; yield the claimed instant; free the lease after."""
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
                    self._leases.release(claim.lease_id)

    def defer(self, domain: str, seconds: float) -> None:
        """Push the domain's next start ``seconds`` from now (a 429/503 asked us to wait)."""
        self._leases.defer(domain, time.time() + seconds)


def now_micros() -> float:
    """The wall clock rounded up to a whole microsecond, the resolution the fetch log stores, so
    claimed instants stay at least an interval apart after they are written there."""
    return math.ceil(time.time() * 1_000_000) / 1_000_000
