"""The fetch log (one ``fetches`` row per HTTP request) and the shared per-domain slot table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Engine, case, insert, literal, select, update

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


def _later(column: ColumnElement[float], moment: float) -> ColumnElement[float]:
    """The later of ``column`` and ``moment``, spelled the same on SQLite and PostgreSQL."""
    return case((column > moment, column), else_=literal(moment))


def _advance(engine: Engine, domain: str, new_value: ColumnElement[float]) -> float:
    """Set the domain's ``next_allowed_at`` (creating the row) and return the stored value.

    The UPDATE reads and writes the row in one statement under the row (PostgreSQL) or database
    (SQLite) write lock, so two processes can never both take the same slot.
    """
    with engine.begin() as conn:
        conn.execute(
            dialect.insert_ignore(conn, domain_slots, {"domain": domain, "next_allowed_at": 0.0}, ["domain"])
        )
        stmt = (
            update(domain_slots)
            .where(domain_slots.c.domain == domain)
            .values(next_allowed_at=new_value)
            .returning(domain_slots.c.next_allowed_at)
        )
        return float(conn.execute(stmt).scalar_one())


def reserve_domain_slot(engine: Engine, domain: str, now: float, interval: float) -> float:
    """Atomically book the next start time for ``domain``; return when the caller may start."""
    booked = _advance(engine, domain, _later(domain_slots.c.next_allowed_at, now) + interval)
    return booked - interval


def defer_domain(engine: Engine, domain: str, until: float) -> None:
    """Make no request to ``domain`` start before ``until`` (after a 429/503 Retry-After)."""
    _advance(engine, domain, _later(domain_slots.c.next_allowed_at, until))


def fetch_rows(engine: Engine, run_id: str | None = None) -> list[dict[str, object]]:
    """The fetch log (optionally one run's), oldest first: for operators, tests and benchmarks."""
    query = select(fetches).order_by(fetches.c.requested_at, fetches.c.id)
    if run_id is not None:
        query = query.where(fetches.c.run_id == run_id)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
