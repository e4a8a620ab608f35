"""Shared fuzzing budget and tally for the property tests in this folder.

Every test takes its Hypothesis settings from :func:`budget`: a bounded number of inputs
(``NEWSWATCH_FUZZ_EXAMPLES``, default 300 per test), a per-input deadline (an input that takes
longer is a finding: the stage must stay bounded on hostile input) and no example database on
disk, so nothing Hypothesis finds lands in git by accident — findings are kept as ``@example``.
:func:`tried` counts inputs and time per target; ``conftest.py`` prints the totals.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from hypothesis import HealthCheck, settings

T = TypeVar("T")

INPUTS: Counter[str] = Counter()
SECONDS: Counter[str] = Counter()

# Generous next to the milliseconds a normal input takes, tight next to a hang or a blow-up.
DEADLINE = timedelta(seconds=float(os.environ.get("NEWSWATCH_FUZZ_DEADLINE", "3")))


def examples(default: int = 300) -> int:
    return int(os.environ.get("NEWSWATCH_FUZZ_EXAMPLES", default))


def budget(default: int = 300) -> settings:
    """Hypothesis settings for one fuzz target."""
    return settings(
        max_examples=examples(default),
        deadline=DEADLINE,
        database=None,
        derandomize=os.environ.get("NEWSWATCH_FUZZ_RANDOM") != "1",
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def tried(target: str, call: Callable[[], T]) -> T:
    """Run one input against ``target``, counting it and its time for the summary."""
    started = time.perf_counter()
    try:
        return call()
    finally:
        INPUTS[target] += 1
        SECONDS[target] += time.perf_counter() - started


