"""The revisit plan: watched first, most overdue next, capped, never what the cycle fetches anyway."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newswatch.revisit.plan import due_order, pick_revisits

T0 = datetime(2026, 12, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Due:
    url: str
    watched: bool
    next_check_at: datetime


def test_order_and_cap() -> None:
    due = sorted(
        [
            Due("a", False, T0),
            Due("b", True, T0 + timedelta(hours=1)),
            Due("c", False, T0 - timedelta(hours=1)),
        ],
        key=due_order,
    )
    assert [d.url for d in due] == ["b", "c", "a"]
    assert [d.url for d in pick_revisits(due, taken={"c"}, cap=2)] == ["b", "a"]
    assert pick_revisits(due, taken=set(), cap=0) == []
