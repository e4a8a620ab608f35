"""What the source checks and the ingest planner read about sources, and fetch-log retention.

Reads of the ``sources`` health rows and the ``source_runs`` history (the judging stays in
``newswatch.maintenance``), and the one delete the fetch log's retention needs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select

from newswatch.store.schema import fetches, source_runs, sources
from newswatch.store.values import utc


def health_by_name(conn: Connection) -> dict[str, Any]:
    """Every ``sources`` row (health columns included), by source name."""
    return {row["name"]: row for row in conn.execute(select(sources)).mappings()}


def first_run_started(conn: Connection) -> dict[str, datetime]:
    """When each source's first recorded run started."""
    query = select(source_runs.c.source_name, func.min(source_runs.c.started_at)).group_by(
        source_runs.c.source_name
    )
    return dict(conn.execute(query).all())  # type: ignore[arg-type]


def runs_since(conn: Connection, start: datetime) -> dict[str, list[dict[str, Any]]]:
    """Every run started at or after ``start``, grouped by source name."""
    recent: dict[str, list[dict[str, Any]]] = {}
    for run in conn.execute(select(source_runs).where(source_runs.c.started_at >= start)).mappings():
        recent.setdefault(run["source_name"], []).append(dict(run))
    return recent


def last_run_times(conn: Connection) -> dict[str, datetime]:
    """When each source last ran (aware UTC); sources that never ran are left out."""
    rows = conn.execute(select(sources.c.name, sources.c.last_run_at)).all()
    return {name: when for name, last in rows if (when := utc(last)) is not None}


def delete_fetches_before(conn: Connection, cutoff: datetime) -> int:
    """Drop fetch-log rows requested before ``cutoff``; how many went."""
    return int(conn.execute(delete(fetches).where(fetches.c.requested_at < cutoff)).rowcount or 0)
