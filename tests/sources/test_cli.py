"""``newswatch sources discover/check/list`` against real sites on loopback, one per shape: a
WordPress-like site with a feed link, a robots.txt pointing at a sitemap index with a news child,
a site with only a section page, a dead host, and discovery started from an article page."""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from newswatch.cli import main
from newswatch.demo.cluster import free_port
from newswatch.settings import load_settings
from newswatch.sources.config import load_sources
from newswatch.store.engine import make_engine
from newswatch.store.health import record_source_run

NOW = datetime.now(UTC).replace(microsecond=0)
PARAGRAPH = (
    "The harbour authority said on Monday that the new container terminal would open next spring, "
    "after two years of delays caused by storms, a dispute over dredging rights and a shortage of cranes. "
)


def _article(headline: str, published: datetime, lang: str = "en", paragraphs: int = 4) -> str:
    body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(paragraphs))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{headline}</title>'
        f'<meta property="article:published_time" content="{published.isoformat()}"></head>'
        f"<body><article><h1>{headline}</h1>{body}</article></body></html>"
    )


def _stories(count: int = 4) -> list[tuple[str, str, datetime]]:
    return [
        (f"harbour-terminal-story-number-{i}", f"Harbour terminal story number {i}", NOW - timedelta(hours=i))
        for i in range(count)
    ]


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _rss(base: str, stories: list[tuple[str, str, datetime]], *, dated: bool = True, lang: str = "en") -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{base}/{date:%Y/%m/%d}/{slug}.html</link>"
        + (f"<pubDate>{date:%a, %d %b %Y %H:%M:%S +0000}</pubDate>" if dated else "")
        + "</item>"
        for slug, title, date in stories
    )
    head = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><language>{lang}</language>'
    return f"{head}{items}</channel></rss>"


def _article_files(
    stories: list[tuple[str, str, datetime]], lang: str = "en", paragraphs: int = 4
) -> dict[str, str]:
    return {f"{d:%Y/%m/%d}/{slug}.html": _article(title, d, lang, paragraphs) for slug, title, d in stories}


class _Site:
    """A static site on its own loopback port (its own origin), served from a directory."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_Quiet, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.root = root
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def site(tmp_path: Path) -> Iterator[_Site]:
    made: list[_Site] = []

    def make(name: str) -> _Site:
        made.append(_Site(tmp_path / name))
        (tmp_path / name).mkdir(exist_ok=True)
        return made[-1]

    yield make  # type: ignore[misc]
    for s in made:
        s.close()


def wordpress(make) -> _Site:  # type: ignore[no-untyped-def]
    """Home page with <link rel=alternate> to its feed; article pages without one."""
    s = make("wordpress")
    stories = _stories()
    home = (
        '<html lang="en"><head>'
        '<link rel="alternate" type="application/rss+xml" title="Feed" href="/feed.xml">'
        "</head><body><h1>Harbour Times</h1></body></html>"
    )
    _write(s.root, {"index.html": home, "feed.xml": _rss(s.base, stories), **_article_files(stories)})
    return s


def news_sitemap_site(make) -> _Site:  # type: ignore[no-untyped-def]
    """robots.txt names a sitemap index whose news child lists today's articles."""
    s = make("sitemaps")
    stories = _stories()
    urls = "".join(
        f"<url><loc>{s.base}/{d:%Y/%m/%d}/{slug}.html</loc><news:news><news:publication><news:name>P</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{d.isoformat()}"
        f"</news:publication_date><news:title>{title}</news:title></news:news></url>"
        for slug, title, d in stories
    )
    news = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    )
    pages = '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>'
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{s.base}/maps/pages.xml</loc></sitemap>"
        f"<sitemap><loc>{s.base}/maps/news.xml</loc></sitemap></sitemapindex>"
    )
    _write(
        s.root,
        {
            "robots.txt": "User-agent: *\nDisallow: /private/\nSitemap: /maps/index.xml\n",
            "index.html": "<html><body><p>Pacific Review</p></body></html>",
            "maps/index.xml": index,
            "maps/pages.xml": pages,
            "maps/news.xml": news,
            **_article_files(stories),
        },
    )
    return s


def section_only(make) -> _Site:  # type: ignore[no-untyped-def]
    """No feed and no sitemap: a front page linking articles among menu links."""
    s = make("section")
    stories = _stories()
    links = "".join(f'<li><a href="/news/{slug}.html">{title}</a></li>' for slug, title, _ in stories)
    home = (
        '<html lang="en"><body><nav><a href="/">Home</a> <a href="/about.html">About</a> '
        f'<a href="/contact-us.html">Contact</a></nav><ul>{links}</ul></body></html>'
    )
    files = {f"news/{slug}.html": _article(title, d) for slug, title, d in stories}
    _write(s.root, {"index.html": home, **files})
    return s


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings for main(): loopback allowed, no politeness delay, a sources file with comments."""
    sources = tmp_path / "sources.yaml"
    sources.write_text("# Outlets we watch.\nsources:\n  # none yet\n", encoding="utf-8")
    monkeypatch.setenv("NEWSWATCH_SOURCES_FILE", str(sources))
    monkeypatch.setenv("NEWSWATCH_ALLOWED_NETWORKS", "127.0.0.1/32")
    monkeypatch.setenv("NEWSWATCH_PER_DOMAIN_DELAY", "0")
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'n.db'}")
    return sources


def _discover(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> tuple[int, dict]:
    code = main(["sources", "discover", url, "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_discover_finds_a_feed_linked_from_the_home_page(site, env, capsys) -> None:  # type: ignore[no-untyped-def]
    wp = wordpress(site)
    code, report = _discover(capsys, wp.base + "/")
    assert code == 0
    best = report["candidates"][0]
    assert (best["kind"], best["url"], best["found_by"]) == (
        "feed",
        wp.base + "/feed.xml",
        "link rel=alternate",
    )
    assert best["entries"] == 4 and best["dated_entries"] == 4
    assert best["newest_entries"][0]["title"] == "Harbour terminal story number 0"  # newest first
    assert len(best["samples"]) == 3
    sample = best["samples"][0]
    assert sample["headline"] == "Harbour terminal story number 0"
    assert sample["body_chars"] > 500 and sample["language"] == "en" and sample["published_at"]
    assert report["entry"] == {
        "name": "127.0.0.1-" + wp.base.rsplit(":", 1)[1],
        "feed": wp.base + "/feed.xml",
    }


def test_discover_from_an_article_page_looks_at_the_site_home(site, env, capsys) -> None:  # type: ignore[no-untyped-def]
    wp = wordpress(site)
    story = next(iter(_article_files(_stories(1))))
    code, report = _discover(capsys, f"{wp.base}/{story}", "--name", "harbour-times")
    assert code == 0 and report["entry"] == {"name": "harbour-times", "feed": wp.base + "/feed.xml"}


def test_discover_follows_robots_txt_to_the_news_child_of_a_sitemap_index(site, env, capsys) -> None:  # type: ignore[no-untyped-def]
    s = news_sitemap_site(site)
    code, report = _discover(capsys, s.base + "/")
    best = report["candidates"][0]
    assert code == 0
    assert (best["kind"], best["url"], best["found_by"]) == (
        "sitemap",
        s.base + "/maps/index.xml",
        "robots.txt Sitemap:",
    )
    assert best["read_from"] == s.base + "/maps/news.xml" and best["dated_entries"] == 4
    assert best["samples"] and all(x["body_chars"] > 500 for x in best["samples"])


def test_discover_falls_back_to_a_section_page_with_a_learned_link_pattern(site, env, capsys) -> None:  # type: ignore[no-untyped-def]
    s = section_only(site)
    code, report = _discover(capsys, s.base + "/")
    best = report["candidates"][0]
    assert code == 0 and best["kind"] == "section" and best["entries"] == 4
    entry = report["entry"]["section"]
    assert entry["url"] == s.base + "/"
    loaded = load_sources_from_text(env, report["entry"])  # the entry is one the pipeline accepts
    method = loaded.methods[0]
    assert method.kind == "section" and method.link_pattern == entry["link_pattern"]
    assert re.search(entry["link_pattern"], s.base + "/news/harbour-terminal-story-number-1.html")
    assert not re.search(entry["link_pattern"], s.base + "/contact-us.html")


def load_sources_from_text(path: Path, entry: dict):  # type: ignore[no-untyped-def,type-arg]
    path.write_text(yaml.safe_dump({"sources": [entry]}))
    loaded = load_sources(path)
    assert loaded.errors == []
    return loaded.sources[0]


def test_discover_on_a_dead_host_finds_nothing_and_says_so(env, capsys) -> None:  # type: ignore[no-untyped-def]
    base = f"http://127.0.0.1:{free_port()}"
    assert main(["sources", "discover", base + "/"]) == 1
    out = capsys.readouterr()
    assert f"could not read {base}/" in out.out and "no feed, sitemap or section page" in out.err


def test_discover_write_appends_the_entry_keeping_the_file_and_its_comments(site, env, capsys) -> None:  # type: ignore[no-untyped-def]
    wp = wordpress(site)
    before = env.read_text()
    assert main(["sources", "discover", wp.base + "/", "--name", "harbour-times", "--write"]) == 0
    after = env.read_text()
    assert after.startswith(before)  # every byte there before, comments included, is kept
    assert "# Outlets we watch." in after and "# none yet" in after
    assert [s.name for s in load_sources(env).sources] == ["harbour-times"]
    assert main(["sources", "discover", wp.base + "/", "--name", "harbour-times", "--write"]) == 2
    assert "already in" in capsys.readouterr().err and env.read_text() == after  # refused, unchanged


def _configure(path: Path, entries: list[dict]) -> None:  # type: ignore[type-arg]
    path.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False))


def test_check_passes_healthy_sources_and_warns_about_missing_dates(site, env, capsys) -> None:  # type: ignore[no-untyped-def]
    wp, maps = wordpress(site), news_sitemap_site(site)
    _write(wp.root, {"undated.xml": _rss(wp.base, _stories(), dated=False)})
    _configure(
        env,
        [
            {"name": "times", "feed": wp.base + "/feed.xml"},
            {"name": "undated", "feed": wp.base + "/undated.xml"},
            {"name": "review", "sitemap": maps.base + "/maps/index.xml"},
        ],
    )
    assert main(["sources", "check", "--format", "json"]) == 0
    report = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert report["times"]["broken"] is None and report["times"]["warnings"] == []
    assert report["times"]["robots"] == "allowed" and report["times"]["newest"]
    assert any("without dates" in w for w in report["undated"]["warnings"])
    assert report["review"]["dated_entries"] == 4


def test_check_warns_about_empty_bodies_and_the_wrong_language(site, env, capsys) -> None:  # type: ignore[no-untyped-def]
    s = site("odd")
    stories = _stories()
    _write(s.root, {"feed.xml": _rss(s.base, stories, lang="de"), **_article_files(stories, paragraphs=0)})
    _configure(env, [{"name": "odd", "feed": s.base + "/feed.xml"}])
    assert main(["sources", "check", "odd", "--format", "json"]) == 0
    warnings = json.loads(capsys.readouterr().out)[0]["warnings"]
    assert any(w.startswith("body empty") for w in warnings), warnings
    assert any(w.startswith("wrong language") for w in warnings), warnings


def test_check_exits_1_when_a_source_is_broken(site, env, capsys) -> None:  # type: ignore[no-untyped-def]
    wp = wordpress(site)
    _configure(
        env,
        [
            {"name": "times", "feed": wp.base + "/feed.xml"},
            {"name": "dead", "feed": f"http://127.0.0.1:{free_port()}/feed.xml"},
            {"name": "moved", "feed": wp.base + "/no-such-feed.xml"},
        ],
    )
    assert main(["sources", "check"]) == 1
    out = capsys.readouterr().out
    assert "times: OK" in out
    assert "dead: BROKEN: connection" in out or "dead: BROKEN: robots_unavailable" in out
    assert "moved: BROKEN: http_4xx" in out
    assert main(["sources", "check", "times"]) == 0  # only the named one
    assert main(["sources", "check", "nope"]) == 2


def test_list_shows_health_and_never_run_sources(env, db_url, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", db_url)
    _configure(
        env,
        [
            {"name": "fine", "feed": "http://127.0.0.1:1/a.xml"},
            {"name": "broken", "feed": "http://127.0.0.1:1/b.xml"},
            {"name": "brand-new", "feed": "http://127.0.0.1:1/c.xml"},
            {"name": "off", "enabled": False, "feed": "http://127.0.0.1:1/d.xml"},
        ],
    )
    engine = make_engine(db_url)
    try:
        settings = load_settings()
        record_source_run(engine, settings, "fine", "r1", {"ok": True, "started_at": NOW, "finished_at": NOW})
        record_source_run(
            engine,
            settings,
            "broken",
            "r1",
            {
                "ok": False,
                "started_at": NOW,
                "finished_at": NOW,
                "error_kind": "timeout",
                "error_message": "read timed out",
            },
        )
    finally:
        engine.dispose()
    assert main(["sources", "list", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert {n: r["state"] for n, r in rows.items()} == {
        "fine": "ok",
        "broken": "failing",
        "brand-new": "not yet run",
        "off": "disabled",
    }
    assert rows["broken"]["failures"] == 1 and rows["broken"]["last_error"].startswith(
        "timeout: read timed out"
    )
    assert main(["sources", "list"]) == 0
    text = capsys.readouterr().out
    assert "brand-new" in text and "not yet run" in text
