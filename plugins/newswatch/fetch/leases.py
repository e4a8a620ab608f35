"""Where per-domain start slots and in-flight leases are kept: the limiter's one dependency.

The limiter only says *when* to ask; a lease store says *whether* a domain is free. The store is
injected so that the fetch package never imports the database: ``InProcessLeases`` serves the
threads of one process (the CLI, tests), ``newswatch.store.leases.DatabaseLeases`` serves every
process sharing the article database (Airflow tasks on several workers).
"""

from __future__ import annotations

import threading
import uuid
from typing import Protocol

from newswatch.models import DomainClaim


class LeaseStore(Protocol):
    """Claim a domain's start instant (and a lease when ``concurrency`` is set), release, defer."""

    def try_claim(
        self,
        domain: str,
        now: float,
        interval: float,
        *,
        concurrency: int | None = None,
        lease_seconds: float = 0.0,
        poll: float = 0.0,
    ) -> DomainClaim:
        """Claim ``now`` if the domain is free by then: its next start moves to ``now + interval``.

        With ``concurrency``, also take a lease (lasting ``lease_seconds``), or give the slot back
        and answer "ask again at ``now + poll``" while ``concurrency`` leases are held."""
        ...

    def release(self, lease_id: str) -> None: ...

    def defer(self, domain: str, until: float) -> None:
        """Make no request to ``domain`` start before ``until`` (after a 429/503)."""
        ...


class InProcessLeases:
    """Slots and leases in memory, behind one lock: politeness among the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._leases: dict[str, tuple[str, float]] = {}  # lease id -> (domain, expires at)

    def try_claim(
        self,
        domain: str,
        now: float,
        interval: float,
        *,
        concurrency: int | None = None,
        lease_seconds: float = 0.0,
        poll: float = 0.0,
    ) -> DomainClaim:
        with self._lock:
            free_at = self._next.get(domain, 0.0)
            if free_at > now:
                return DomainClaim(False, free_at)
            lease_id = None
            if concurrency is not None:
                if self._held(domain, now) >= concurrency:
                    return DomainClaim(False, now + poll)
                lease_id = uuid.uuid4().hex
                self._leases[lease_id] = (domain, now + lease_seconds)
            self._next[domain] = now + interval
            return DomainClaim(True, now, lease_id)

    def _held(self, domain: str, now: float) -> int:
        """Leases of ``domain`` still live at ``now`` (expired ones, a dead thread's, are dropped)."""
        expired = [k for k, (_, expires) in self._leases.items() if expires < now]
        for lease_id in expired:
            del self._leases[lease_id]
        return sum(1 for held_domain, _ in self._leases.values() if held_domain == domain)

    def release(self, lease_id: str) -> None:
        with self._lock:
            self._leases.pop(lease_id, None)

    def defer(self, domain: str, until: float) -> None:
        with self._lock:
            self._next[domain] = max(self._next.get(domain, 0.0), until)
