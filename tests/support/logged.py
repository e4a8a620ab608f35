"""Errors a stage logged instead of raising: what tests check to tell handled input from a hidden crash."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def logged_errors(call: Callable[[], T], logger: str = "newswatch") -> tuple[T, list[str]]:
    """Run ``call``; return its result and the ERROR records ``logger`` emitted meanwhile.

    A stage that catches everything and logs it (the extractor's last-resort guard) hides its
    crashes from ``pytest.raises``; this makes them visible again.
    """
    handler = _Collect()
    target = logging.getLogger(logger)
    target.addHandler(handler)
    try:
        result = call()
    finally:
        target.removeHandler(handler)
    formatter = logging.Formatter()
    return result, [
        r.getMessage() + ("\n" + formatter.formatException(r.exc_info) if r.exc_info else "")
        for r in handler.records
    ]
