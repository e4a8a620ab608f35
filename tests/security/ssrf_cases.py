"""Whole-pipeline SSRF cases naming private, loopback, link-local and metadata addresses.

Not collected directly (no ``test_`` prefix): ``test_ssrf_netns.py`` runs this file with pytest
inside a fresh network namespace that has only loopback up, so a broken guard fails a test
instead of sending a packet anywhere. Each test first checks that it is in such a namespace.

Feeds, sitemaps, redirects and meta refreshes point at the forbidden targets; a stub resolver
plays DNS rebinding. Every such URL must end as ``blocked_network`` (or ``bad_url``) in the
fetch log, with nothing stored, while the healthy page next to them is stored.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "reliability"))
sys.path.insert(0, str(HERE.parent / "support"))

import cycle  # noqa: E402
from hostile_server import start_server  # noqa: E402
from newswatch.store.engine import make_engine  # noqa: E402
from newswatch.store.schema import fetches  # noqa: E402
from sqlalchemy import select  # noqa: E402

FORBIDDEN = [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://metadata.google.internal.invalid/",  # does not resolve: bad/failed, never fetched
    "http://10.0.0.1/admin",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://0.0.0.0:{port}/page/x",
    "http://127.0.0.2:{port}/page/x",  # loopback, but outside the allowed 127.0.0.1/32
    "http://[::1]:{port}/page/x",
    "http://2852039166/",  # 169.254.169.254 as one decimal number
    "http://0xA9FEA9FE/",  # ... in hex
    "http://0251.0376.0251.0376/",  # ... in octal
    "http://169.254.169.254.nip.invalid/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[fe80::1]/",
]


@pytest.fixture(autouse=True)
def only_loopback() -> None:
    links = subprocess.run(["ip", "-o", "link", "show", "up"], capture_output=True, text=True, check=True)
    names = [line.split(":")[1].strip() for line in links.stdout.splitlines() if line.strip()]
    assert names == ["lo"], f"not in a loopback-only network namespace: interfaces up {names}"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "site"
    root.mkdir()
    with start_server("--root", str(root)) as info:
        yield root, str(info["url"])


@pytest.fixture
def rebinding() -> Iterator[list[str]]:
    """``rebind.test`` answers a public address twice, then the metadata address."""
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"] * 2 + ["169.254.169.254"] * 1000)
    seen: list[str] = []
    lock = threading.Lock()

    def fake(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        with lock:
            address = next(answers)
        seen.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 80))]

    socket.getaddrinfo = fake
    try:
        yield seen
    finally:
        socket.getaddrinfo = real


def _targets(base: str) -> list[str]:
    port = base.rsplit(":", 1)[1]
    direct = [u.format(port=port) for u in FORBIDDEN]
    redirects = [f"{base}/redirect?to={quote(u, safe='')}" for u in direct]
    refreshes = [f"{base}/meta-refresh?to={quote(u, safe='')}" for u in direct]
    return [*direct, *redirects, *refreshes, f"http://rebind.test:{port}/page/rebound"]


def _fetch_log(db_url: str) -> dict[str, str | None]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return {r.url: r.error_kind for r in conn.execute(select(fetches.c.url, fetches.c.error_kind))}
    finally:
        engine.dispose()


def _write_feed(path: Path, links: list[str]) -> None:
    items = "".join(f"<item><title>t</title><link>{u.replace('&', '&amp;')}</link></item>" for u in links)
    path.write_text(f"<rss><channel>{items}</channel></rss>")


def test_feed_sitemap_redirect_and_refresh_targets_are_refused(
    tmp_path: Path, site: tuple[Path, str], rebinding: list[str]
) -> None:
    root, base = site
    db_url = f"sqlite:///{tmp_path / 'ssrf.db'}"
    from newswatch.store.migrate import upgrade

    upgrade(db_url)
    targets = _targets(base)
    _write_feed(root / "feed.xml", [*targets[: len(targets) // 2], f"{base}/page/healthy-one"])
    urlset = "".join(f"<url><loc>{u.replace('&', '&amp;')}</loc></url>" for u in targets[len(targets) // 2 :])
    (root / "sitemap.xml").write_text(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urlset}'
        f"<url><loc>{base}/page/healthy-two</loc></url></urlset>"
    )
    (root / "index.xml").write_text(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>http://169.254.169.254/sitemap.xml</loc></sitemap>"
        "<sitemap><loc>http://10.0.0.1/sitemap.xml</loc></sitemap>"
        f"<sitemap><loc>{base}/files/sitemap.xml</loc></sitemap></sitemapindex>"
    )
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - name: feed\n    feed: {base}/files/feed.xml\n"
        f"  - name: sitemap-index\n    sitemap: {base}/files/index.xml\n"
        "  - name: metadata-feed\n    feed: http://169.254.169.254/latest/feed.xml\n"
        f"  - name: feed-redirecting-to-metadata\n    feed: '{base}/redirect?to=http://169.254.169.254/feed'\n"
    )
    topics = tmp_path / "topics.yaml"
    topics.write_text("topics: []\n")
    settings = cycle.settings_from(cycle.environment(db_url, sources, topics))
    summaries = {s.source: s for s in cycle.ingest(settings)}

    assert cycle.article_count(db_url) == 2  # the two healthy pages, nothing else
    log = _fetch_log(db_url)
    refused = [t for t in targets if log.get(t) in ("blocked_network", "bad_url")]
    unresolved = [t for t in targets if log.get(t) == "connection"]
    for target in targets:
        # Names that do not resolve end as "connection" errors: nothing was fetched either way.
        allowed = ("blocked_network", "bad_url", *(("connection",) if ".invalid" in target else ()))
        assert log.get(target) in allowed, (target, log.get(target))
    for name in ("metadata-feed", "feed-redirecting-to-metadata"):
        assert not summaries[name].ok and summaries[name].error_kind == "blocked_network", summaries[name]
    assert "169.254.169.254" in (summaries["metadata-feed"].error_message or "")
    assert "169.254.169.254" in rebinding  # the stub really answered with the metadata address
    seen = json.loads(__import__("urllib.request").request.urlopen(base + "/__log", timeout=5).read())
    paths = [r["path"] for r in seen]
    assert not any(p.startswith("/page/rebound") or p.startswith("/page/x") for p in paths), paths
    print(json.dumps({"ssrf_refused": len(refused), "unresolvable": len(unresolved), "targets": len(targets),
                      "listings_refused": 2 + 2}))


def test_default_settings_refuse_even_loopback_sources(tmp_path: Path, site: tuple[Path, str]) -> None:
    root, base = site
    _write_feed(root / "feed.xml", [f"{base}/page/one"])
    db_url = f"sqlite:///{tmp_path / 'default.db'}"
    from newswatch.store.migrate import upgrade

    upgrade(db_url)
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: local\n    feed: {base}/files/feed.xml\n")
    topics = tmp_path / "topics.yaml"
    topics.write_text("topics: []\n")
    env = cycle.environment(db_url, sources, topics)
    del env["NEWSWATCH_ALLOWED_NETWORKS"]  # the production default: no private network at all
    [summary] = cycle.ingest(cycle.settings_from(env))
    assert not summary.ok and summary.error_kind == "blocked_network", summary
    assert cycle.article_count(db_url) == 0
