"""The demo newsroom: three fictional outlets served on 127.0.0.1, one port each, and two guest
outlets (Korean, Russian) served under a path prefix on two of those ports.

Each outlet lists its articles one way (RSS feed, Google News sitemap, or a section page),
answers conditional GETs (ETag / Last-Modified), and serves a robots.txt. The phase is read
from a file on every request, so ``make run`` can publish the update between two cycles
without restarting the server.

Run: ``python -m newswatch.demo.site --ports 8701,8702,8703 --phase-file var/demo/phase``;
the first line printed is a JSON object mapping outlet keys to base URLs.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import sys
import threading
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from newswatch.demo.content import (
    ALL_OUTLETS,
    GUEST_OUTLETS,
    OUTLETS,
    DemoArticle,
    Outlet,
    articles_for_phase,
)

_RU_MONTHS = (
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
)


def _display_date(moment, language: str = "en") -> str:  # type: ignore[no-untyped-def]
    """The date as the outlet's readers see it (2023년 9월 18일, 18 сентября 2023, September 18, 2023)."""
    if language == "ko":
        return f"{moment.year}년 {moment.month}월 {moment.day}일"
    if language == "ru":
        return f"{moment.day} {_RU_MONTHS[moment.month - 1]} {moment.year}"
    return f"{moment:%B} {moment.day}, {moment:%Y}"


def _article_json_ld(article: DemoArticle, url: str, outlet: Outlet) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "datePublished": article.published.isoformat(),
        "dateModified": (article.updated or article.published).isoformat(),
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": outlet.name},
        "author": [{"@type": "Person", "name": a} for a in article.authors],
        "inLanguage": outlet.language,
    }
    # A JSON-LD block must not be able to close its <script> element.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def render_article(article: DemoArticle, base_url: str) -> str:
    """The article page as a reader's browser gets it: chrome, share bar, body, related links."""
    outlet = ALL_OUTLETS[article.outlet]
    url = base_url + article.path
    e = html.escape
    dates = f"Published {_display_date(article.published, outlet.language)}"
    if article.updated:
        dates += f' <span class="updated">Updated {_display_date(article.updated, outlet.language)}</span>'
    byline = ""
    if article.authors:
        byline = '<p class="byline">By ' + " and ".join(
            f'<a rel="author" href="/authors/{e(a.lower().replace(" ", "-"))}">{e(a)}</a>'
            for a in article.authors
        ) + "</p>"
    body = "\n".join(f"      <p>{e(p)}</p>" for p in article.paragraphs)
    related = "\n".join(
        f'        <li><a href="{e(other.path)}">{e(other.headline)}</a></li>'
        for other in articles_for_phase(1)
        if other.outlet == article.outlet and other.slug != article.slug
    )
    return f"""<!DOCTYPE html>
<html lang="{outlet.language}">
<head>
  <meta charset="utf-8">
  <title>{e(article.headline)} | {e(outlet.name)}</title>
  <link rel="canonical" href="{e(url)}">
  <meta property="og:title" content="{e(article.headline)}">
  <meta property="og:url" content="{e(url)}">
  <meta property="og:type" content="article">
  <meta property="article:published_time" content="{article.published.isoformat()}">
  <script type="application/ld+json">{_article_json_ld(article, url, outlet)}</script>
</head>
<body>
  <header class="masthead"><a href="/">{e(outlet.name)}</a>
    <nav><a href="/">Home</a> <a href="/section/world">World</a> <a href="/section/asia">Asia</a>
      <a href="/section/sport">Sport</a> <a href="/subscribe">Subscribe</a></nav>
  </header>
  <main>
    <p class="breadcrumbs"><a href="/">Home</a>
      <a href="/section/{e(article.section)}">{e(article.section)}</a></p>
    <article>
      <h1>{e(article.headline)}</h1>
      <h2 class="standfirst">{e(article.headline)}</h2>
      {byline}
      <p class="dateline">{dates}</p>
      <div class="share-bar">
        <button>Bookmark</button><button>Bookmark</button><button>Share</button>
        <a href="#">WhatsApp</a><a href="#">Telegram</a><a href="#">Facebook</a>
        <a href="#">Twitter</a><a href="#">Email</a><a href="#">LinkedIn</a>
      </div>
      <div class="article-body">
{body}
      </div>
    </article>
    <aside class="related"><h3>Read next</h3>
      <ul>
{related}
      </ul>
    </aside>
    <div class="newsletter">Sign up for our daily briefing. <a href="/subscribe">Subscribe</a></div>
  </main>
  <footer>&copy; 2023 {e(outlet.name)}. All rights reserved. A demo site of newswatch.</footer>
</body>
</html>
"""


def render_rss(outlet: Outlet, items: list[DemoArticle], base_url: str) -> str:
    """The outlet's feed. Like many real feeds it carries no dates, and an item keeps its GUID and
    title when the article is updated: the update is found only by revisiting the article."""
    entries = "\n".join(
        f"""    <item>
      <title>{xml_escape(a.headline)}</title>
      <link>{xml_escape(base_url + a.path)}</link>
      <guid isPermaLink="true">{xml_escape(base_url + a.path)}</guid>
    </item>"""
        for a in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>{xml_escape(outlet.name)}</title>
    <link>{xml_escape(base_url)}/</link>
    <description>Latest news</description>
{entries}
  </channel>
</rss>
"""


def render_news_sitemap(outlet: Outlet, items: list[DemoArticle], base_url: str) -> str:
    entries = "\n".join(
        f"""  <url>
    <loc>{xml_escape(base_url + a.path)}</loc>
    <lastmod>{(a.updated or a.published).isoformat()}</lastmod>
    <news:news>
      <news:publication><news:name>{xml_escape(outlet.name)}</news:name><news:language>{outlet.language}</news:language></news:publication>
      <news:publication_date>{a.published.isoformat()}</news:publication_date>
      <news:title>{xml_escape(a.headline)}</news:title>
    </news:news>
  </url>"""
        for a in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{entries}
</urlset>
"""


def render_section(outlet: Outlet, items: list[DemoArticle]) -> str:
    links = "\n".join(
        f'    <li><a href="{html.escape(a.path)}">{html.escape(a.headline)}</a></li>' for a in items
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(outlet.name)}</title></head>
<body><header><a href="/">{html.escape(outlet.name)}</a> <a href="/about">About us</a>
<a href="/subscribe">Subscribe</a></header>
<main><h1>Latest</h1><ul>
{links}
</ul></main></body></html>
"""


ROBOTS_TXT = "User-agent: *\nDisallow: /subscribe\n"


class NewsroomState:
    """What every handler needs: outlet base URLs and where the phase is read from."""

    def __init__(self, phase_file: Path | None, fixed_phase: int) -> None:
        self.phase_file = phase_file
        self.fixed_phase = fixed_phase
        self.base_urls: dict[str, str] = {}
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []  # (outlet, path), for tests and the summary

    def phase(self) -> int:
        if self.phase_file and self.phase_file.exists():
            try:
                return int(self.phase_file.read_text().strip() or self.fixed_phase)
            except ValueError:
                return self.fixed_phase
        return self.fixed_phase


def _served_outlet(host: Outlet, path: str) -> tuple[Outlet, str]:
    """The outlet a path on ``host``'s port belongs to (a guest under its prefix), and the path
    within that outlet."""
    for guest in GUEST_OUTLETS.values():
        if guest.host == host.key and (path == guest.prefix or path.startswith(guest.prefix + "/")):
            return guest, path[len(guest.prefix) :] or "/"
    return host, path


def make_handler(outlet: Outlet, state: NewsroomState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "newswatch-demo/1"

        def log_message(self, format: str, *args: object) -> None:
            return  # quiet: the summary counts requests instead

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/robots.txt":
                return self._send(ROBOTS_TXT, "text/plain; charset=utf-8")
            served, path = _served_outlet(outlet, path)
            with state.lock:
                state.requests.append((served.key, self.path))
            base = state.base_urls[served.key]
            items = [a for a in articles_for_phase(state.phase()) if a.outlet == served.key]
            if path == "/rss.xml":
                return self._send(render_rss(served, items, base), "application/rss+xml; charset=utf-8")
            if path == "/news-sitemap.xml":
                return self._send(render_news_sitemap(served, items, base), "application/xml; charset=utf-8")
            if path in ("/", "/section/latest"):
                return self._send(render_section(served, items), "text/html; charset=utf-8")
            for article in items:
                if article.path == path:
                    modified = article.updated or article.published
                    return self._send(render_article(article, base), "text/html; charset=utf-8", modified)
            self._send("<h1>Not found</h1>", "text/html; charset=utf-8", status=404)

        def _send(self, text: str, content_type: str, modified=None, status: int = 200) -> None:  # type: ignore[no-untyped-def]
            body = text.encode("utf-8")
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if status == 200 and self._not_modified(etag, modified):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if status == 200:
                self.send_header("ETag", etag)
                if modified is not None:
                    self.send_header("Last-Modified", format_datetime(modified.astimezone(UTC), usegmt=True))
            self.end_headers()
            self.wfile.write(body)

        def _not_modified(self, etag: str, modified) -> bool:  # type: ignore[no-untyped-def]
            if_none_match = self.headers.get("If-None-Match")
            if if_none_match is not None:
                return etag in [t.strip() for t in if_none_match.split(",")]
            since = self.headers.get("If-Modified-Since")
            if since and modified is not None:
                try:
                    return modified <= parsedate_to_datetime(since)
                except (TypeError, ValueError):
                    return False
            return False

    return Handler


class Newsroom:
    """All outlets' servers in one process (daemon threads); ``close()`` stops them."""

    def __init__(self, ports: list[int], phase_file: Path | None = None, phase: int = 1) -> None:
        self.state = NewsroomState(phase_file, phase)
        self.servers: list[ThreadingHTTPServer] = []
        for outlet, port in zip(OUTLETS.values(), ports, strict=True):
            server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(outlet, self.state))
            server.daemon_threads = True
            self.state.base_urls[outlet.key] = f"http://127.0.0.1:{server.server_address[1]}"
            self.servers.append(server)
        for guest in GUEST_OUTLETS.values():
            self.state.base_urls[guest.key] = self.state.base_urls[str(guest.host)] + guest.prefix
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()

    @property
    def base_urls(self) -> dict[str, str]:
        return dict(self.state.base_urls)

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the newswatch demo newsroom on 127.0.0.1.")
    parser.add_argument("--ports", default="0,0,0", help="one port per outlet (0 = any free port)")
    parser.add_argument("--phase-file", type=Path, help="file holding the phase (1 or 2), read per request")
    parser.add_argument("--phase", type=int, default=1, help="phase when no phase file exists")
    args = parser.parse_args(argv)
    ports = [int(p) for p in args.ports.split(",")]
    if len(ports) != len(OUTLETS):
        parser.error(f"--ports needs {len(OUTLETS)} ports, one per outlet")
    newsroom = Newsroom(ports, args.phase_file, args.phase)
    print(json.dumps(newsroom.base_urls), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        newsroom.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
