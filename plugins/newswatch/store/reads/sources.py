"""Configured sources' stored health, each with its newest runs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, select, union_all

from newswatch.store.schema import source_runs, sources
from newswatch.store.values import aware, utc

# SQLite allows at most 500 terms in one compound SELECT; stay well below it.
_LEGS_PER_QUERY = 100


def sources_with_runs(engine: Engine, *, runs_per_source: int) -> list[dict[str, Any]]:
    """Every source row by name, with its newest ``runs_per_source`` runs (newest first) in ``runs``."""
    with engine.connect() as conn:
        rows = [aware(r) for r in conn.execute(select(sources).order_by(sources.c.name)).mappings()]
        runs = _recent_runs(conn, [r["name"] for r in rows], runs_per_source)
    by_source: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        by_source.setdefault(run["source_name"], []).append(aware(run))
    return [{**row, "runs": by_source.get(row["name"], [])} for row in rows]


def _recent_runs(conn: Connection, names: list[str], per_source: int) -> list[Any]:
    """The newest ``per_source`` runs of each source, newest first.

    One LIMIT-ed leg per source, UNION ALL-ed in chunks: each leg walks the (source, started_at)
    index backwards, so months of 15-minute runs are never read (a window function over all runs
    grew with the history).
    """
    rows: list[Any] = []
    for at in range(0, len(names), _LEGS_PER_QUERY):
        legs = [
            select(source_runs)
            .where(source_runs.c.source_name == name)
            .order_by(source_runs.c.started_at.desc())
            .limit(per_source)
            .subquery()
            for name in names[at : at + _LEGS_PER_QUERY]
        ]
        rows.extend(conn.execute(union_all(*[select(leg) for leg in legs])).mappings().all())
    return sorted(rows, key=lambda r: (r["source_name"], utc(r["started_at"]), r["id"]), reverse=True)
