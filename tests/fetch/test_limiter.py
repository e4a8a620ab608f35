"""The per-domain limiter: politeness that holds across threads, limiter instances (processes) and
databases, over either lease store."""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from newswatch.fetch import Fetcher
from newswatch.fetch.leases import InProcessLeases
from newswatch.fetch.limiter import DomainLimiter
from newswatch.store.engine import make_engine
from newswatch.store.fetch_log import fetch_rows, record_fetch
from newswatch.store.leases import DatabaseLeases


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


# Claimed instants are floats on a 1 µs grid; their differences may be off by one float ulp.
FLOAT_SLACK = 1e-6


def _min_gap_us(starts: list[datetime]) -> int:
    """The smallest gap between logged request starts, in exact microseconds."""
    starts = sorted(starts)
    return min((b - a) // timedelta(microseconds=1) for a, b in itertools.pairwise(starts))


def _min_gap(starts: list[float]) -> float:
    return min(b - a for a, b in itertools.pairwise(starts))


def test_in_process_limiter_spaces_concurrent_threads(settings) -> None:
    starts = _starts_with(DomainLimiter(settings, InProcessLeases()), "example.test", 0.05, 8, 8)
    assert _min_gap(starts) >= 0.05 - FLOAT_SLACK


def test_database_limiter_spaces_requests_across_limiters(db_url: str, settings) -> None:
    engines = [make_engine(db_url) for _ in range(2)]
    limiters = [DomainLimiter(settings, DatabaseLeases(engine)) for engine in engines]
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
    assert _min_gap(sorted(starts)) >= 0.1 - FLOAT_SLACK


def test_defer_pushes_the_next_slot(db_url: str, settings) -> None:
    engine = make_engine(db_url)
    leases = DatabaseLeases(engine)
    before = time.time()
    DomainLimiter(settings, leases).defer("busy.test", 5.0)
    claim = leases.try_claim("busy.test", time.time(), 0.1)
    assert not claim.claimed and claim.at >= before + 5.0
    engine.dispose()


def test_fetch_log_interval_holds_for_concurrent_fetches(db_url: str, base: str, make_settings) -> None:
    """Many threads fetching one domain: the fetch log shows starts at least the interval apart."""
    engine = make_engine(db_url)
    settings = make_settings(per_domain_delay="0.05")
    with Fetcher(settings, leases=DatabaseLeases(engine)) as fetcher:
        with ThreadPoolExecutor(6) as pool:
            results = list(pool.map(lambda n: fetcher.fetch(f"{base}/page/pol{n}"), range(12)))
    for result in results:
        assert result.ok
        record_fetch(engine, result, source_name="s", run_id="polite")
    rows = fetch_rows(engine, run_id="polite")
    engine.dispose()
    starts = [row["requested_at"] for row in rows]
    assert len(starts) == sum(r.requests for r in results)
    assert _min_gap_us(starts) >= 50_000  # type: ignore[arg-type]


def _overlap(spans: list[tuple[float, float]]) -> int:
    """The largest number of spans open at one instant."""
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    open_now = peak = 0
    for _, step in events:
        open_now += step
        peak = max(peak, open_now)
    return peak


@pytest.mark.parametrize("limit", [1, 2])
def test_concurrency_cap_holds_across_limiters(db_url: str, make_settings, limit: int) -> None:
    """Separate engines and limiters (as separate processes have), no interval: at most ``limit``
    requests of one domain are in flight at any instant."""
    settings = make_settings(per_domain_concurrency=str(limit), lease_poll_interval="0.01")
    engines = [make_engine(db_url) for _ in range(4)]
    limiters = [DomainLimiter(settings, DatabaseLeases(engine)) for engine in engines]
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        with limiters[i % 4].slot("cap.test", 0.0):
            start = time.monotonic()
            time.sleep(0.05)
            end = time.monotonic()
        with lock:
            spans.append((start, end))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(16)))
    for engine in engines:
        engine.dispose()
    assert len(spans) == 16
    assert _overlap(spans) == limit


WORKER = """
import sys
from newswatch.fetch import Fetcher
from newswatch.store.leases import DatabaseLeases
from newswatch.settings import load_settings
from newswatch.store.engine import make_engine
from newswatch.store.fetch_log import record_fetch
db_url, base, tag = sys.argv[1:4]
env = {"NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.0/8", "NEWSWATCH_PER_DOMAIN_DELAY": "0.1"}
settings = load_settings(environ=env)
engine = make_engine(db_url)
with Fetcher(settings, leases=DatabaseLeases(engine)) as fetcher:
    for n in range(4):
        result = fetcher.fetch(f"{base}/page/{tag}{n}")
        assert result.ok, result
        record_fetch(engine, result, source_name=tag, run_id="processes")
engine.dispose()
"""


def test_interval_holds_across_real_processes(db_url: str, base: str) -> None:
    """Three worker processes fetch one domain at once; the fetch log shows every request start
    at least the interval after the previous one, whichever process made it."""
    import subprocess
    import sys

    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, db_url, base, f"proc{n}-"], stderr=subprocess.PIPE)
        for n in range(3)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()[-2000:]
    engine = make_engine(db_url)
    rows = fetch_rows(engine, run_id="processes")
    engine.dispose()
    assert {row["source_name"] for row in rows} == {"proc0-", "proc1-", "proc2-"}
    starts = [row["requested_at"] for row in rows]
    assert len(starts) >= 12
    assert _min_gap_us(starts) >= 100_000  # type: ignore[arg-type]


def test_concurrency_cap_holds_for_limiters_sharing_in_process_leases(make_settings) -> None:
    """Two limiters over one in-memory store (two fetchers in one process): the cap holds across
    both, although each has its own semaphore."""
    settings = make_settings(per_domain_concurrency="1", lease_poll_interval="0.01")
    leases = InProcessLeases()
    limiters = [DomainLimiter(settings, leases) for _ in range(2)]
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        with limiters[i % 2].slot("cap.test", 0.0):
            start = time.monotonic()
            time.sleep(0.03)
            end = time.monotonic()
        with lock:
            spans.append((start, end))

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, range(8)))
    assert len(spans) == 8
    assert _overlap(spans) == 1


def test_in_process_defer_pushes_the_next_slot(settings) -> None:
    leases = InProcessLeases()
    before = time.time()
    DomainLimiter(settings, leases).defer("busy.test", 5.0)
    claim = leases.try_claim("busy.test", time.time(), 0.1)
    assert not claim.claimed and claim.at >= before + 5.0


def _one_slot_starts(limiter: DomainLimiter) -> bool:
    """Whether a slot on a fresh domain is granted within seconds (a refusing store polls forever)."""
    started = threading.Event()

    def one() -> None:
        with limiter.slot("zero.test", 0.0):
            started.set()

    threading.Thread(target=one, daemon=True).start()
    return started.wait(timeout=5)


def test_a_concurrency_of_zero_is_one_in_process(make_settings) -> None:
    """NEWSWATCH_PER_DOMAIN_CONCURRENCY=0 is read as 1, by the semaphore and the lease store alike."""
    settings = make_settings(per_domain_concurrency="0", lease_poll_interval="0.01")
    assert _one_slot_starts(DomainLimiter(settings, InProcessLeases()))


def test_a_concurrency_of_zero_is_one_across_processes(db_url: str, make_settings) -> None:
    settings = make_settings(per_domain_concurrency="0", lease_poll_interval="0.01")
    engine = make_engine(db_url)
    assert _one_slot_starts(DomainLimiter(settings, DatabaseLeases(engine)))
    engine.dispose()
