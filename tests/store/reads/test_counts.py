"""Counts on both databases: the UI header's recent window and ``newswatch stats``' totals."""

from __future__ import annotations

from datetime import timedelta

import ui_seed
from newswatch.store.reads import counts
from sqlalchemy import Engine, insert


def test_recent_counts_cover_the_window_only(engine: Engine) -> None:
    ids = ui_seed.seed(engine)
    old = ids["now"] - timedelta(days=4)
    with engine.begin() as conn:
        story = conn.execute(
            insert(ui_seed.stories).values(
                headline="Old", first_seen_at=old, last_seen_at=old, article_count=1
            )
        ).inserted_primary_key[0]
        version = {"headline": "Old news", "body": "text", "fetched_at": old}
        ui_seed._article(conn, url="https://old.example/a", outlet="old.example", source="s", story_id=story,
                         seen=old, versions=[version])  # fmt: skip
    day = counts.recent_counts(engine, ids["now"] - timedelta(hours=24))
    assert day == {"articles": 2, "stories": 1, "failing_sources": 1}  # sport (3 days) and old are out
    week = counts.recent_counts(engine, ids["now"] - timedelta(days=7))
    assert (week["articles"], week["stories"]) == (4, 2)  # the story-less sport article adds no story


def test_stats_count_tables_and_the_fetch_range(engine: Engine) -> None:
    ids = ui_seed.seed(engine)
    stats = counts.stats(engine)
    assert (stats["articles"], stats["versions"], stats["stories"], stats["sources"]) == (3, 4, 1, 3)
    assert stats["stories_with_several_articles"] == 1 and stats["failing_sources"] == 1
    assert stats["first_fetch"] == ids["now"] - timedelta(days=3)
    assert stats["last_fetch"] == ids["now"] - timedelta(hours=1)


def test_stats_of_an_empty_database(engine: Engine) -> None:
    stats = counts.stats(engine)
    assert stats["articles"] == 0 and stats["first_fetch"] is None and stats["last_fetch"] is None


def test_cycle_report_counts_only_what_happened_since(engine: Engine) -> None:
    from datetime import UTC, datetime, timedelta

    from newswatch.settings import load_settings
    from newswatch.store.health import record_source_run
    from newswatch.store.reads.counts import cycle_report

    t0 = datetime(2026, 12, 1, 8, tzinfo=UTC)
    settings = load_settings(environ={})
    record_source_run(engine, settings, "old", "r0", {"ok": True, "started_at": t0 - timedelta(hours=1)})
    record_source_run(engine, settings, "now", "r1", {"ok": True, "started_at": t0, "revisited": 3, "new": 1})
    report = cycle_report(engine, t0)
    assert [(r["source_name"], r["revisited"]) for r in report["runs"]] == [("now", 3)]
    assert report["requests"] == 0 and report["sent"] == []
