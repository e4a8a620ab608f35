"""Search latency: median and p95 of typical analyst queries on 1,000,000 articles in PostgreSQL.

Usage: .venv/bin/python benchmarks/search.py [--existing 1000000] [--baseline 20000] [--runs 25]

Runs each query through ``newswatch.store.reads.hits.search`` (the full-text step of ``newswatch
search``: tsquery over the language configurations, GIN index, window and source filters, newest
first, snippet)
on a database of ``--existing`` filler articles and, as the baseline in the same run, on one of
``--baseline`` articles built the same way (benchmarks/scale_fill.py). Filler topic rates: "kim
jong un ... drones" 1 in 400 articles, drones 1 in 100, missile 1 in 50, election 1 in 33,
football 1 in 20; articles span the 365 days before the corpus end.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from typing import Any

from ingest_common import START, median, percentile
from newswatch.store.engine import make_engine
from newswatch.store.fulltext import parse_query
from newswatch.store.reads.hits import search
from newswatch.store.reads.window import Window
from scale_fill import ensure_filled
from sqlalchemy import Engine

DEFAULT_LIMIT = 20  # the search_default_limit setting's default
QUERIES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("drones", {"since": START - timedelta(days=7)}),
    ('"kim jong un" drones', {"since": START - timedelta(days=30)}),
    ("missile OR rocket -football", {"since": START - timedelta(days=30)}),
    ("election", {"source": "filler7", "since": START - timedelta(days=365)}),
    ("drone*", {"limit": 50}),
    ("election drones", {}),
)


def measure(engine: Engine, query: str, kwargs: dict[str, Any], runs: int) -> tuple[list[float], int]:
    parsed = parse_query(query)
    window = Window(since=kwargs.get("since"), source=kwargs.get("source"))
    limit = kwargs.get("limit", DEFAULT_LIMIT)
    hits = len(search(engine, parsed, window, limit=limit))  # warm the cache once, as a server would be
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        search(engine, parsed, window, limit=limit)
        times.append(time.perf_counter() - start)
    return times, hits


def describe(kwargs: dict[str, Any]) -> str:
    parts = []
    if "since" in kwargs:
        parts.append(f"last {(START - kwargs['since']).days}d")
    if "source" in kwargs:
        parts.append(f"source={kwargs['source']}")
    parts.append(f"limit={kwargs.get('limit', DEFAULT_LIMIT)}")
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--existing", type=int, default=1_000_000)
    parser.add_argument("--baseline", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args(argv)
    big = make_engine(ensure_filled(args.existing))
    small = make_engine(ensure_filled(args.baseline))
    print(
        f"PostgreSQL search latency, {args.runs} runs per query (ms); baseline = {args.baseline:,} articles"
    )
    print(f"{'query':<28} {'filters':<36} {'hits':>4} {'median':>7} {'p95':>7} {'base med':>8} {'x base':>7}")
    all_big: list[float] = []
    try:
        for query, kwargs in QUERIES:
            big_times, hits = measure(big, query, kwargs, args.runs)
            small_times, _ = measure(small, query, kwargs, args.runs)
            all_big += big_times
            print(
                f"{query:<28} {describe(kwargs):<36} {hits:>4} {median(big_times) * 1000:>7.1f} "
                f"{percentile(big_times, 0.95) * 1000:>7.1f} {median(small_times) * 1000:>8.1f} "
                f"{median(big_times) / median(small_times):>7.1f}"
            )
    finally:
        big.dispose()
        small.dispose()
    print(
        f"all queries on {args.existing:,} articles: median {median(all_big) * 1000:.1f} ms, "
        f"p95 {percentile(all_big, 0.95) * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
