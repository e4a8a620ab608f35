"""Discovery: turn a source's feeds, sitemaps or section pages into the URLs worth fetching now.

A source's methods are tried in order until one works (feed broken → sitemap → section page).
Only new or changed URLs come out: a URL is due when the URL-state table has never recorded it
as done, or when its listing marker (entry date / ``lastmod``) differs from the one remembered.
After processing a URL, the caller stores ``listing_marker(discovered)`` with
``UrlStateStore.remember_listing`` so that the next cycle skips it. Listings themselves use
conditional GET (a 304 or an unchanged body means "nothing new" without parsing) only once a
pass has found nothing left to do (see ``BACKLOG_MARKER``), so nothing yielded is ever lost.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from newswatch.fetch import Fetcher, FetchResult
from newswatch.fetch.body import CappedDecoder
from newswatch.fetch.errors import FetchError
from newswatch.fetch.sniff import GZIP_MAGIC
from newswatch.models import DiscoveredUrl, Hints
from newswatch.sources.config import DiscoveryMethod, Source
from newswatch.sources.listings import Entry, Listing, ListingError, parse_listing
from newswatch.sources.sections import section_links
from newswatch.store.url_state import UrlStateStore

SEEN_MARKER = "seen"  # marker for URLs whose listing gives no date
# Listing-URL markers. A pass that yielded URLs leaves the listing "backlog": until a pass finds
# nothing left to do, the listing is re-read in full (no conditional GET, no same-body short cut).
# So URLs a killed or failed run never processed, and the older URLs the cap held back, come out
# again next cycle instead of hiding behind a 304 until the listing changes. One extra full read
# of each listing after a productive cycle is the price.
BACKLOG_MARKER = "backlog"
COMPLETE_MARKER = "complete"
_MAX_MARKER = 1000  # a hostile GUID must not bloat the URL-state table


@dataclass
class DiscoveryResult:
    urls: list[DiscoveredUrl] = field(default_factory=list)
    listing_fetches: list[FetchResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    method: DiscoveryMethod | None = None  # the method that worked, if any

    @property
    def ok(self) -> bool:
        return self.method is not None


def listing_marker(discovered: DiscoveredUrl) -> str:
    """What the listing said about a URL's version; store it once the URL is processed.

    The entry's date (updated, else published) when it has one, else its feed GUID, else just
    "seen"; for feed and sitemap entries also a digest of the entry's title, since an outlet that
    rewrites a headline often leaves the dates alone. A URL comes out again when this changes. A
    section page's link text is not part of it: a teaser that is re-worded on the front page is no
    sign the article changed (revisits catch those; see ``newswatch.revisit``).
    """
    hints = discovered.hints
    moment = hints.updated_at or hints.published_at
    if moment is not None:
        marker = moment.isoformat()
    else:
        marker = f"guid:{hints.guid}"[:_MAX_MARKER] if hints.guid else SEEN_MARKER
    if hints.title and hints.origin in ("feed", "sitemap"):
        digest = hashlib.sha256(" ".join(hints.title.split()).encode("utf-8", "replace")).hexdigest()[:16]
        marker = f"{marker}|title:{digest}"
    return marker


def listing_bytes(result: FetchResult, cap: int) -> bytes:
    """A listing's bytes, un-gzipped (``.xml.gz`` sitemaps) under the listing cap ``cap``."""
    if not result.body.startswith(GZIP_MAGIC):
        return result.body
    decoder = CappedDecoder(["gzip"], cap)
    try:
        decoder.feed(result.body)
        return decoder.finish()
    except FetchError as exc:
        raise ListingError(f"{exc.kind}: {exc.message}") from None


class _Run:
    """One discovery pass over one source."""

    def __init__(self, source: Source, fetcher: Fetcher, seen: UrlStateStore | None) -> None:
        self.source = source
        self.fetcher = fetcher
        self.seen = seen
        self.settings = fetcher.settings
        self.result = DiscoveryResult()
        self.child_markers: dict[str, str] = {}  # child sitemap → lastmod, stored once all is due
        self.full = False  # this pass re-reads listings in full (the last one left a backlog)

    def has_backlog(self, url: str) -> bool:
        state = self.seen.get(url) if self.seen is not None else None
        return state is not None and state.listing_marker == BACKLOG_MARKER

    def fetch_listing(self, url: str, *, full: bool = False) -> FetchResult | None:
        """Fetch a listing; None when it has not changed since the last complete pass.

        ``full`` (a backlog pass) asks without validators and parses even an unchanged body.
        """
        backlog = full or self.has_backlog(url)
        validators = self.seen.validators(url) if self.seen is not None and not backlog else None
        result = self.fetcher.fetch(
            url,
            validators=validators,
            listing=True,
            user_agent=self.source.user_agent,
            min_interval=self.source.delay,
        )
        self.result.listing_fetches.append(result)
        if not result.ok:
            raise ListingError(f"{result.error_kind}: {result.error_message}")
        unchanged = self.seen is not None and not backlog and self.seen.unchanged(result)
        if self.seen is not None:
            self.seen.record_fetch_result(result, self.source.name)
        return None if unchanged else result

    def body(self, result: FetchResult) -> bytes:
        return listing_bytes(result, self.settings.max_listing_bytes)

    def entries(self, method: DiscoveryMethod) -> list[tuple[Entry, str | None]]:
        """(entry, origin) pairs from one method; raise ``ListingError`` when it does not work."""
        self.full = self.has_backlog(method.url)
        result = self.fetch_listing(method.url, full=self.full)
        if result is None:
            return []
        if method.kind == "section":
            links = section_links(result.text or "", result.final_url, method.link_pattern or ".")
            if not links:
                raise ListingError("no link on the page matches link_pattern")
            return [(Entry(url=link), None) for link in links]
        listing = parse_listing(self.body(result), result.final_url)
        if not listing.entries:
            raise ListingError(f"empty {listing.kind} (no entries)")
        if listing.is_index:
            return self.index_entries(listing)
        return [(entry, listing.origin) for entry in listing.entries]

    def index_entries(self, index: Listing) -> list[tuple[Entry, str | None]]:
        """Entries of a sitemap index's children: newest first, only those changed, bounded."""
        children = sorted(index.entries, key=_newest_first)[: self.settings.max_child_sitemaps]
        states = self.seen.get_many(c.url for c in children) if self.seen is not None else {}
        out: list[tuple[Entry, str | None]] = []
        for child in children:
            marker = child.updated_at.isoformat() if child.updated_at else None
            state = states.get(child.url)
            if marker is not None and state is not None and state.listing_marker == marker:
                continue  # this child sitemap has not changed since we last read it
            try:
                result = self.fetch_listing(child.url, full=self.full)  # a 304 would hide a backlog
                if result is None:
                    continue
                listing = parse_listing(self.body(result), result.final_url)
            except ListingError as exc:
                self.result.errors.append(f"{self.source.name}: child sitemap {child.url}: {exc}")
                continue
            out.extend((entry, "sitemap") for entry in listing.entries if not listing.is_index)
            if marker is not None:
                self.child_markers[child.url] = marker
        return out

    def acceptable(self, url: str) -> bool:
        return (
            url.startswith(("http://", "https://"))
            and len(url) <= self.settings.max_url_length
            and self.source.allows(url)
        )

    def due(self, candidates: list[DiscoveredUrl]) -> list[DiscoveredUrl]:
        """The candidates not yet done with the same marker, newest first, at most the cap."""
        limit = self.settings.max_urls_per_source
        if self.seen is None:
            return candidates[:limit]
        out: list[DiscoveredUrl] = []
        batch = max(limit, 1) * 2
        for start in range(0, len(candidates), batch):
            chunk = candidates[start : start + batch]
            states = self.seen.get_many(d.url for d in chunk)
            for discovered in chunk:
                state = states.get(discovered.url)
                if state is None or state.listing_marker != listing_marker(discovered):
                    out.append(discovered)
                    if len(out) >= limit:
                        return out
        return out

    def candidates(self, pairs: list[tuple[Entry, str | None]]) -> list[DiscoveredUrl]:
        unique: dict[str, DiscoveredUrl] = {}
        for entry, origin in sorted(pairs, key=lambda pair: _newest_first(pair[0])):
            if entry.url not in unique and self.acceptable(entry.url):
                unique[entry.url] = DiscoveredUrl(
                    url=entry.url, source=self.source.name, hints=_hints(entry, origin)
                )
        return list(unique.values())

    def run(self) -> DiscoveryResult:
        for method in self.source.methods:
            try:
                pairs = self.entries(method)
            except ListingError as exc:
                self.result.errors.append(f"{self.source.name}: {method.kind} {method.url}: {exc}")
                continue
            self.result.method = method
            self.result.urls = self.due(self.candidates(pairs))
            self.remember_pass(method.url, backlog=bool(self.result.urls))
            break
        return self.result

    def remember_pass(self, listing_url: str, *, backlog: bool) -> None:
        """Mark the listing complete or backlogged; child sitemaps only once nothing is left."""
        if self.seen is None:
            return
        name = self.source.name
        self.seen.remember_listing(listing_url, name, BACKLOG_MARKER if backlog else COMPLETE_MARKER)
        if not backlog:
            for url, marker in self.child_markers.items():
                self.seen.remember_listing(url, name, marker)


def _newest_first(entry: Entry) -> tuple[int, float]:
    moment = entry.updated_at or entry.published_at
    return (0, -moment.timestamp()) if moment is not None else (1, 0.0)


def _hints(entry: Entry, origin: str | None) -> Hints:
    return Hints(
        title=entry.title,
        published_at=entry.published_at,
        updated_at=entry.updated_at,
        language=entry.language,
        guid=entry.guid,
        origin=origin,  # type: ignore[arg-type]
    )


def discover(source: Source, fetcher: Fetcher, seen: UrlStateStore | None) -> DiscoveryResult:
    """Discover the source's new or changed article URLs, falling back across its methods."""
    return _Run(source, fetcher, seen).run()
