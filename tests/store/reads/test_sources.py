"""Source reads on both databases: every source with only its newest runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import ui_seed
from newswatch.store.reads import sources
from sqlalchemy import Engine, insert


def test_sources_by_name_with_their_newest_runs(engine: Engine) -> None:
    ui_seed.seed(engine)
    listed = sources.sources_with_runs(engine, runs_per_source=2)
    assert [s["name"] for s in listed] == ["broken-gazette", "good-wire", "sleepy-times"]
    broken = listed[0]
    assert [r["run_id"] for r in broken["runs"]] == ["r0", "r1"]  # newest first, two of three
    assert broken["runs"][0]["started_at"].tzinfo is not None and broken["last_error_kind"] == "http_503"


def test_many_sources_span_several_compound_queries(engine: Engine) -> None:
    now = datetime.now(UTC)
    names = [f"source-{i:03d}" for i in range(230)]  # legs in three compound SELECTs
    with engine.begin() as conn:
        conn.execute(
            insert(ui_seed.sources), [{"name": n, "enabled": True, "consecutive_failures": 0} for n in names]
        )
        for name in names:
            for r in range(3):
                ui_seed._run(conn, name, f"r{r}", now - timedelta(minutes=15 * r), True, new=r)
    listed = sources.sources_with_runs(engine, runs_per_source=2)
    assert [s["name"] for s in listed] == names
    assert all([r["run_id"] for r in s["runs"]] == ["r0", "r1"] for s in listed)
