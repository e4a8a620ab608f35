"""Per-domain politeness shared by every process using the article database: ``domain_slots``
holds each domain's next allowed start, ``domain_leases`` its requests in flight. The fetcher's
limiter takes :class:`DatabaseLeases` as its ``fetch.leases.LeaseStore``; the fetch package never
imports this module (the lease store is injected by whoever builds the fetcher)."""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from newswatch.models import DomainClaim
from newswatch.store import dialect
from newswatch.store.schema import domain_leases, domain_slots


class DatabaseLeases:
    """``LeaseStore`` over the slot and lease tables (SQLite and PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

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
        """Claim the start instant ``now`` for ``domain`` if the domain is free by then.

        The claim is one conditional UPDATE, atomic under the row (PostgreSQL) or database
        (SQLite) write lock, so claimed instants of one domain are always at least ``interval``
        apart, across processes. With ``concurrency``, the same transaction (still holding that
        lock) also takes a lease, or gives the claim back when ``concurrency`` leases are held;
        then ask again after ``poll`` seconds. The slot row is created on a domain's first claim.
        """
        claim = (
            update(domain_slots)
            .where(domain_slots.c.domain == domain, domain_slots.c.next_allowed_at <= now)
            .values(next_allowed_at=now + interval)
        )
        free_at = select(domain_slots.c.next_allowed_at).where(domain_slots.c.domain == domain)
        with self._engine.connect() as conn, conn.begin() as transaction:
            won = conn.execute(claim).rowcount == 1
            if not won:
                busy_until = conn.execute(free_at).scalar_one_or_none()
                if busy_until is not None:
                    return DomainClaim(False, float(busy_until))
                _ensure_slot_row(conn, domain)  # the domain's first request ever
                won = conn.execute(claim).rowcount == 1
                if not won:  # another process was first
                    return DomainClaim(False, float(conn.execute(free_at).scalar_one()))
            if concurrency is None:
                return DomainClaim(True, now)
            lease_id = _take_lease(conn, domain, now, concurrency, lease_seconds)
            if lease_id is None:
                transaction.rollback()  # give the interval slot back: nothing starts now
                return DomainClaim(False, now + poll)
            return DomainClaim(True, now, lease_id)

    def release(self, lease_id: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(domain_leases).where(domain_leases.c.lease_id == lease_id))

    def defer(self, domain: str, until: float) -> None:
        """Make no request to ``domain`` start before ``until`` (after a 429/503 Retry-After)."""
        with self._engine.begin() as conn:
            _ensure_slot_row(conn, domain)
            conn.execute(
                update(domain_slots)
                .where(domain_slots.c.domain == domain, domain_slots.c.next_allowed_at < until)
                .values(next_allowed_at=until)
            )


def _ensure_slot_row(conn: Connection, domain: str) -> None:
    conn.execute(
        dialect.insert_ignore(conn, domain_slots, {"domain": domain, "next_allowed_at": 0.0}, ["domain"])
    )


def _take_lease(conn: Connection, domain: str, now: float, limit: int, lease_seconds: float) -> str | None:
    """Take one of the domain's ``limit`` leases; None when all are held (expired ones are freed)."""
    conn.execute(
        delete(domain_leases).where(domain_leases.c.domain == domain, domain_leases.c.expires_at < now)
    )
    held = conn.execute(select(func.count()).where(domain_leases.c.domain == domain)).scalar_one()
    if held >= limit:
        return None
    lease_id = uuid.uuid4().hex
    conn.execute(
        insert(domain_leases).values(lease_id=lease_id, domain=domain, expires_at=now + lease_seconds)
    )
    return lease_id
