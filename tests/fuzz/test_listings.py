"""Fuzz the feed and sitemap parsers with generated documents and raw bytes.

Contract: ``parse_listing`` returns a :class:`Listing` or raises :class:`ListingError` (its one
documented error); entity tricks (billion laughs, external entities) stay inert; every entry
is a string URL with aware dates.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from fuzzing import budget, tried
from hypothesis import example, given
from hypothesis import strategies as st
from newswatch.sources.listings import Listing, ListingError, parse_listing
from newswatch.sources.sections import section_links

BASE = "https://news.example.com/feeds/main.xml"
TEXT = st.text(max_size=50)
DATES = st.sampled_from(
    ["Tue, 26 Nov 2026 10:00:00 GMT", "2026-11-26T10:00:00Z", "2026-11-26", "Mon, 99 Foo 2026", "0000", "",
     "2026-11-26T10:00:00+99:00", "1" * 70, "Thu, 01 Jan 1970 00:00:00 +2400"]
) | TEXT
LINKS = st.sampled_from(
    ["https://news.example.com/a", "/relative/b", "javascript:alert(1)", "file:///etc/passwd", "http://[::1",
     "http://example.com:99999/", "", "   ", "data:text/html,x", "//other.example/c"]
) | TEXT
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(b'<!ENTITY %c "&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;">' % ((c,) + (c - 1,) * 10)
               for c in range(ord("b"), ord("k")))
    + b']><rss><channel><item><title>&j;</title><link>https://n.example/x</link></item></channel></rss>'
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<rss><channel><item><title>&x;</title><link>https://n.example/x</link></item></channel></rss>"
)


def _e(text: str) -> str:
    return escape(text)


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["rss", "atom", "urlset", "sitemapindex", "rdf", "other"]))
    n = draw(st.integers(0, 5))
    items = []
    for _ in range(n):
        link, title, date = _e(draw(LINKS)), _e(draw(TEXT)), _e(draw(DATES))
        if kind == "rss":
            items.append(f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>"
                         f"<guid>{_e(draw(TEXT))}</guid></item>")
        elif kind == "atom":
            items.append(f'<entry><title type="html">{title}</title><link rel="alternate" href="{link}"/>'
                         f"<updated>{date}</updated><published>{date}</published></entry>")
        elif kind == "urlset":
            items.append(f"<url><loc>{link}</loc><lastmod>{date}</lastmod><news:news><news:title>{title}"
                         f"</news:title><news:publication_date>{date}</news:publication_date>"
                         f"<news:publication><news:language>{_e(draw(TEXT))}</news:language>"
                         "</news:publication></news:news></url>")
        elif kind == "sitemapindex":
            items.append(f"<sitemap><loc>{link}</loc><lastmod>{date}</lastmod></sitemap>")
        else:
            items.append(f"<item><link>{link}</link></item>")
    body = "".join(items)
    wrapped = {
        "rss": f'<rss version="2.0"><channel xml:base="{_e(draw(LINKS))}">{body}</channel></rss>',
        "atom": f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{_e(draw(TEXT))}">{body}</feed>',
        "urlset": '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{body}</urlset>',
        "sitemapindex": f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>',
        "rdf": f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">{body}</rdf:RDF>',
        "other": f"<html>{body}</html>",
    }[kind]
    raw = wrapped.encode(draw(st.sampled_from(["utf-8", "utf-16"])))
    if draw(st.booleans()):  # damage it: cut it short or splice in bytes
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + draw(st.binary(max_size=20))
    return raw


def _check(raw: bytes) -> Listing | None:
    try:
        listing = tried("sources.parse_listing", lambda: parse_listing(raw, BASE))
    except ListingError:
        return None
    for entry in listing.entries:
        assert isinstance(entry.url, str)
        for value in (entry.published_at, entry.updated_at):
            assert value is None or value.tzinfo is not None
    return listing


@budget(600)
@given(raw=documents())
def test_generated_listings_parse_or_raise_listing_error(raw: bytes) -> None:
    _check(raw)


@budget(400)
@given(raw=st.binary(max_size=2000))
@example(raw=b"")
@example(raw=b"\xef\xbb\xbf")
@example(raw=b"<" * 1000)
def test_raw_bytes_parse_or_raise_listing_error(raw: bytes) -> None:
    _check(raw)


def test_entity_expansion_stays_inert() -> None:
    for raw in (BILLION_LAUGHS, XXE):
        listing = _check(raw)
        titles = [e.title or "" for e in listing.entries] if listing else []
        assert all(len(t) < 1000 and "root:" not in t for t in titles), titles


HREFS = LINKS | st.sampled_from(["http://[::1/2026/11/26/x", "#top", "mailto:x@y", "/2026/11/26/ok#c"])


@budget(400)
@given(
    hrefs=st.lists(HREFS, max_size=12),
    base_href=st.none() | HREFS,
    tail=st.text(max_size=40),
)
@example(hrefs=["http://[::1/2026/11/26/x", "/2026/11/26/ok"], base_href=None, tail="")
@example(hrefs=["/2026/11/26/ok"], base_href="http://[x", tail="")
def test_section_links_never_raise(hrefs: list[str], base_href: str | None, tail: str) -> None:
    head = f'<base href="{_e(base_href)}">' if base_href is not None else ""
    page = head + "".join(f'<a href="{_e(h)}">x</a>' for h in hrefs) + tail
    links = tried("sources.section_links", lambda: section_links(page, BASE, r"/\d{4}/"))
    assert all(link.startswith(("http://", "https://")) and "#" not in link for link in links)
