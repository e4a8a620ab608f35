"""The one exception base of the product: every expected failure carries an error kind.

An error kind is a short fixed word (``timeout``, ``bad_config``, ``query_syntax``, …) that the
fetch log, source health, task logs and the CLI show and that operators filter on. Catching
:class:`NewswatchError` catches every failure the product raises on purpose; anything else is a bug.
"""

from __future__ import annotations


class NewswatchError(Exception):
    """An expected failure: ``kind`` says which, the message says why in one line."""

    kind: str = "error"

    def __init__(self, message: str = "", *, kind: str | None = None) -> None:
        super().__init__(message)
        if kind is not None:
            self.kind = kind


# Characters of the one-line reason operators see (a failed task's last log line, source health).
REASON_LIMIT = 160


def short_reason(message: str, limit: int = REASON_LIMIT) -> str:
    """The first line of a message, whitespace collapsed, cut at ``limit`` characters — what an
    operator reads at a glance (the full message stays in the log above it)."""
    lines = [" ".join(line.split()) for line in str(message).splitlines()]
    first = next((line for line in lines if line), "")
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"
