"""Reading listings: RSS 0.9x/1.0/2.0 and Atom feeds, sitemaps, sitemap indexes, Google News.

Each parser turns a document into ``Entry`` items (URL + what the listing said about it). The
root element decides the format, so a "feed" URL that serves a sitemap (or the reverse) still
works. Hand-written over lxml rather than feedparser: feedparser is not in the lock, resolves
nothing safer, and we need only links, titles and dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from newswatch.errors import NewswatchError
from newswatch.sources.listing_dates import parse_listing_date
from newswatch.sources.xmlsafe import child_text, children, local, parse_xml

_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TAGS = re.compile(r"<[^>]{0,500}>")
_SPACE = re.compile(r"\s+")
_MAX_TITLE = 1000


class ListingError(NewswatchError, ValueError):
    """The document is not a feed or sitemap we can read."""

    kind = "bad_listing"


@dataclass(frozen=True)
class Entry:
    url: str
    title: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    guid: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Listing:
    """A parsed listing: article entries, or (for a sitemap index) child sitemaps."""

    kind: str  # "rss" | "rdf" | "atom" | "urlset" | "sitemapindex"
    entries: list[Entry]

    @property
    def is_index(self) -> bool:
        return self.kind == "sitemapindex"

    @property
    def origin(self) -> str:
        return "sitemap" if self.kind in ("urlset", "sitemapindex") else "feed"


def _join(base: str, link: str) -> str | None:
    """``link`` resolved against ``base``; None when it is no URL (an unclosed '[', say)."""
    try:
        return urljoin(base, link)
    except ValueError:
        return None


def clean_title(text: str | None) -> str | None:
    if not text:
        return None
    text = _SPACE.sub(" ", _TAGS.sub(" ", text)).strip()
    return text[:_MAX_TITLE] or None


def _rss_item(item: etree._Element, base: str, language: str | None) -> Entry | None:
    link = child_text(item, "link")
    guid_el = next(iter(children(item, "guid")), None)
    guid = (guid_el.text or "").strip() if guid_el is not None else None
    if not link and guid and guid_el is not None and guid_el.get("isPermaLink", "true").lower() != "false":
        link = guid
    about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    link = link or about
    url = _join(base, link.strip()) if link else None
    if not url:
        return None
    return Entry(
        url=url,
        title=clean_title(child_text(item, "title")),
        published_at=parse_listing_date(child_text(item, "pubdate", "date", "issued", "published")),
        updated_at=parse_listing_date(child_text(item, "updated", "modified")),
        guid=guid or None,
        language=language,
    )


def _parse_rss(root: etree._Element, base: str) -> list[Entry]:
    channel = next(iter(children(root, "channel")), root)
    language = child_text(channel, "language")
    items = children(channel, "item") or children(root, "item")  # RSS 1.0 puts items beside channel
    return [e for e in (_rss_item(item, base, language) for item in items) if e is not None]


def _atom_link(entry: etree._Element, base: str) -> str | None:
    best = None
    for link in children(entry, "link"):
        href = (link.get("href") or "").strip()
        rel = (link.get("rel") or "alternate").lower()
        if href and rel == "alternate":
            if (link.get("type") or "text/html").lower() in ("text/html", "application/xhtml+xml"):
                return _join(base, href)
            best = best or _join(base, href)
    return best


def _parse_atom(root: etree._Element, base: str) -> list[Entry]:
    base = _join(base, root.get(_XML_BASE) or "") or base
    language = root.get(_XML_LANG)
    out = []
    for entry in children(root, "entry"):
        entry_base = _join(base, entry.get(_XML_BASE) or "") or base
        url = _atom_link(entry, entry_base)
        if not url:
            continue
        out.append(
            Entry(
                url=url,
                title=clean_title(child_text(entry, "title")),
                published_at=parse_listing_date(child_text(entry, "published", "issued")),
                updated_at=parse_listing_date(child_text(entry, "updated", "modified")),
                guid=child_text(entry, "id"),
                language=entry.get(_XML_LANG) or language,
            )
        )
    return out


def _news(url_el: etree._Element) -> tuple[str | None, datetime | None, str | None]:
    """Google News sitemap fields: (title, publication date, language)."""
    news = next(iter(children(url_el, "news")), None)
    if news is None:
        return None, None, None
    publication = next(iter(children(news, "publication")), None)
    language = child_text(publication, "language") if publication is not None else None
    return child_text(news, "title"), parse_listing_date(child_text(news, "publication_date")), language


def _parse_urlset(root: etree._Element, base: str) -> list[Entry]:
    out = []
    for url_el in children(root, "url"):
        loc = child_text(url_el, "loc")
        url = _join(base, loc) if loc else None
        if not url:
            continue
        title, published, language = _news(url_el)
        out.append(
            Entry(
                url=url,
                title=clean_title(title),
                published_at=published,
                updated_at=parse_listing_date(child_text(url_el, "lastmod")),
                language=language,
            )
        )
    return out


def _parse_index(root: etree._Element, base: str) -> list[Entry]:
    out = []
    for sitemap in children(root, "sitemap"):
        url = _join(base, loc) if (loc := child_text(sitemap, "loc")) else None
        if url:
            out.append(Entry(url=url, updated_at=parse_listing_date(child_text(sitemap, "lastmod"))))
    return out


_PARSERS = {
    "rss": ("rss", _parse_rss),
    "rdf": ("rdf", _parse_rss),
    "feed": ("atom", _parse_atom),
    "urlset": ("urlset", _parse_urlset),
    "sitemapindex": ("sitemapindex", _parse_index),
}


def parse_listing(body: bytes, base_url: str) -> Listing:
    """Parse a feed or sitemap document; raise ``ListingError`` if it is neither."""
    root = parse_xml(body)
    if root is None:
        raise ListingError("not XML (malformed or empty document)")
    name = local(root)
    if name not in _PARSERS:
        raise ListingError(f"root element <{name or '?'}> is not a feed or sitemap")
    kind, parser = _PARSERS[name]
    return Listing(kind=kind, entries=parser(root, base_url))
