"""Discovery cases naming private and metadata addresses; run by tests/fetch/test_netns.py inside
a loopback-only network namespace (each test first checks that it is in one)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_server import start_server
from newswatch.fetch import Fetcher
from newswatch.sources.config import DiscoveryMethod, Source
from newswatch.sources.discover import discover


@pytest.fixture(autouse=True)
def only_loopback() -> None:
    links = subprocess.run(["ip", "-o", "link", "show", "up"], capture_output=True, text=True, check=True)
    names = [line.split(":")[1].strip() for line in links.stdout.splitlines() if line.strip()]
    assert names == ["lo"], f"not in a loopback-only network namespace: interfaces up {names}"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    with start_server("--root", str(tmp_path)) as info:
        yield tmp_path, str(info["url"])


HOSTILE_LINKS = [
    "http://169.254.169.254/latest/meta-data/iam",
    "http://10.0.0.1/admin",
    "http://100.64.0.1/",
    "file:///etc/passwd",
]


def test_feed_listing_private_addresses_discovers_them_but_fetch_refuses(site, fetcher: Fetcher) -> None:
    root, base = site
    items = "".join(f"<item><link>{u}</link></item>" for u in [*HOSTILE_LINKS, base + "/page/fine"])
    (root / "feed.xml").write_text(f"<rss><channel>{items}</channel></rss>")
    result = discover(Source("s", (DiscoveryMethod("feed", base + "/files/feed.xml"),)), fetcher, None)
    urls = [d.url for d in result.urls]
    assert "file:///etc/passwd" not in urls  # not http(s): dropped at discovery
    outcomes = {url: fetcher.fetch(url).error_kind for url in urls}
    assert outcomes == {
        "http://169.254.169.254/latest/meta-data/iam": "blocked_network",
        "http://10.0.0.1/admin": "blocked_network",
        "http://100.64.0.1/": "blocked_network",
        base + "/page/fine": None,
    }


def test_listing_redirecting_to_metadata_falls_back(site, fetcher: Fetcher) -> None:
    root, base = site
    (root / "sitemap.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://n.test/ok</loc></url></urlset>'
    )
    src = Source(
        "s",
        (
            DiscoveryMethod("feed", base + "/redirect?to=http://169.254.169.254/latest/feed"),
            DiscoveryMethod("sitemap", base + "/files/sitemap.xml"),
        ),
    )
    result = discover(src, fetcher, None)
    assert [f.error_kind for f in result.listing_fetches] == ["blocked_network", None]
    assert [d.url for d in result.urls] == ["http://n.test/ok"]


def test_sitemap_index_child_on_private_network_is_skipped(site, fetcher: Fetcher) -> None:
    root, base = site
    (root / "child.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://n.test/c</loc></url></urlset>'
    )
    (root / "index.xml").write_text(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>http://10.0.0.1/evil.xml</loc></sitemap>"
        f"<sitemap><loc>{base}/files/child.xml</loc></sitemap></sitemapindex>"
    )
    result = discover(Source("s", (DiscoveryMethod("sitemap", base + "/files/index.xml"),)), fetcher, None)
    assert [d.url for d in result.urls] == ["http://n.test/c"]
    assert any("10.0.0.1" in e and "blocked_network" in e for e in result.errors)
