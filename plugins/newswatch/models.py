"""Plain dataclasses passed between the pipeline stages.

Every stage takes and returns these (or small summaries), so each stage can be tested and run
without Airflow, and XCom only ever carries ids and counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

DateSource = Literal["json-ld", "meta", "time", "microdata", "text", "url", "feed", "sitemap", "override"]


@dataclass(frozen=True)
class Hints:
    """Metadata a feed or sitemap gave about a URL, passed forward to extraction."""

    title: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    language: str | None = None
    guid: str | None = None
    # "feed" or "sitemap": becomes the provenance of a date taken from here.
    origin: Literal["feed", "sitemap"] | None = None


@dataclass(frozen=True)
class DiscoveredUrl:
    """An article URL found by discovery, with what the listing said about it."""

    url: str
    source: str
    hints: Hints = field(default_factory=Hints)


@dataclass
class Article:
    """What the extractor read from one page."""

    headline: str | None = None
    published_at: datetime | None = None
    published_source: DateSource | None = None
    updated_at: datetime | None = None
    updated_source: DateSource | None = None
    body: str = ""
    authors: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    language: str | None = None
    url: str | None = None


# The counters every ingest summary, source run row and cycle total carries, in display order.
RUN_COUNTERS: tuple[str, ...] = (
    "discovered",
    "fetched",
    "not_modified",
    "new",
    "updated",
    "unchanged",
    "failed",
    # Revisits of known articles (a changed one also counts as updated).
    "revisited",
    "revisit_not_modified",
    "revisit_changed",
)
