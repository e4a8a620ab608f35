"""Polite concurrency: 1,000 pages over 20 domains, 50 ms server latency, against one-by-one.

Usage: .venv/bin/python benchmarks/fetch_concurrency.py [--pages 1000] [--domains 20]
       [--latency-ms 50] [--interval 0.05] [--threads 24] [--db sqlite|postgresql]

The fixture server (tests/support/hostile_server.py) listens on 127.0.0.1 … 127.0.0.N, one
address per "domain" (the fetcher keys politeness on the host, and distinct loopback addresses
need no resolver tricks), and sleeps ``--latency-ms`` before every response.

- baseline: one Fetcher, the pages one after another (each domain's robots.txt included);
- polite: the same pages from a thread pool through a fresh Fetcher whose limiter is the
  database-backed one (``domain_slots``), interval ``--interval`` per domain, one request per
  domain at a time; every fetch is written to the fetch log.
Then, from the fetch log alone, the smallest gap between two request starts of one domain is
checked against the interval. Prints the speed-up; exits 1 if it is below 10× or any gap is short.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))

from hostile_server import start_server  # noqa: E402
from newswatch.fetch import Fetcher, FetchResult  # noqa: E402
from newswatch.settings import load_settings  # noqa: E402
from newswatch.store.engine import make_engine  # noqa: E402
from newswatch.store.fetch_log import fetch_rows, record_fetch  # noqa: E402
from newswatch.store.leases import DatabaseLeases  # noqa: E402
from newswatch.store.migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

TARGET_SPEEDUP = 10.0
PG_ADMIN_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"


def page_urls(bases: list[str], pages: int, tag: str) -> list[str]:
    """Pages spread round-robin over the domains (the order a mixed work queue would have)."""
    return [f"{bases[i % len(bases)]}/page/{tag}{i}" for i in range(pages)]


def sequential(settings, urls: list[str]) -> tuple[float, list[FetchResult]]:
    with Fetcher(settings) as fetcher:
        start = time.perf_counter()
        results = [fetcher.fetch(url) for url in urls]
        return time.perf_counter() - start, results


def polite(settings, engine, urls: list[str], threads: int) -> tuple[float, list[FetchResult]]:
    with Fetcher(settings, leases=DatabaseLeases(engine)) as fetcher:
        start = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(fetcher.fetch, urls))
        return time.perf_counter() - start, results


def min_gaps_from_log(engine, run_id: str) -> dict[str, int]:
    """Per domain, the smallest gap between two logged request starts, in exact microseconds."""
    starts: dict[str, list[datetime]] = defaultdict(list)
    for row in fetch_rows(engine, run_id=run_id):
        starts[urlsplit(str(row["url"])).hostname or ""].append(row["requested_at"])
    gaps = {}
    for host, times in starts.items():
        times.sort()
        gaps[host] = min(
            ((b - a) // timedelta(microseconds=1) for a, b in itertools.pairwise(times)), default=10**12
        )
    return gaps


@contextlib.contextmanager
def database(kind: str, tmp: str) -> Iterator[str]:
    """A fresh, migrated database URL: a SQLite file, or a throw-away PostgreSQL database."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        yield url
        return
    admin_url = os.environ.get("NEWSWATCH_TEST_DATABASE_URL", PG_ADMIN_URL)
    name = f"newswatch_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--domains", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--interval", type=float, default=0.05)
    parser.add_argument("--threads", type=int, default=24)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    args = parser.parse_args()

    hosts = ",".join(f"127.0.0.{n}" for n in range(1, args.domains + 1))
    env = {
        "NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.0/8",
        "NEWSWATCH_PER_DOMAIN_DELAY": str(args.interval),
        "NEWSWATCH_PER_DOMAIN_CONCURRENCY": "1",
    }
    settings = load_settings(environ=env)
    with (
        tempfile.TemporaryDirectory() as tmp,
        start_server("--hosts", hosts, "--latency-ms", str(args.latency_ms)) as info,
        database(args.db, tmp) as url,
    ):
        bases = [str(u) for u in info["urls"]]  # type: ignore[union-attr]
        engine = make_engine(url)

        base_time, base_results = sequential(settings, page_urls(bases, args.pages, "s"))
        polite_urls = page_urls(bases, args.pages, "p")
        polite_time, polite_results = polite(settings, engine, polite_urls, args.threads)
        for result in polite_results:
            record_fetch(engine, result, source_name="bench", run_id="polite")
        gaps = min_gaps_from_log(engine, "polite")
        engine.dispose()

    failures = sum(not r.ok for r in base_results + polite_results)
    speedup = base_time / polite_time
    worst_host, worst_gap = min(gaps.items(), key=lambda kv: kv[1])
    print(
        f"pages={args.pages} domains={args.domains} latency={args.latency_ms:.0f}ms "
        f"interval={args.interval}s threads={args.threads} db={engine.dialect.name}"
    )
    print(f"baseline one-by-one : {base_time:7.2f} s  ({args.pages / base_time:6.1f} pages/s)")
    print(f"polite concurrent   : {polite_time:7.2f} s  ({args.pages / polite_time:6.1f} pages/s)")
    print(f"speed-up            : {speedup:7.1f}x  (target >= {TARGET_SPEEDUP:.0f}x)")
    print(
        f"log rows checked    : {sum(1 for _ in gaps)} domains; smallest same-domain gap "
        f"{worst_gap / 1000:.3f} ms on {worst_host} (interval {args.interval * 1000:.0f} ms)"
    )
    print(f"failed fetches      : {failures}")
    ok = speedup >= TARGET_SPEEDUP and worst_gap >= round(args.interval * 1_000_000) and failures == 0
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
