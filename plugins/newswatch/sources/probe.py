"""Probe a site the way an operator adding it would: find its feeds, sitemaps or a section page,
read what each yields now, and extract a few articles — before the next cycle finds it broken.

Everything goes through the pipeline's own :class:`~newswatch.fetch.Fetcher` (network guard,
robots.txt, byte caps, per-domain delay), and a probe asks for a handful of URLs at most: the page
given, the site's home, robots.txt, a few common feed and sitemap paths, and three articles.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from newswatch.extract.article import extract_article
from newswatch.fetch import Fetcher, FetchResult
from newswatch.fetch.robots import origin_of
from newswatch.sources.config import DiscoveryMethod
from newswatch.sources.discover import listing_bytes
from newswatch.sources.listings import Entry, Listing, ListingError, parse_listing
from newswatch.sources.sections import section_links

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
COMMON_FEEDS = ("/feed", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml")
COMMON_SITEMAPS = ("/news-sitemap.xml", "/sitemap_news.xml", "/sitemap.xml", "/sitemap_index.xml")
CHILD_SITEMAPS = 3  # children of a sitemap index read at most
SHOWN_ENTRIES = 5
SAMPLES = 3
MIN_BODY_CHARS = 200  # a body shorter than this is "empty" for the warnings
MIN_SECTION_LINKS = 3
_RANK = {"feed": 0, "sitemap": 1, "section": 2}


@dataclass(frozen=True)
class Sample:
    """One article read as an ingest would read it."""

    url: str
    headline: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    body_chars: int = 0
    language: str | None = None
    error: str | None = None


@dataclass
class Candidate:
    """One way to list a site's articles, and what it yields now."""

    kind: str  # feed | sitemap | section
    url: str
    found_by: str
    link_pattern: str | None = None  # section only
    entries: list[Entry] = field(default_factory=list)
    language: str | None = None  # what the listing declares, if anything
    read_from: str | None = None  # the child sitemap read, for an index
    error: str | None = None
    robots: str = "not asked"  # allowed | disallowed | unavailable | not asked
    samples: list[Sample] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.entries)

    @property
    def dated(self) -> int:
        return sum(1 for e in self.entries if e.published_at or e.updated_at)

    @property
    def newest(self) -> datetime | None:
        dates = [d for e in self.entries for d in (e.updated_at, e.published_at) if d is not None]
        return max(dates, default=None)

    def rank(self) -> tuple[int, int, int, int]:
        """Readable first, then entries with dates, then feed before sitemap before section."""
        return (0 if self.ok else 1, 0 if self.dated else 1, _RANK[self.kind], -len(self.entries))

    def warnings(self) -> list[str]:
        """What an operator should know before relying on this listing."""
        out = []
        if self.ok and not self.dated and self.kind != "section":
            out.append("listing without dates: updates are found by revisits only")
        if self.samples and all(s.body_chars < MIN_BODY_CHARS for s in self.samples):
            out.append(f"body empty: no sample article has {MIN_BODY_CHARS}+ characters of text")
        languages = {s.language for s in self.samples if s.language}
        if self.language and languages and self.language.split("-")[0] not in languages:
            out.append(f"wrong language: the listing says {self.language}, articles read {sorted(languages)}")
        return out


def _document(html: str) -> lxml.html.HtmlElement | None:
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def feed_links(html: str, page_url: str) -> list[str]:
    """``<link rel="alternate" type="application/rss+xml" href=…>`` and the Atom/RDF kinds."""
    doc = _document(html)
    if doc is None:
        return []
    out: dict[str, None] = {}
    for link in doc.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES:
            out.setdefault(urljoin(page_url, link.get("href").strip()), None)
    return list(out)


def robots_sitemaps(text: str, base: str) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt, made absolute."""
    found = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            found.append(urljoin(base, value.strip()))
    return found


def _link_shape(path: str) -> str | None:
    """A regular expression for the kind of article URL this path is, or None if it is no article."""
    if re.search(r"/\d{4}/\d{2}/\d{2}/", path):
        return r"/\d{4}/\d{2}/\d{2}/"
    segments = [s for s in path.split("/") if s]
    if not segments or segments[-1].count("-") < 2:
        return None  # article slugs have words joined by hyphens; menus and tags rarely do
    if len(segments) == 1:
        return r"^[^?#]*://[^/]+/[^/?#]+-[^/?#]+-[^/?#]+/?$"
    return "/" + re.escape(segments[0]) + r"/(?:[^/?#]+/)*[^/?#]+-[^/?#]+-[^/?#]+"


def learn_link_pattern(html: str, page_url: str) -> tuple[str, list[str]] | None:
    """The article-link pattern most links on a section page share, with the links it matches."""
    host = urlsplit(page_url).netloc
    links = [u for u in section_links(html, page_url, ".") if urlsplit(u).netloc == host]
    shapes = Counter(shape for u in links if (shape := _link_shape(urlsplit(u).path)))
    if not shapes:
        return None
    pattern, count = shapes.most_common(1)[0]
    if count < MIN_SECTION_LINKS:
        return None
    return pattern, [u for u in links if re.search(pattern, u)]


def robots_verdict(result: FetchResult) -> str:
    """What robots.txt said about a fetched URL, in one word."""
    if result.error_kind == "robots_disallowed":
        return "disallowed"
    if result.error_kind in ("robots_unavailable", "connection", "tls", "timeout") and not result.ok:
        return "unavailable"
    return "allowed" if result.robots_allowed is not False else "disallowed"


def read_listing(fetcher: Fetcher, url: str, candidate: Candidate | None = None) -> Listing:
    """Fetch and parse one feed or sitemap; ``ListingError`` (kind: the fetch's) when unreadable."""
    result = fetcher.fetch(url, listing=True)
    if candidate is not None:
        candidate.robots = robots_verdict(result)
    if not result.ok:
        raise ListingError(str(result.error_message), kind=result.error_kind)
    return parse_listing(listing_bytes(result, fetcher.settings.max_listing_bytes), result.final_url)


def _child_order(entry: Entry) -> tuple[int, float]:
    """News sitemaps first, then the most recently modified."""
    moment = entry.updated_at or entry.published_at
    return (0 if "news" in entry.url.lower() else 1, -(moment.timestamp() if moment else 0.0))


def read_candidate(fetcher: Fetcher, candidate: Candidate) -> None:
    """Fill in what a feed or sitemap candidate yields now (for an index: its best child)."""
    try:
        listing = read_listing(fetcher, candidate.url, candidate)
        for child in sorted(listing.entries, key=_child_order)[:CHILD_SITEMAPS] if listing.is_index else []:
            try:
                inner = read_listing(fetcher, child.url)
            except ListingError:
                continue
            if inner.entries and not inner.is_index:
                listing, candidate.read_from = inner, child.url
                break
        if listing.is_index:
            raise ListingError("sitemap index whose children list no article")
    except ListingError as exc:
        candidate.error = f"{exc.kind}: {exc}"
        return
    candidate.entries = _newest_first(listing.entries)
    candidate.language = next((e.language for e in listing.entries if e.language), None)
    if not candidate.entries:
        candidate.error = f"bad_listing: empty {listing.kind}"


def _newest_first(entries: list[Entry]) -> list[Entry]:
    def moment(e: Entry) -> float:
        when = e.updated_at or e.published_at
        return when.timestamp() if when else float("-inf")

    dated = any(e.updated_at or e.published_at for e in entries)
    return sorted(entries, key=moment, reverse=True) if dated else entries


def read_section(fetcher: Fetcher, candidate: Candidate) -> None:
    """Fill in the links a section candidate's page offers now under its link pattern."""
    result = fetcher.fetch(candidate.url)
    candidate.robots = robots_verdict(result)
    if not result.ok:
        candidate.error = f"{result.error_kind}: {result.error_message}"
        return
    links = section_links(result.text or "", result.final_url, candidate.link_pattern or ".")
    candidate.entries = [Entry(url=link) for link in links]
    if not links:
        candidate.error = "bad_listing: no link on the page matches link_pattern"


def sample_articles(fetcher: Fetcher, candidate: Candidate, count: int = SAMPLES) -> None:
    """Fetch and extract the newest ``count`` entries, as an ingest would."""
    now = datetime.now(UTC)
    for entry in candidate.entries[:count]:
        result = fetcher.fetch(entry.url)
        if not result.ok or result.text is None:
            candidate.samples.append(Sample(entry.url, error=f"{result.error_kind}: {result.error_message}"))
            continue
        article = extract_article(result.text, result.final_url, settings=fetcher.settings, now=now)
        candidate.samples.append(
            Sample(
                url=entry.url,
                headline=article.headline,
                published_at=article.published_at,
                updated_at=article.updated_at,
                body_chars=len(article.body),
                language=article.language,
            )
        )


def _page(fetcher: Fetcher, url: str) -> FetchResult | None:
    result = fetcher.fetch(url)
    return result if result.ok and result.text is not None else None


def find_candidates(fetcher: Fetcher, url: str) -> tuple[list[Candidate], list[str]]:
    """Every listing the site advertises or keeps at a common path; the pages read, for the report.

    Order of looking: feed links on the page and on the home page, robots.txt ``Sitemap:`` lines,
    then common paths, and only when none reads, a section page (this page, else the home page).
    """
    home = origin_of(url) + "/"
    fetched = {p: _page(fetcher, p) for p in dict.fromkeys([url, home])}
    found: dict[str, Candidate] = {}
    for page in fetched.values():
        for link in feed_links(page.text or "", page.final_url) if page else []:
            found.setdefault(link, Candidate("feed", link, "link rel=alternate"))
    robots = fetcher.fetch(home + "robots.txt")
    if robots.ok and robots.text:
        for link in robots_sitemaps(robots.text, home):
            found.setdefault(link, Candidate("sitemap", link, "robots.txt Sitemap:"))
    for path in (*COMMON_FEEDS, *COMMON_SITEMAPS) if not found else ():
        link = origin_of(url) + path
        found.setdefault(link, Candidate("feed" if path in COMMON_FEEDS else "sitemap", link, "common path"))
    for candidate in found.values():
        read_candidate(fetcher, candidate)
    readable = [c for c in found.values() if c.ok]
    unread = [c for c in found.values() if not c.ok and c.found_by != "common path"]
    if not readable:
        readable = _sections(fetched)
    return sorted([*readable, *unread], key=Candidate.rank), [p for p, r in fetched.items() if r is None]


def _sections(fetched: dict[str, FetchResult | None]) -> list[Candidate]:
    out = []
    for page in fetched.values():
        learned = learn_link_pattern(page.text or "", page.final_url) if page else None
        if page and learned:
            pattern, links = learned
            out.append(
                Candidate(
                    "section",
                    page.final_url,
                    "section links",
                    link_pattern=pattern,
                    entries=[Entry(url=link) for link in links],
                )
            )
    return out[:1]


def check_source(fetcher: Fetcher, methods: Sequence[DiscoveryMethod]) -> Candidate:
    """A configured source's methods tried in order, as an ingest would; the first that reads is
    sampled, else the last one's error is kept."""
    candidate = Candidate("feed", "", "configured")
    for method in methods:
        candidate = Candidate(method.kind, method.url, "configured", link_pattern=method.link_pattern)
        if method.kind == "section":
            read_section(fetcher, candidate)
        else:
            read_candidate(fetcher, candidate)
        if candidate.ok:
            sample_articles(fetcher, candidate)
            break
    return candidate


def discover(fetcher: Fetcher, url: str) -> tuple[list[Candidate], list[str]]:
    """Ranked candidates for the site of ``url``, the best one sampled; and the pages not read."""
    candidates, unread = find_candidates(fetcher, url)
    if candidates and candidates[0].ok:
        sample_articles(fetcher, candidates[0])
    return candidates, unread
