"""The planner maps one task per due source, shards many sources, and honours poll_interval."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from newswatch.airflow.tasks import plan_shards, shard_size
from newswatch.settings import load_settings
from newswatch.store.engine import make_engine
from seed import Seeder

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _sources_file(path: Path, count: int, poll: str = "15m") -> Path:
    entries = "".join(
        f"  - name: s{i:03d}\n    poll_interval: {poll}\n    feed: http://127.0.0.1:1/{i}.xml\n"
        for i in range(count)
    )
    path.write_text("sources:\n" + entries + "  - name: off\n    enabled: false\n    feed: http://127.0.0.1:1/x\n")
    return path


def test_shard_size_is_one_per_source_up_to_the_limit_then_even() -> None:
    assert shard_size(25, 25) == 1
    assert shard_size(26, 25) == 13  # two even shards, not 25 + 1
    assert shard_size(1000, 25) == 25


def test_sources_not_due_are_not_planned(tmp_path: Path, db_url: str) -> None:
    settings = load_settings(environ={
        "NEWSWATCH_SOURCES_FILE": str(_sources_file(tmp_path / "sources.yaml", 3)),
        "NEWSWATCH_DATABASE_URL": db_url,
    })
    assert [s["sources"] for s in plan_shards(settings, NOW)] == [["s000"], ["s001"], ["s002"]]
    engine = make_engine(db_url)
    try:
        repo = Seeder(engine)  # runs recorded through the real store code
        repo.record_source_run("s000", "r1", {"ok": True, "started_at": NOW - timedelta(minutes=5),
                                              "finished_at": NOW - timedelta(minutes=5)})
        repo.record_source_run("s001", "r1", {"ok": True, "started_at": NOW - timedelta(minutes=30),
                                              "finished_at": NOW - timedelta(minutes=30)})
    finally:
        engine.dispose()
    assert [s["sources"] for s in plan_shards(settings, NOW)] == [["s001"], ["s002"]]


def test_many_sources_are_grouped_into_labelled_shards(tmp_path: Path, db_url: str) -> None:
    settings = load_settings(environ={
        "NEWSWATCH_SOURCES_FILE": str(_sources_file(tmp_path / "sources.yaml", 60)),
        "NEWSWATCH_DATABASE_URL": db_url,
        "NEWSWATCH_SOURCES_PER_SHARD": "25",
    })
    shards = plan_shards(settings, NOW)
    assert [len(s["sources"]) for s in shards] == [20, 20, 20]
    assert sorted(n for s in shards for n in s["sources"]) == [f"s{i:03d}" for i in range(60)]
    assert shards[0]["label"] == "s000 … s019 (20)"
