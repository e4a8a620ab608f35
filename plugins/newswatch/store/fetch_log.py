"""The fetch log (one ``fetches`` row per HTTP request) and the shared per-domain slot table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, insert, select, update

from newswatch.store import dialect
from newswatch.store.schema import domain_slots, fetches

if TYPE_CHECKING:
    from newswatch.fetch.result import FetchResult


def _row(result: FetchResult, source_name: str | None, run_id: str | None) -> dict[str, object]:
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
    }


def record_fetch(engine: Engine, result: FetchResult, *, source_name: str | None, run_id: str | None) -> None:
    """Write the ``fetches`` row for ``result`` (and one for the robots.txt request it needed)."""
    rows = [_row(result, source_name, run_id)]
    if result.robots_fetch is not None:
        rows.insert(0, _row(result.robots_fetch, source_name, run_id))
    with engine.begin() as conn:
        conn.execute(insert(fetches), rows)


def _ensure_slot_row(conn: Connection, domain: str) -> None:
    conn.execute(
        dialect.insert_ignore(conn, domain_slots, {"domain": domain, "next_allowed_at": 0.0}, ["domain"])
    )


def try_claim_domain(engine: Engine, domain: str, now: float, interval: float) -> tuple[float, bool]:
    """Claim the start instant ``now`` for ``domain`` if the domain is free by then.

    Returns ``(now, True)`` when claimed, else ``(time the domain frees up, False)``. The claim is
    one conditional UPDATE, atomic under the row (PostgreSQL) or database (SQLite) write lock, so
    claimed instants of one domain are always at least ``interval`` apart, across processes.
    The row is created on a domain's first claim only, keeping the common case to one statement.
    """
    claim = (
        update(domain_slots)
        .where(domain_slots.c.domain == domain, domain_slots.c.next_allowed_at <= now)
        .values(next_allowed_at=now + interval)
    )
    free_at = select(domain_slots.c.next_allowed_at).where(domain_slots.c.domain == domain)
    with engine.begin() as conn:
        if conn.execute(claim).rowcount == 1:
            return now, True
        busy_until = conn.execute(free_at).scalar_one_or_none()
        if busy_until is None:  # the domain's first request ever: create its row, then claim
            _ensure_slot_row(conn, domain)
            if conn.execute(claim).rowcount == 1:
                return now, True
            busy_until = conn.execute(free_at).scalar_one()  # another process was first
        return float(busy_until), False


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
