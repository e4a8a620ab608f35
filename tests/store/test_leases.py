"""The database lease store: per-domain claims that hold across engines (processes), on SQLite
and PostgreSQL."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from newswatch.store.engine import make_engine
from newswatch.store.leases import DatabaseLeases


def test_claims_are_exclusive_across_engines(db_url: str) -> None:
    """Several engines (as separate processes would have) claiming one instant: exactly one wins."""
    engines = [make_engine(db_url) for _ in range(4)]
    stores = [DatabaseLeases(engine) for engine in engines]
    now = time.time()
    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(lambda i: stores[i % 4].try_claim("d.test", now, 0.5), range(20)))
    for engine in engines:
        engine.dispose()
    assert [c.claimed for c in outcomes].count(True) == 1
    assert {c.at for c in outcomes if not c.claimed} == {now + 0.5}


def test_lease_of_a_dead_worker_expires(engine) -> None:  # type: ignore[no-untyped-def]
    leases = DatabaseLeases(engine)
    first = leases.try_claim("dead.test", 1000.0, 0.0, concurrency=1, lease_seconds=30.0, poll=0.5)
    assert first.claimed and first.lease_id  # ... and never released: the worker died
    blocked = leases.try_claim("dead.test", 1010.0, 0.0, concurrency=1, lease_seconds=30.0, poll=0.5)
    assert (blocked.claimed, blocked.at) == (False, 1010.5)
    assert leases.try_claim("dead.test", 1031.0, 0.0, concurrency=1, lease_seconds=30.0).claimed


def test_released_lease_frees_the_domain_for_another_engine(db_url: str) -> None:
    engines = [make_engine(db_url) for _ in range(2)]
    one, other = (DatabaseLeases(engine) for engine in engines)
    first = one.try_claim("r.test", 1000.0, 0.0, concurrency=1, lease_seconds=30.0)
    refused = other.try_claim("r.test", 1001.0, 0.0, concurrency=1, lease_seconds=30.0)
    assert first.lease_id is not None
    one.release(first.lease_id)
    freed = other.try_claim("r.test", 1001.0, 0.0, concurrency=1, lease_seconds=30.0)
    for engine in engines:
        engine.dispose()
    assert not refused.claimed and freed.claimed


def test_lease_refusal_gives_the_interval_slot_back(engine) -> None:  # type: ignore[no-untyped-def]
    leases = DatabaseLeases(engine)
    leases.try_claim("slot.test", 1000.0, 5.0, concurrency=1, lease_seconds=30.0)
    refused = leases.try_claim("slot.test", 1006.0, 5.0, concurrency=1, lease_seconds=30.0, poll=1.0)
    assert not refused.claimed
    # the refused claim did not move next_allowed_at: a claim at 1006 still fits once leases free
    assert leases.try_claim("slot.test", 1006.0, 5.0).claimed


def test_defer_only_ever_pushes_later(engine) -> None:  # type: ignore[no-untyped-def]
    leases = DatabaseLeases(engine)
    leases.defer("late.test", 2000.0)
    leases.defer("late.test", 1500.0)
    claim = leases.try_claim("late.test", 1900.0, 1.0)
    assert (claim.claimed, claim.at) == (False, 2000.0)
