"""The fetch log (one ``fetches`` row per HTTP request) and the shared per-domain politeness
tables (``domain_slots``: next start; ``domain_leases``: requests in flight)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from newswatch.store import dialect
from newswatch.store.schema import domain_leases, domain_slots, fetches

if TYPE_CHECKING:
    from newswatch.models import Exchange, FetchResult


def _row(
    result: FetchResult, source_name: str | None, run_id: str | None, purpose: str | None
) -> dict[str, object]:
    requested_at = result.requested_at or datetime.now(UTC) - timedelta(milliseconds=result.elapsed_ms)
    return {
        "url": result.url,
        "final_url": result.final_url,
        "source_name": source_name,
        "run_id": run_id,
        "requested_at": requested_at,
        "status": result.status,
        "bytes": len(result.body),
        "elapsed_ms": result.elapsed_ms,
        "etag": result.etag,
        "last_modified": result.last_modified,
        "error_kind": result.error_kind,
        "error_message": (result.error_message or None) and result.error_message[:2000],
        "purpose": purpose,
    }


def _exchange_row(
    exchange: Exchange, source_name: str | None, run_id: str | None, purpose: str | None
) -> dict[str, object]:
    return {
        "url": exchange.url,
        "final_url": exchange.url,
        "source_name": source_name,
        "run_id": run_id,
        "requested_at": exchange.requested_at,
        "status": exchange.status,
        "bytes": 0,
        "elapsed_ms": exchange.elapsed_ms,
        "etag": None,
        "last_modified": None,
        "error_kind": exchange.error_kind,
        "error_message": exchange.note,
        "purpose": purpose,
    }


def _rows(
    result: FetchResult, source_name: str | None, run_id: str | None, purpose: str | None
) -> list[dict[str, object]]:
    """One row per HTTP request: robots.txt first, then earlier hops/retries, then the final one."""
    rows = [row for robots in result.robots_fetches for row in _rows(robots, source_name, run_id, "robots")]
    rows.extend(_exchange_row(e, source_name, run_id, purpose) for e in result.earlier)
    rows.append(_row(result, source_name, run_id, purpose))
    return rows


def record_fetch(
    engine: Engine,
    result: FetchResult,
    *,
    source_name: str | None,
    run_id: str | None,
    purpose: str | None = None,
) -> None:
    """Write the fetch log rows for ``result``: one per HTTP request it made (robots.txt,
    redirect hops and retried 429/503 included), or one row when it was refused before any.
    ``purpose`` says why it was made: ``listing``, ``new`` or ``revisit``."""
    with engine.begin() as conn:
        conn.execute(insert(fetches), _rows(result, source_name, run_id, purpose))


def _ensure_slot_row(conn: Connection, domain: str) -> None:
    conn.execute(
        dialect.insert_ignore(conn, domain_slots, {"domain": domain, "next_allowed_at": 0.0}, ["domain"])
    )


@dataclass(frozen=True)
class Claim:
    """The outcome of one attempt to start a request on a domain."""

    claimed: bool
    at: float  # the claimed instant, or when to ask again
    lease_id: str | None = None  # release it when the request is done


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


def try_claim_domain(
    engine: Engine,
    domain: str,
    now: float,
    interval: float,
    *,
    concurrency: int | None = None,
    lease_seconds: float = 0.0,
    poll: float = 0.0,
) -> Claim:
    """Claim the start instant ``now`` for ``domain`` if the domain is free by then.

    The claim is one conditional UPDATE, atomic under the row (PostgreSQL) or database (SQLite)
    write lock, so claimed instants of one domain are always at least ``interval`` apart, across
    processes. With ``concurrency``, the same transaction (still holding that lock) also takes a
    lease, or gives the claim back when ``concurrency`` leases are held; then ask again after
    ``poll`` seconds. The slot row is created on a domain's first claim only.
    """
    claim = (
        update(domain_slots)
        .where(domain_slots.c.domain == domain, domain_slots.c.next_allowed_at <= now)
        .values(next_allowed_at=now + interval)
    )
    free_at = select(domain_slots.c.next_allowed_at).where(domain_slots.c.domain == domain)
    with engine.connect() as conn, conn.begin() as transaction:
        won = conn.execute(claim).rowcount == 1
        if not won:
            busy_until = conn.execute(free_at).scalar_one_or_none()
            if busy_until is not None:
                return Claim(False, float(busy_until))
            _ensure_slot_row(conn, domain)  # the domain's first request ever
            won = conn.execute(claim).rowcount == 1
            if not won:
                return Claim(False, float(conn.execute(free_at).scalar_one()))  # another process was first
        if concurrency is None:
            return Claim(True, now)
        lease_id = _take_lease(conn, domain, now, concurrency, lease_seconds)
        if lease_id is None:
            transaction.rollback()  # give the interval slot back: nothing starts now
            return Claim(False, now + poll)
        return Claim(True, now, lease_id)


def release_lease(engine: Engine, lease_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(domain_leases).where(domain_leases.c.lease_id == lease_id))


def defer_domain(engine: Engine, domain: str, until: float) -> None:
    """Make no request to ``domain`` start before ``until`` (after a 429/503 Retry-After)."""
    with engine.begin() as conn:
        _ensure_slot_row(conn, domain)
        conn.execute(
            update(domain_slots)
            .where(domain_slots.c.domain == domain, domain_slots.c.next_allowed_at < until)
            .values(next_allowed_at=until)
        )


def fetch_rows(engine: Engine, run_id: str | None = None) -> list[dict[str, object]]:
    """The fetch log (optionally one run's), oldest first: for operators, tests and benchmarks."""
    query = select(fetches).order_by(fetches.c.requested_at, fetches.c.id)
    if run_id is not None:
        query = query.where(fetches.c.run_id == run_id)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
