"""Scale: ingesting 1,000 new articles into a database already holding 1,000,000 vs into an empty one.

Usage: .venv/bin/python benchmarks/scale.py [--existing 1000000] [--articles 1000] [--rounds 3]

PostgreSQL only (the production database). The big database is built once with bulk SQL
(benchmarks/scale_fill.py) and kept as ``newswatch_bench_<N>``. Each round stores the same kind of
batch (fresh URLs, 30 % wire copies, so identity, aliases, LSH story assignment and versioning all
run) through ``pipeline.identify_and_store`` into a fresh empty database and into the big one,
alternating so that machine noise hits both; the ratio of the medians is the figure.
Target (issue 5): ratio <= 1.3.
"""

from __future__ import annotations

import argparse
import sys
import time

from ingest_common import Corpus, Item, median, temp_database, timed
from newswatch.pipeline import identify_and_store
from newswatch.settings import Settings, load_settings
from newswatch.store.articles import ArticleStore
from newswatch.store.engine import make_engine
from newswatch.store.schema import articles
from scale_fill import ensure_filled
from sqlalchemy import Engine, func, select

TARGET = 1.3


def store_batch(engine: Engine, items: list[Item], settings: Settings) -> float:
    store = ArticleStore(engine, settings=settings)

    def work() -> None:
        for item in items:
            identify_and_store(
                store,
                item.article,
                url=item.url,
                final_url=None,
                source_name=item.source,
                fetched_at=item.fetched_at,
                page_id=None,
                settings=settings,
            )

    return timed(work)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--existing", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    settings = load_settings()  # built once, as at every entry point
    big_url = ensure_filled(args.existing)
    big = make_engine(big_url)
    empty_times, big_times = [], []
    try:
        for round_no in range(args.rounds):
            items = Corpus(seed=100 + round_no).items(args.articles, prefix=f"r{round_no}-{time.time_ns()}-")
            with temp_database("postgresql") as (_, empty):
                empty_times.append(store_batch(empty, items, settings))
            big_times.append(store_batch(big, items, settings))
            with big.connect() as conn:
                held = conn.execute(select(func.count()).select_from(articles)).scalar_one()
            print(
                f"round {round_no + 1}: empty {empty_times[-1]:.2f}s  big {big_times[-1]:.2f}s "
                f"(big database now holds {held:,} articles)",
                flush=True,
            )
    finally:
        big.dispose()
    ratio = median(big_times) / median(empty_times)
    print(f"\nPostgreSQL, {args.articles} new articles per batch, median of {args.rounds} rounds:")
    empty_rate = args.articles / median(empty_times)
    print(f"  into an empty database:            {median(empty_times):7.2f}s ({empty_rate:.0f}/s)")
    print(
        f"  into one holding {args.existing:>9,} articles: {median(big_times):7.2f}s "
        f"({args.articles / median(big_times):.0f}/s)"
    )
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(f"  ratio big/empty: {ratio:.2f}x  ({verdict} the <= {TARGET}x target)")
    print(f"  total benchmark time {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
