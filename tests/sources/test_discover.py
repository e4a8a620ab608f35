"""Discovery against the fixture server and a real database (SQLite and PostgreSQL):
fallback across methods, only new or changed URLs, conditional GET on listings, big sitemaps."""

from __future__ import annotations

import gzip
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_server import start_server
from newswatch.fetch import Fetcher
from newswatch.sources.config import DiscoveryMethod, Source
from newswatch.sources.discover import discover, listing_marker
from newswatch.store.url_state import UrlStateStore


def rss(items: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate></item>"
        for link, title, date in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{body}</channel></rss>'


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A directory served under <url>/files/ by a fresh fixture server."""
    with start_server("--root", str(tmp_path)) as info:
        yield tmp_path, str(info["url"]) + "/files"


def write(path: Path, text: str | bytes) -> None:
    """Write and move the mtime forward, so the server's ETag changes even within one second."""
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    stamp = time.time() + getattr(write, "bump", 0)
    write.bump = getattr(write, "bump", 0) + 2  # type: ignore[attr-defined]
    os.utime(path, (stamp, stamp))


def source(*methods: DiscoveryMethod, **kw: object) -> Source:
    return Source(name="src", methods=tuple(methods), **kw)  # type: ignore[arg-type]


ITEMS = [
    ("http://n.test/a/1", "One", "Mon, 02 Jun 2025 10:00:00 GMT"),
    ("http://n.test/a/2", "Two", "Tue, 03 Jun 2025 10:00:00 GMT"),
    ("http://n.test/a/3", "Three", "Wed, 04 Jun 2025 10:00:00 GMT"),
]


def test_feed_yields_new_urls_newest_first_with_hints(site, fetcher: Fetcher, engine) -> None:
    root, base = site
    write(root / "feed.xml", rss(ITEMS))
    result = discover(source(DiscoveryMethod("feed", base + "/feed.xml")), fetcher, UrlStateStore(engine))
    assert result.ok and result.errors == []
    assert [d.url for d in result.urls] == ["http://n.test/a/3", "http://n.test/a/2", "http://n.test/a/1"]
    assert result.urls[0].hints.title == "Three" and result.urls[0].hints.origin == "feed"
    assert result.urls[0].hints.published_at is not None and result.urls[0].source == "src"
    assert [f.status for f in result.listing_fetches] == [200]


def test_second_cycle_only_new_or_changed(site, fetcher: Fetcher, engine) -> None:
    root, base = site
    seen = UrlStateStore(engine)
    src = source(DiscoveryMethod("feed", base + "/feed.xml"))
    write(root / "feed.xml", rss(ITEMS))
    first = discover(src, fetcher, seen)
    for item in first.urls[:2]:  # the pipeline processed a/3 and a/2; a/1 failed and was not remembered
        seen.remember_listing(item.url, "src", listing_marker(item))

    # the feed is unchanged, but the last pass yielded URLs: it is read in full, and a/1, which
    # was never processed, comes out again instead of hiding behind a 304
    retry = discover(src, fetcher, seen)
    assert [d.url for d in retry.urls] == ["http://n.test/a/1"]
    assert retry.listing_fetches[0].status == 200
    seen.remember_listing(retry.urls[0].url, "src", listing_marker(retry.urls[0]))
    settled = discover(src, fetcher, seen)  # nothing left: the listing is complete ...
    assert settled.ok and settled.urls == [] and settled.listing_fetches[0].status == 200
    unchanged = discover(src, fetcher, seen)  # ... so from now on a conditional GET suffices
    assert unchanged.ok and unchanged.urls == [] and unchanged.listing_fetches[0].not_modified

    changed_items = [
        *ITEMS[:2],
        ("http://n.test/a/3", "Three (updated)", "Thu, 05 Jun 2025 10:00:00 GMT"),
        ("http://n.test/a/4", "Four", "Thu, 05 Jun 2025 09:00:00 GMT"),
    ]
    write(root / "feed.xml", rss(changed_items))
    second = discover(src, fetcher, seen)
    assert [d.url for d in second.urls] == ["http://n.test/a/3", "http://n.test/a/4"]
    assert second.urls[0].hints.title == "Three (updated)"


def test_fallback_from_broken_feed_to_sitemap(site, fetcher: Fetcher, engine) -> None:
    root, base = site
    write(
        root / "sitemap.xml",
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>http://n.test/s/1</loc><lastmod>2025-06-01</lastmod></url></urlset>",
    )
    src = source(
        DiscoveryMethod("feed", base + "/missing.xml"), DiscoveryMethod("sitemap", base + "/sitemap.xml")
    )
    result = discover(src, fetcher, UrlStateStore(engine))
    assert result.method == src.methods[1]
    assert [d.url for d in result.urls] == ["http://n.test/s/1"]
    assert result.urls[0].hints.origin == "sitemap"
    assert len(result.errors) == 1 and "feed" in result.errors[0] and "http_4xx" in result.errors[0]
    assert [f.error_kind for f in result.listing_fetches] == ["http_4xx", None]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("<rss><channel><title>x</title></channel></rss>", "empty rss"),
        ("<rss><chan", "empty rss"),  # recovered as an rss root with nothing in it
        ("<html><body>oops, a web page</body></html>", "not a feed"),
        ("", "not XML"),
    ],
)
def test_malformed_or_empty_feed_falls_back_to_section(
    site, fetcher: Fetcher, content: str, fragment: str
) -> None:
    root, base = site
    write(root / "feed.xml", content)
    write(
        root / "front.html",
        '<html><head><base href="http://n.test/"></head><body>'
        '<a href="news/2025/one#top">1</a><a href="/about">about</a>'
        '<a href="http://n.test/news/2025/two">2</a><a href="news/2025/one">dup</a>'
        '<a href="javascript:void(0)">js</a></body></html>',
    )
    src = source(
        DiscoveryMethod("feed", base + "/feed.xml"),
        DiscoveryMethod("section", base + "/front.html", r"/news/\d{4}/"),
    )
    result = discover(src, fetcher, None)
    assert result.method == src.methods[1]
    assert [d.url for d in result.urls] == ["http://n.test/news/2025/one", "http://n.test/news/2025/two"]
    assert fragment in result.errors[0]


def test_all_methods_broken_reports_each(site, fetcher: Fetcher) -> None:
    _, base = site
    src = source(DiscoveryMethod("feed", base + "/a.xml"), DiscoveryMethod("sitemap", base + "/b.xml"))
    result = discover(src, fetcher, None)
    assert not result.ok and result.urls == [] and len(result.errors) == 2


def test_allow_patterns_and_non_http_entries_are_dropped(site, fetcher: Fetcher) -> None:
    root, base = site
    write(
        root / "feed.xml",
        rss(
            [
                ("http://n.test/keep/1", "k", ""),
                ("http://other.test/x", "o", ""),
                ("javascript:alert(1)", "j", ""),
                ("mailto:a@n.test", "m", ""),
            ]
        ),
    )
    src = source(DiscoveryMethod("feed", base + "/feed.xml"), allow_patterns=(r"^http://n\.test/",))
    assert [d.url for d in discover(src, fetcher, None).urls] == ["http://n.test/keep/1"]


def test_sitemap_index_reads_only_changed_children(site, fetcher: Fetcher, engine) -> None:
    root, base = site
    seen = UrlStateStore(engine)
    for n in (1, 2):
        write(
            root / f"sm-{n}.xml.gz",
            gzip.compress(
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://n.test/c{n}</loc>'
                f"<lastmod>2025-06-0{n}</lastmod></url></urlset>".encode()
            ),
        )

    def index(lastmod_2: str) -> str:
        return (
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sm-1.xml.gz</loc><lastmod>2025-06-01</lastmod></sitemap>"
            f"<sitemap><loc>{base}/sm-2.xml.gz</loc><lastmod>{lastmod_2}</lastmod></sitemap></sitemapindex>"
        )

    write(root / "index.xml", index("2025-06-02"))
    src = source(DiscoveryMethod("sitemap", base + "/index.xml"))
    first = discover(src, fetcher, seen)
    assert [d.url for d in first.urls] == ["http://n.test/c2", "http://n.test/c1"]
    assert len(first.listing_fetches) == 3

    for item in first.urls:
        seen.remember_listing(item.url, "src", listing_marker(item))
    settled = discover(src, fetcher, seen)  # reads everything in full once more, finds nothing left
    assert settled.urls == [] and [f.status for f in settled.listing_fetches] == [200, 200, 200]

    write(root / "index.xml", index("2025-06-09"))
    write(
        root / "sm-2.xml.gz",
        gzip.compress(
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://n.test/c2</loc>'
            b"<lastmod>2025-06-09</lastmod></url><url><loc>http://n.test/c3</loc></url></urlset>"
        ),
    )
    second = discover(src, fetcher, seen)
    assert [f.url.rsplit("/", 1)[-1] for f in second.listing_fetches] == ["index.xml", "sm-2.xml.gz"]
    assert [d.url for d in second.urls] == ["http://n.test/c2", "http://n.test/c3"]


def test_sitemap_index_backlog_survives_a_lost_run(site, fetcher: Fetcher, engine) -> None:
    """A run that read an index and its children but processed nothing (killed): the next run
    reads the children in full again and yields the same URLs (no 304 hides them)."""
    root, base = site
    seen = UrlStateStore(engine)
    write(
        root / "child.xml",
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>http://n.test/k1</loc><lastmod>2025-06-01</lastmod></url></urlset>",
    )
    write(
        root / "index.xml",
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/child.xml</loc><lastmod>2025-06-01</lastmod></sitemap></sitemapindex>",
    )
    src = source(DiscoveryMethod("sitemap", base + "/index.xml"))
    lost = discover(src, fetcher, seen)
    again = discover(src, fetcher, seen)
    assert [d.url for d in lost.urls] == [d.url for d in again.urls] == ["http://n.test/k1"]
    assert [f.status for f in again.listing_fetches] == [200, 200]


def test_fifty_thousand_url_sitemap_is_capped_newest_first(base: str, make_settings, engine) -> None:
    settings = make_settings(max_urls_per_source="100", max_listing_bytes=str(20 * 1024 * 1024))
    seen = UrlStateStore(engine)
    src = source(DiscoveryMethod("sitemap", base + "/sitemap-big?n=50000"))
    with Fetcher(settings) as fetcher:
        first = discover(src, fetcher, seen)
        assert len(first.urls) == 100
        assert first.urls[0].url.endswith("/page/a49999") and first.urls[-1].url.endswith("/page/a49900")
        for item in first.urls:
            seen.remember_listing(item.url, "src", listing_marker(item))
        second = discover(src, fetcher, seen)
    assert second.urls[0].url.endswith("/page/a49899") and len(second.urls) == 100


def test_fetch_failure_of_listing_over_cap_falls_back(base: str, make_settings) -> None:
    settings = make_settings(max_listing_bytes="100000")
    src = source(
        DiscoveryMethod("sitemap", base + "/sitemap-big?n=50000"),
        DiscoveryMethod("feed", base + "/gzip-bomb?mb=8"),
    )
    with Fetcher(settings) as fetcher:
        result = discover(src, fetcher, None)
    assert not result.ok
    assert [f.error_kind for f in result.listing_fetches] == ["too_large", "too_large"]


def test_billion_laughs_feed_is_inert(site, fetcher: Fetcher) -> None:
    root, base = site
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    write(
        root / "lol.xml",
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss><channel>'
        "<item><title>&l9;</title><link>http://n.test/lol</link></item></channel></rss>",
    )
    write(root / "feed.xml", rss(ITEMS))
    src = source(DiscoveryMethod("feed", base + "/lol.xml"), DiscoveryMethod("feed", base + "/feed.xml"))
    result = discover(src, fetcher, None)
    # libxml2 stops at its amplification limit; nothing is expanded, the feed counts as empty
    assert len(result.errors) == 1 and "empty rss" in result.errors[0]
    assert result.method == src.methods[1] and len(result.urls) == 3


def test_guid_is_the_marker_when_entries_have_no_date(site, fetcher: Fetcher, engine) -> None:
    root, base = site
    seen = UrlStateStore(engine)

    def feed(guid: str) -> str:
        return (
            f"<rss><channel><item><link>http://n.test/g</link><guid isPermaLink='false'>{guid}</guid>"
            "</item></channel></rss>"
        )

    write(root / "feed.xml", feed("v1"))
    src = source(DiscoveryMethod("feed", base + "/feed.xml"))
    (first,) = discover(src, fetcher, seen).urls
    assert listing_marker(first) == "guid:v1"
    seen.remember_listing(first.url, "src", listing_marker(first))
    assert discover(src, fetcher, seen).urls == []
    write(root / "feed.xml", feed("v2"))
    assert [d.url for d in discover(src, fetcher, seen).urls] == ["http://n.test/g"]
