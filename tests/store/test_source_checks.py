"""What the source checks and the planner read, and fetch-log retention, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newswatch.store import source_checks
from newswatch.store.schema import fetches, source_runs, sources
from sqlalchemy import Engine, func, insert, select

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _run(name: str, run: int, started: datetime) -> dict[str, object]:
    return {"source_name": name, "run_id": f"r{run}", "started_at": started, "ok": True, "fetched": run}


def test_health_runs_and_last_run_times(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(insert(sources), [
            {"name": "ran", "enabled": True, "consecutive_failures": 2, "last_run_at": NOW},
            {"name": "never", "enabled": True, "consecutive_failures": 0, "last_run_at": None},
        ])  # fmt: skip
        conn.execute(insert(source_runs), [
            _run("ran", 1, NOW - timedelta(days=3)), _run("ran", 2, NOW - timedelta(hours=2)),
            _run("ran", 3, NOW), _run("other", 4, NOW - timedelta(hours=1)),
        ])  # fmt: skip
    with engine.connect() as conn:
        health = source_checks.health_by_name(conn)
        assert set(health) == {"ran", "never"} and health["ran"]["consecutive_failures"] == 2
        first = source_checks.first_run_started(conn)
        assert set(first) == {"ran", "other"}
        assert first["ran"].replace(tzinfo=UTC) == NOW - timedelta(days=3)
        recent = source_checks.runs_since(conn, NOW - timedelta(hours=2))
        assert {name: sorted(r["run_id"] for r in runs) for name, runs in recent.items()} == {
            "ran": ["r2", "r3"], "other": ["r4"]
        }  # fmt: skip
        last = source_checks.last_run_times(conn)
    assert last == {"ran": NOW} and last["ran"].tzinfo is not None


def test_fetch_rows_before_the_cutoff_go(engine: Engine) -> None:
    with engine.begin() as conn:
        for when in (NOW - timedelta(days=31), NOW - timedelta(days=29), NOW):
            conn.execute(
                insert(fetches).values(url="http://127.0.0.1/x", requested_at=when, bytes=0, elapsed_ms=0)
            )
        assert source_checks.delete_fetches_before(conn, NOW - timedelta(days=30)) == 1
        assert source_checks.delete_fetches_before(conn, NOW - timedelta(days=30)) == 0
        assert conn.execute(select(func.count()).select_from(fetches)).scalar_one() == 2
