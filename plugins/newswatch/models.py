"""Plain dataclasses passed between the pipeline stages.

Every stage takes and returns these (or small summaries), so each stage can be tested and run
without Airflow, and XCom only ever carries ids and counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

DateSource = Literal[
    "json-ld", "meta", "time", "microdata", "text", "url", "script", "image", "feed", "sitemap", "override"
]


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


# What one fetch produced: written by the fetcher, read by the pipeline, the fetch log and the CLI.


@dataclass(frozen=True)
class Validators:
    """Conditional-GET validators remembered from the last successful fetch of a URL."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class Exchange:
    """One HTTP request made on the way to a result (a redirect hop, a retried 429/503)."""

    url: str
    requested_at: datetime
    status: int
    elapsed_ms: int
    error_kind: str | None = None
    note: str | None = None  # "redirect to …", "retried after 2 s"


@dataclass(frozen=True)
class FetchResult:
    """The outcome of one ``Fetcher.fetch``: either a body (``ok``), a 304, or an error kind."""

    url: str
    final_url: str
    status: int | None
    ok: bool
    not_modified: bool = False
    body: bytes = b""
    text: str | None = None
    encoding: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    elapsed_ms: int = 0
    error_kind: str | None = None
    error_message: str | None = None
    redirect_chain: list[str] = field(default_factory=list)
    robots_allowed: bool | None = None
    # Seconds the server asked us to wait (429/503), after capping.
    retry_after: float | None = None
    # Bytes received on the wire (before content decoding), for transfer accounting.
    wire_bytes: int = 0
    # robots.txt requests this fetch had to make (one per new origin), so they are logged too.
    robots_fetches: tuple[FetchResult, ...] = ()
    # Requests before the final one (redirect hops, retried 429/503), each its own log row.
    earlier: tuple[Exchange, ...] = ()
    # When the final request's politeness slot was claimed (None if no request was made).
    requested_at: datetime | None = None

    @property
    def requests(self) -> int:
        """HTTP requests this fetch made, robots.txt included."""
        own = len(self.earlier) + (1 if self.requested_at is not None else 0)
        return own + sum(r.requests for r in self.robots_fetches)

    @property
    def total_wire_bytes(self) -> int:
        """Body bytes received, robots.txt included: what this fetch cost the network."""
        return self.wire_bytes + sum(r.total_wire_bytes for r in self.robots_fetches)

    @property
    def outcome(self) -> str:
        if self.not_modified:
            return "not_modified"
        return "ok" if self.ok else "error"


@dataclass(frozen=True)
class DomainClaim:
    """The outcome of one attempt to start a request on a domain (see ``fetch.leases``)."""

    claimed: bool
    at: float  # the claimed instant, or when to ask again
    lease_id: str | None = None  # release it when the request is done


def story_key(story_id: int | None, article_id: int) -> str:
    """The key one story's copies share (alerts, digests, ``topics test``): wire copies share a
    story id; an article not yet clustered stands for itself."""
    return f"s{story_id}" if story_id is not None else f"a{article_id}"
