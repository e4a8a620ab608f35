"""Which due revisits a source's cycle makes: after the new URLs, watched first, most overdue next.

The store returns due URLs already in :func:`due_order` (the same order in SQL, so the database
reads only what the cap lets through); this module applies the cap and leaves out URLs the cycle
fetches anyway because their listing announced them. What is left waits for the next cycle, when
it is more overdue than anything that became due since, so nothing starves.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol, TypeVar


class Due(Protocol):
    url: str
    watched: bool
    next_check_at: datetime


D = TypeVar("D", bound=Due)


def due_order(due: Due) -> tuple[bool, datetime, str]:
    """Watched articles first, then the most overdue, then by URL (a stable order)."""
    return (not due.watched, due.next_check_at, due.url)


def pick_revisits(due: Sequence[D], *, taken: Collection[str], cap: int) -> list[D]:
    """At most ``cap`` of the due revisits, in the order given, skipping URLs already fetched."""
    return [d for d in due if d.url not in taken][: max(cap, 0)]
