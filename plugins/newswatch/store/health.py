"""Source health: one row per source run, and the health each source's run history implies.

Health (last success, consecutive failures, last yield, last error — its kind and the same
one-line reason a failed task's log ends with; the detail is in the log) is recomputed from the
``source_runs`` rows on every write, so recording the same run twice (a retried task) changes
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update

from newswatch.errors import short_reason
from newswatch.models import RUN_COUNTERS
from newswatch.settings import Settings
from newswatch.store import dialect, transactions
from newswatch.store.schema import source_runs, sources
from newswatch.store.values import json_safe, storable, utc


def record_source_run(
    engine: Engine, settings: Settings, source_name: str, run_id: str, summary: Mapping[str, Any]
) -> None:
    """Upsert the run's row and recompute the source's health from its run history."""
    now = datetime.now(UTC)
    started = utc(summary.get("started_at")) or now
    finished = utc(summary.get("finished_at")) or now
    ok = bool(summary.get("ok", not summary.get("error_kind")))
    run = {
        "source_name": source_name,
        "run_id": run_id,
        "started_at": started,
        "finished_at": finished,
        "ok": ok,
        "errors": json_safe(summary.get("errors") or {}),
        "extraction_gaps": json_safe(summary.get("extraction_gaps") or {}),
    }
    run.update({name: int(summary.get(name) or 0) for name in RUN_COUNTERS})

    def work(conn: Connection) -> None:
        conn.execute(
            dialect.upsert(
                conn,
                source_runs,
                run,
                ["source_name", "run_id"],
                [k for k in run if k not in ("source_name", "run_id")],
            )
        )
        conn.execute(
            dialect.insert_ignore(
                conn, sources, {"name": source_name, "enabled": True, "consecutive_failures": 0}, ["name"]
            )
        )
        _refresh_health(conn, source_name, summary, json_safe(dict(summary)))

    transactions.write(engine, work, attempts=settings.store_write_retries)


def _refresh_health(
    conn: Connection, source_name: str, summary: Mapping[str, Any], safe_summary: Any
) -> None:
    """Health derived from source_runs, so recording a run twice changes nothing."""
    runs = source_runs.c
    mine = runs.source_name == source_name
    last_ok = conn.execute(select(func.max(runs.finished_at)).where(mine, runs.ok.is_(True))).scalar()
    failures = select(func.count()).where(mine, runs.ok.is_(False))
    if last_ok is not None:
        failures = failures.where(runs.started_at > last_ok)
    last_yield = conn.execute(
        select(func.max(runs.finished_at)).where(mine, (runs.new + runs.updated) > 0)
    ).scalar()
    last = conn.execute(
        select(runs.finished_at, runs.ok, runs.errors)
        .where(mine)
        .order_by(runs.started_at.desc(), runs.id.desc())
        .limit(1)
    ).first()
    error_kind, error_message = None, None
    if last is not None and not last.ok:
        errors = last.errors or {}
        error_kind = summary.get("error_kind") or (max(errors, key=errors.get) if errors else "failed")
        error_message = storable(short_reason(str(summary.get("error_message") or ""))) or None
    conn.execute(
        update(sources)
        .where(sources.c.name == source_name)
        .values(
            last_run_at=last.finished_at if last is not None else None,
            last_success_at=last_ok,
            last_yield_at=last_yield,
            consecutive_failures=int(conn.execute(failures).scalar_one()),
            last_error_kind=str(error_kind)[:40] if error_kind else None,
            last_error_message=str(error_message) if error_message else None,
            last_summary=safe_summary,
        )
    )
