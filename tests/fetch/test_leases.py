"""The in-process lease store: the same claim semantics as the database one (tests/store)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from newswatch.fetch.leases import InProcessLeases


def test_one_instant_is_claimed_once_among_threads() -> None:
    leases = InProcessLeases()
    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(lambda _: leases.try_claim("d.test", 1000.0, 0.5), range(20)))
    assert [c.claimed for c in outcomes].count(True) == 1
    assert {c.at for c in outcomes if not c.claimed} == {1000.5}


def test_claims_are_per_domain() -> None:
    leases = InProcessLeases()
    assert leases.try_claim("a.test", 1000.0, 5.0).claimed
    assert leases.try_claim("b.test", 1000.0, 5.0).claimed
    assert not leases.try_claim("a.test", 1004.0, 5.0).claimed
    assert leases.try_claim("a.test", 1005.0, 5.0).claimed


def test_lease_of_a_dead_thread_expires() -> None:
    leases = InProcessLeases()
    first = leases.try_claim("dead.test", 1000.0, 0.0, concurrency=1, lease_seconds=30.0, poll=0.5)
    assert first.claimed and first.lease_id  # ... and never released
    blocked = leases.try_claim("dead.test", 1010.0, 0.0, concurrency=1, lease_seconds=30.0, poll=0.5)
    assert (blocked.claimed, blocked.at) == (False, 1010.5)
    assert leases.try_claim("dead.test", 1031.0, 0.0, concurrency=1, lease_seconds=30.0).claimed


def test_released_lease_frees_the_domain() -> None:
    leases = InProcessLeases()
    first = leases.try_claim("r.test", 1000.0, 0.0, concurrency=1, lease_seconds=30.0)
    assert not leases.try_claim("r.test", 1001.0, 0.0, concurrency=1, lease_seconds=30.0).claimed
    assert first.lease_id is not None
    leases.release(first.lease_id)
    assert leases.try_claim("r.test", 1001.0, 0.0, concurrency=1, lease_seconds=30.0).claimed


def test_lease_refusal_gives_the_interval_slot_back() -> None:
    leases = InProcessLeases()
    leases.try_claim("slot.test", 1000.0, 5.0, concurrency=1, lease_seconds=30.0)
    refused = leases.try_claim("slot.test", 1006.0, 5.0, concurrency=1, lease_seconds=30.0, poll=1.0)
    assert not refused.claimed
    # the refused claim did not move the next start: a claim at 1006 still fits once leases free
    assert leases.try_claim("slot.test", 1006.0, 5.0).claimed


def test_defer_only_ever_pushes_later() -> None:
    leases = InProcessLeases()
    leases.defer("late.test", 2000.0)
    leases.defer("late.test", 1500.0)
    claim = leases.try_claim("late.test", 1900.0, 1.0)
    assert (claim.claimed, claim.at) == (False, 2000.0)
