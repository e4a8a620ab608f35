"""Housekeeping and source health: retention of raw pages and fetch logs, and the checks that make
a silent failure loud (a source that stopped yielding, one that keeps failing, or one whose pages
suddenly extract badly — the usual sign of a site redesign).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from newswatch.settings import Settings
from newswatch.sources.config import Source
from newswatch.store import source_checks
from newswatch.store.pages import PageArchive
from newswatch.store.values import utc


@dataclass(frozen=True)
class HealthProblem:
    """One thing an operator should look at; ``key`` is stable for a day, so it is reported once."""

    source: str
    kind: str  # "stale" | "failing" | "extraction"
    message: str

    def key(self, now: datetime) -> str:
        return f"ops:{self.kind}:{self.source}:{now:%Y-%m-%d}"


def apply_retention(engine: Engine, settings: Settings, now: datetime | None = None) -> dict[str, int]:
    """Drop raw page bodies and fetch-log rows past their retention; metadata stays."""
    now = now or datetime.now(UTC)
    pages = PageArchive(engine, settings=settings).expire(now)
    cutoff = now - timedelta(days=settings.fetch_log_retention_days)
    with engine.begin() as conn:
        removed = source_checks.delete_fetches_before(conn, cutoff)
    return {"pages_expired": int(pages), "fetch_rows_removed": int(removed)}


def _extraction_ratio(runs: Iterable[dict]) -> tuple[int, int]:
    """(pages extracted, pages missing a headline, date or body) over the given runs."""
    fetched = gaps = 0
    for run in runs:
        fetched += int(run.get("fetched") or 0)
        missing = run.get("extraction_gaps") or {}
        gaps += max((int(v) for v in missing.values()), default=0)
    return fetched, gaps


def source_problems(
    engine: Engine, configured: list[Source], settings: Settings, now: datetime | None = None
) -> list[HealthProblem]:
    """What is wrong with the enabled sources right now, one entry per source and kind."""
    now = now or datetime.now(UTC)
    problems: list[HealthProblem] = []
    window_start = now - timedelta(hours=settings.extraction_window_hours)
    with engine.connect() as conn:
        health = source_checks.health_by_name(conn)
        first_run = source_checks.first_run_started(conn)
        recent = source_checks.runs_since(conn, window_start)
    for source in configured:
        if not source.enabled:
            continue
        row = health.get(source.name)
        if row is None:
            continue  # never ran yet: nothing to judge
        expected = timedelta(seconds=max(source.poll_interval, 1) * settings.stale_after_intervals)
        expected = max(expected, timedelta(hours=settings.stale_min_hours))
        # A source that never yielded is judged from its first run.
        last_yield = utc(row["last_yield_at"]) or utc(first_run.get(source.name))
        if last_yield is not None and now - last_yield > expected:
            since = f"{last_yield:%Y-%m-%d %H:%M} UTC"
            problems.append(HealthProblem(source.name, "stale", f"no new or updated article since {since}"))
        if int(row["consecutive_failures"] or 0) >= settings.failing_after_runs:
            problems.append(
                HealthProblem(
                    source.name,
                    "failing",
                    f"{row['consecutive_failures']} failed runs in a row; last error "
                    f"{row['last_error_kind']}: {(row['last_error_message'] or '')[:200]}",
                )
            )
        fetched, gaps = _extraction_ratio(recent.get(source.name, []))
        if fetched >= settings.extraction_min_pages and gaps / fetched > settings.extraction_gap_ratio:
            problems.append(
                HealthProblem(
                    source.name,
                    "extraction",
                    f"{gaps} of {fetched} pages in the last {settings.extraction_window_hours} h lacked a "
                    "headline, date or body (site redesign?)",
                )
            )
    return problems
