"""The fetch log: one ``fetches`` row per HTTP request (robots.txt, redirect hops and retries
included), with why it was made. The per-domain politeness tables are ``store.leases``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, insert, select

from newswatch.store.schema import fetches

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


def fetch_rows(engine: Engine, run_id: str | None = None) -> list[dict[str, object]]:
    """The fetch log (optionally one run's), oldest first: for operators, tests and benchmarks."""
    query = select(fetches).order_by(fetches.c.requested_at, fetches.c.id)
    if run_id is not None:
        query = query.where(fetches.c.run_id == run_id)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
