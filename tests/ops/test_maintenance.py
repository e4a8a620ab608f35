"""Source health checks and retention, on both databases, through the real store code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newswatch.maintenance import apply_retention, source_problems
from newswatch.settings import load_settings
from newswatch.sources.config import DiscoveryMethod, Source
from newswatch.store.health import record_source_run
from newswatch.store.schema import fetches, pages
from seed import archive_page
from sqlalchemy import Engine, func, select

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _source(name: str) -> Source:
    feed = DiscoveryMethod("feed", f"http://127.0.0.1:1/{name}.xml")
    return Source(name=name, methods=(feed,), poll_interval=900)


SETTINGS = load_settings(environ={})


def _run(engine: Engine, name: str, run: int, started: datetime, **counts: object) -> None:
    summary = {"ok": True, "started_at": started, "finished_at": started + timedelta(seconds=5), **counts}
    record_source_run(engine, SETTINGS, name, f"run-{run}", summary)


def test_stale_failing_and_degraded_sources_are_reported(engine: Engine) -> None:
    settings = load_settings(environ={})
    for i in range(3):  # healthy: yields every run
        _run(engine, "healthy", i, NOW - timedelta(hours=3 - i), fetched=4, new=2)
    _run(engine, "quiet", 0, NOW - timedelta(days=3), fetched=5, new=5)  # then nothing
    for i in range(1, 4):
        _run(engine, "quiet", i, NOW - timedelta(hours=i), fetched=0, new=0)
    _run(engine, "broken", 0, NOW - timedelta(hours=5), fetched=3, new=3)
    for i in range(1, 4):
        _run(engine, "broken", i, NOW - timedelta(hours=4 - i), ok=False, error_kind="timeout",
             error_message="connect timed out")
    _run(engine, "redesigned", 0, NOW - timedelta(hours=1), fetched=10, new=10,
         extraction_gaps={"headline": 8, "published_at": 2})

    problems = source_problems(engine, [_source(n) for n in ("healthy", "quiet", "broken", "redesigned")],
                               settings, NOW)
    found = {(p.source, p.kind) for p in problems}
    assert found == {("quiet", "stale"), ("broken", "failing"), ("redesigned", "extraction")}
    failing = next(p for p in problems if p.kind == "failing")
    assert "timeout" in failing.message and "3 failed runs" in failing.message
    assert len({p.key(NOW) for p in problems}) == len(problems)


def test_disabled_sources_are_not_judged(engine: Engine) -> None:
    _run(engine, "paused", 0, NOW - timedelta(days=10), fetched=1, new=1)
    paused = Source(name="paused", methods=_source("paused").methods, enabled=False)
    assert source_problems(engine, [paused], load_settings(environ={}), NOW) == []


def test_retention_drops_old_bodies_and_fetch_rows_only(engine: Engine) -> None:
    settings = load_settings(environ={})
    old = NOW - timedelta(days=settings.raw_page_retention_days + 1)
    for when, html in ((old, "<p>old</p>"), (NOW, "<p>new</p>")):
        archive_page(engine, url=f"http://127.0.0.1/{html}", html=html, fetched_at=when, source_name="s",
                     settings=settings)
    with engine.begin() as conn:
        for when in (NOW - timedelta(days=settings.fetch_log_retention_days + 1), NOW):
            conn.execute(fetches.insert().values(url="http://127.0.0.1/x", requested_at=when, bytes=0,
                                                 elapsed_ms=0))

    assert apply_retention(engine, settings, NOW) == {"pages_expired": 1, "fetch_rows_removed": 1}
    with engine.connect() as conn:
        kept = conn.execute(select(func.count()).where(pages.c.content_gz.is_not(None))).scalar_one()
        rows = conn.execute(select(func.count()).select_from(fetches)).scalar_one()
    assert (kept, rows) == (1, 1)
    assert apply_retention(engine, settings, NOW) == {"pages_expired": 0, "fetch_rows_removed": 0}
