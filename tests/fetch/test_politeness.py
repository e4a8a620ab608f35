"""Per-domain politeness that holds across threads, limiter instances (processes) and databases."""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from newswatch.fetch import Fetcher
from newswatch.fetch.limiter import DatabaseLimiter, InProcessLimiter
from newswatch.store.engine import make_engine
from newswatch.store.fetch_log import fetch_rows, record_fetch, try_claim_domain


def _starts_with(limiter, domain: str, interval: float, n: int, threads: int) -> list[float]:
    starts: list[float] = []
    lock = threading.Lock()

    def one(_: int) -> None:
        with limiter.slot(domain, interval) as claimed_at:
            with lock:
                starts.append(claimed_at)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(n)))
    return sorted(starts)


def _min_gap(starts: list[float]) -> float:
    return min(b - a for a, b in itertools.pairwise(starts))


def test_in_process_limiter_spaces_concurrent_threads(settings) -> None:
    starts = _starts_with(InProcessLimiter(settings), "example.test", 0.05, 8, 8)
    assert _min_gap(starts) >= 0.05


def test_database_claims_are_exclusive_across_engines(db_url: str) -> None:
    """Several engines (as separate processes would have) claiming one instant: exactly one wins."""
    engines = [make_engine(db_url) for _ in range(4)]
    now = time.time()
    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(lambda i: try_claim_domain(engines[i % 4], "d.test", now, 0.5), range(20)))
    for engine in engines:
        engine.dispose()
    assert [claimed for _, claimed in outcomes].count(True) == 1
    assert {moment for moment, claimed in outcomes if not claimed} == {now + 0.5}


def test_database_limiter_spaces_requests_across_limiters(db_url: str, settings) -> None:
    engines = [make_engine(db_url) for _ in range(2)]
    limiters = [DatabaseLimiter(engine, settings) for engine in engines]
    starts: list[float] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        with limiters[i % 2].slot("shared.test", 0.1) as claimed_at:
            assert time.time() >= claimed_at
            with lock:
                starts.append(claimed_at)

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(one, range(6)))
    for engine in engines:
        engine.dispose()
    assert _min_gap(sorted(starts)) >= 0.1


def test_defer_pushes_the_next_slot(db_url: str, settings) -> None:
    engine = make_engine(db_url)
    limiter = DatabaseLimiter(engine, settings)
    before = time.time()
    limiter.defer("busy.test", 5.0)
    free_at, claimed = limiter.try_claim("busy.test", 0.1)
    assert not claimed and free_at >= before + 5.0
    engine.dispose()


def test_fetch_log_interval_holds_for_concurrent_fetches(db_url: str, base: str, make_settings) -> None:
    """Many threads fetching one domain: the fetch log shows starts at least the interval apart."""
    engine = make_engine(db_url)
    settings = make_settings(per_domain_delay="0.05")
    with Fetcher(settings, limiter=DatabaseLimiter(engine, settings)) as fetcher:
        with ThreadPoolExecutor(6) as pool:
            results = list(pool.map(lambda n: fetcher.fetch(f"{base}/page/pol{n}"), range(12)))
    for result in results:
        assert result.ok
        record_fetch(engine, result, source_name="s", run_id="polite")
    rows = fetch_rows(engine, run_id="polite")
    engine.dispose()
    starts = sorted(row["requested_at"].timestamp() for row in rows)  # type: ignore[union-attr]
    assert len(starts) == 12 + sum(1 for r in results if r.robots_fetch is not None)
    assert _min_gap(starts) >= 0.05
