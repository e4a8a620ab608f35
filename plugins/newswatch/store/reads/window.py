"""Which versions a search looks at: a fetch-time range, one configured source, all or current."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Window:
    """Filters on the versions searched; the defaults search every article's current version."""

    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None
    all_versions: bool = False


CURRENT = Window()  # every article's current version, whenever it was fetched
