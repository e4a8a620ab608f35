"""Latency of the newswatch UI page queries at scale, as ratios to a small baseline in the same run.

Usage: .venv/bin/python benchmarks/ui_pages.py [--existing 1000000] [--baseline 20000] [--runs 7]
       [--sources 200] [--runs-per-source 2880] [--kinds postgresql,sqlite]

Part 1, articles: each page's query (``newswatch.airflow.ui.pages``, the code behind the page, without
HTTP or templates) on the PostgreSQL filler corpus of ``--existing`` articles and, as the
baseline, on one of ``--baseline`` articles (both built and reused by benchmarks/scale_fill.py,
read only here). Search runs the topic query language: full-text candidates, then the matcher.

Part 2, source health: ``--sources`` sources with ``--runs-per-source`` runs each (2,880 = 30
days of 15-minute cycles) against a baseline of 10 runs each, on each of ``--kinds``: the page
reads only the newest few runs per source, so its time should not grow with the history.

Printed: median and p95 milliseconds per query and the ratio of the medians (large / baseline).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ingest_common import START, median, percentile, temp_database
from newswatch.airflow.ui import pages
from newswatch.settings import Settings, load_settings
from newswatch.store.engine import make_engine
from newswatch.store.schema import source_runs, sources
from scale_fill import ensure_filled
from sqlalchemy import Engine, insert, select

ARTICLE_PAGES: tuple[tuple[str, Callable[[Engine, Settings], Any]], ...] = (
    ("articles: newest 50", lambda e, s: pages.recent_articles(e, s)),
    ("articles: page 20", lambda e, s: pages.recent_articles(e, s, page=20)),
    ("search: drones", lambda e, s: pages.recent_articles(e, s, "drones")),
    ("search: \"kim jong un\" NEAR/5 drone*", lambda e, s: pages.recent_articles(
        e, s, '"kim jong un" NEAR/5 drone*')),
    ("search: missile OR rocket NOT football", lambda e, s: pages.recent_articles(
        e, s, "(missile OR rocket) NOT football")),
    ("article with versions", lambda e, s: pages.article_detail(e, s, _some_article(e))),
    ("stories", lambda e, s: pages.recent_stories(e, s)),
    ("header counts", lambda e, s: pages.overview(e, s)),
    ("alerts", lambda e, s: pages.recent_alerts(e, s)),
    ("topics chart", lambda e, s: pages.topic_activity(e, s)),
)
_ARTICLE_IDS: dict[str, int] = {}


def _some_article(engine: Engine) -> int:
    key = str(engine.url)
    if key not in _ARTICLE_IDS:
        from newswatch.store.schema import articles

        with engine.connect() as conn:
            newest = select(articles.c.id).order_by(articles.c.id.desc()).limit(1)
            _ARTICLE_IDS[key] = int(conn.execute(newest).scalar_one())
    return _ARTICLE_IDS[key]


def measure(work: Callable[[], Any], runs: int) -> list[float]:
    work()  # warm caches and connections: the page is served by a long-lived process
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def report(label: str, big: list[float], small: list[float]) -> None:
    ratio = median(big) / median(small) if median(small) else float("inf")
    print(f"  {label:<42} {median(big) * 1000:9.1f} ms (p95 {percentile(big, 0.95) * 1000:8.1f})"
          f"   baseline {median(small) * 1000:8.1f} ms   ratio {ratio:6.2f}x", flush=True)


def article_pages(existing: int, baseline: int, runs: int) -> None:
    settings = load_settings()
    engines = {n: make_engine(ensure_filled(n)) for n in (existing, baseline)}
    print(f"Part 1: article pages, PostgreSQL, {existing:,} articles vs baseline {baseline:,}"
          f" (median of {runs})")
    try:
        for label, page in ARTICLE_PAGES:
            big = measure(lambda p=page: p(engines[existing], settings), runs)
            small = measure(lambda p=page: p(engines[baseline], settings), runs)
            report(label, big, small)
    finally:
        for engine in engines.values():
            engine.dispose()


def fill_runs(engine: Engine, source_count: int, per_source: int) -> None:
    """Sources and their run history, written in large batches."""
    with engine.begin() as conn:
        conn.execute(insert(sources), [
            {"name": f"source-{i:04d}", "enabled": True, "consecutive_failures": int(i % 7 == 0),
             "last_run_at": START, "last_success_at": START, "last_yield_at": START}
            for i in range(source_count)])
        batch: list[dict[str, Any]] = []
        for i in range(source_count):
            for r in range(per_source):
                batch.append({"source_name": f"source-{i:04d}", "run_id": f"run-{r}", "ok": r % 11 != 0,
                              "started_at": START - timedelta(minutes=15 * r), "discovered": 20,
                              "fetched": 20, "new": r % 3, "errors": {"timeout": 1} if r % 11 == 0 else {}})
                if len(batch) >= 20_000:
                    conn.execute(insert(source_runs), batch)
                    batch.clear()
        if batch:
            conn.execute(insert(source_runs), batch)


def source_page(kinds: list[str], source_count: int, per_source: int, runs: int) -> None:
    settings = load_settings()
    print(f"Part 2: source health, {source_count} sources x {per_source:,} runs vs x 10 (median of {runs})")
    for kind in kinds:
        with temp_database(kind) as (_, big), temp_database(kind) as (_, small):
            started = time.perf_counter()
            fill_runs(big, source_count, per_source)
            fill_runs(small, source_count, 10)
            print(f"  ({kind}: filled in {time.perf_counter() - started:.0f} s)", flush=True)
            large = measure(lambda: pages.source_health(big, settings), runs)
            report(f"{kind}: source health page", large,
                   measure(lambda: pages.source_health(small, settings), runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--existing", type=int, default=1_000_000)
    parser.add_argument("--baseline", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--runs-per-source", type=int, default=2880)
    parser.add_argument("--kinds", default="postgresql,sqlite")
    parser.add_argument("--skip-articles", action="store_true")
    args = parser.parse_args(argv)
    if not args.skip_articles:
        article_pages(args.existing, args.baseline, args.runs)
    source_page(args.kinds.split(","), args.sources, args.runs_per_source, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
