"""Feed and sitemap parsing: every format, dates, hints, and hostile XML staying inert."""

from __future__ import annotations

import resource
from datetime import UTC, datetime

import pytest
from newswatch.errors import NewswatchError
from newswatch.sources.listings import ListingError, parse_listing

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Wire</title>
<language>en</language>
<item><title>First &amp; <![CDATA[<b>bold</b>]]></title><link>http://n.test/a/1</link>
<guid isPermaLink="false">id-1</guid><pubDate>Tue, 03 Jun 2025 09:30:00 +0200</pubDate></item>
<item><title>Guid only</title><guid>http://n.test/a/2</guid><dc:date>2025-06-04T10:00:00Z</dc:date></item>
<item><title>No link at all</title><guid isPermaLink="false">x</guid></item>
<item><title>Relative</title><link>/a/3</link></item>
</channel></rss>"""

RSS091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="0.91"><channel><title>Old</title><language>de</language>
<item><title>Gr\xfc\xdfe</title><link>http://n.test/old/1</link></item></channel></rss>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://n.test/"><title>RDF</title></channel>
<item rdf:about="http://n.test/rdf/1"><title>One</title><link>http://n.test/rdf/1</link>
<dc:date>2025-06-01T08:00:00+00:00</dc:date></item>
</rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr" xml:base="http://n.test/base/">
<title>Atom</title>
<entry><title type="html">&lt;i&gt;Un&lt;/i&gt; titre</title>
<link rel="self" href="http://n.test/self"/><link rel="alternate" type="text/html" href="art/1"/>
<id>tag:n.test,2025:1</id><published>2025-06-02T12:00:00+02:00</published>
<updated>2025-06-02T13:00:00Z</updated></entry>
<entry><title>No link</title><id>x</id></entry>
</feed>"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://n.test/s/1</loc><lastmod>2025-06-05</lastmod></url>
<url><loc>http://n.test/s/2</loc><news:news><news:publication><news:name>N</news:name>
<news:language>es</news:language></news:publication>
<news:publication_date>2025-06-06T07:00:00+00:00</news:publication_date>
<news:title>Noticia</news:title></news:news></url>
<url><lastmod>2025-06-05</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://n.test/sm-1.xml</loc><lastmod>2025-06-01</lastmod></sitemap>
<sitemap><loc>http://n.test/sm-2.xml</loc></sitemap></sitemapindex>"""


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_rss2() -> None:
    listing = parse_listing(RSS2, "http://n.test/feed")
    assert listing.kind == "rss" and listing.origin == "feed"
    first, second, third = listing.entries
    assert (first.url, first.title, first.guid) == ("http://n.test/a/1", "First & bold", "id-1")
    assert first.published_at == utc(2025, 6, 3, 7, 30) and first.language == "en"
    assert (second.url, second.published_at) == ("http://n.test/a/2", utc(2025, 6, 4, 10))
    assert third.url == "http://n.test/a/3"


def test_rss091_in_latin1() -> None:
    (entry,) = parse_listing(RSS091, "http://n.test/").entries
    assert (entry.url, entry.title, entry.language) == ("http://n.test/old/1", "Grüße", "de")


def test_rss1_rdf() -> None:
    listing = parse_listing(RSS1, "http://n.test/")
    assert listing.kind == "rdf"
    (entry,) = listing.entries
    assert (entry.url, entry.title, entry.published_at) == ("http://n.test/rdf/1", "One", utc(2025, 6, 1, 8))


def test_atom() -> None:
    listing = parse_listing(ATOM, "http://n.test/feed")
    (entry,) = listing.entries
    assert entry.url == "http://n.test/base/art/1"
    assert entry.title == "Un titre"
    assert entry.published_at == utc(2025, 6, 2, 10) and entry.updated_at == utc(2025, 6, 2, 13)
    assert (entry.guid, entry.language) == ("tag:n.test,2025:1", "fr")


def test_sitemap_with_google_news() -> None:
    listing = parse_listing(URLSET, "http://n.test/sitemap.xml")
    assert listing.origin == "sitemap" and not listing.is_index
    plain, news = listing.entries
    assert (plain.url, plain.updated_at) == ("http://n.test/s/1", utc(2025, 6, 5))
    assert (news.title, news.published_at, news.language) == ("Noticia", utc(2025, 6, 6, 7), "es")


def test_sitemap_index() -> None:
    listing = parse_listing(INDEX, "http://n.test/")
    assert listing.is_index
    assert [(e.url, e.updated_at) for e in listing.entries] == [
        ("http://n.test/sm-1.xml", utc(2025, 6, 1)),
        ("http://n.test/sm-2.xml", None),
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        b"<html><body>not a feed</body></html>",
        b"\x00\x01garbage",
        b'{"json": true}',
        b"<rss><channel><item><link>http://n.test/x</link>",
    ],
)
def test_malformed_or_foreign_documents(body: bytes) -> None:
    try:
        listing = parse_listing(body, "http://n.test/")
    except ListingError:
        return
    # lxml's recovery may salvage a truncated feed; then what it salvaged must be right
    assert [e.url for e in listing.entries] == ["http://n.test/x"]


def test_an_unreadable_listing_is_a_newswatch_error_of_kind_bad_listing() -> None:
    with pytest.raises(NewswatchError) as caught:
        parse_listing(b"<html><body>not a feed</body></html>", "http://n.test/")
    assert caught.value.kind == "bad_listing" and isinstance(caught.value, ListingError)


def test_billion_laughs_stays_small() -> None:
    lol = (
        b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">"""
        + b"".join(
            b'<!ENTITY %s "%s">' % (b"a" + b"x" * (i + 1), (b"&a" + b"x" * i + b";") * 10) for i in range(12)
        )
        + b"""]><rss><channel><item><title>&axxxxxxxxxxxx;</title><link>http://n.test/lol</link></item>
</channel></rss>"""
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        listing = parse_listing(lol, "http://n.test/")
    except ListingError:
        listing = None
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 50_000
    if listing is not None:
        assert all(len(e.title or "") < 1000 for e in listing.entries)


def test_external_entities_are_not_read() -> None:
    xxe = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&x;</title><link>http://n.test/xxe</link></item></channel></rss>"""
    listing = parse_listing(xxe, "http://n.test/")
    assert "root:" not in (listing.entries[0].title or "")
