"""A synthetic many-outlet newsroom on loopback, for the cycle benchmark and the Celery test.

N outlets × M articles, each outlet on **its own loopback address** (127.0.1.1, 127.0.1.2, …; the
whole of 127.0.0.0/8 is loopback on Linux) so that the fetcher's per-domain politeness, which keys
on the host, treats them as the separate sites they stand for. Every response (robots.txt,
listings, articles, 304s) waits ``latency`` seconds first, like a real server across a network.

Outlets list their articles by RSS feed, Google News sitemap or section page in turn, and use one
of three page layouts (JSON-LD, microdata ``<time>``, a plain dateline) with realistic chrome:
menus, share bars, related links, inline scripts, a footer. A share of the articles are copies of
wire stories carried by many outlets (story clustering), and a few of those are about the example
topic (Russia–North Korea military ties), so a cycle ends in a known number of alert e-mails.
Content is a pure function of (seed, outlet, article, edition): two runs against one site see the
same bytes. Raising the edition updates the first article of every outlet (a new version).

Why not ``http.server``: a thread per listening socket and per connection does not scale to 1,000
outlets with 50 ms latency each. One asyncio event loop (uvicorn, already installed with Airflow)
serves every socket, and a response's latency is an ``await asyncio.sleep`` rather than a thread.

Run: ``python -m newswatch.demo.synthetic --outlets 200 --articles 20 --latency 0.05
--sources-file var/synthetic-sources.yaml``; the first line printed is a JSON object with the
outlet count and the first base URL, after the sources file is written.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import html
import json
import random
import re
import socket
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

LISTINGS = ("rss", "news-sitemap", "section")
LAYOUTS = ("jsonld", "microdata", "dateline")
# Loopback addresses per third octet (127.0.K.1-250): up to 250 × 250 outlets.
_PER_OCTET = 250
_ARTICLE_SUFFIX = re.compile(r"-(?P<outlet>\d+)-(?P<index>\d+)$")
ROBOTS_TXT = "User-agent: *\nDisallow: /subscribe\nDisallow: /search\n"

_WORDS = (
    "government officials said council minister budget plan report city residents police court "
    "judge company shares market investors quarter growth inflation bank rates housing schools "
    "teachers hospital doctors patients health study researchers university climate energy power "
    "prices fuel transport rail airport flights port trade exports imports union workers strike "
    "wages election party voters campaign parliament bill law reform tax spending deficit agency "
    "water floods storm weather farmers harvest festival museum exhibition film music football "
    "coach season match players league championship record fans stadium bridge road project "
    "construction contract tender deadline review inquiry evidence witnesses statement spokesman "
    "community local regional national international summit talks agreement deal partners "
    "technology startup software data privacy security online platform users service network"
).split()
_OPENERS = ("On Monday", "On Tuesday", "Late on Wednesday", "Early on Thursday", "On Friday",
            "Over the weekend", "This week", "Earlier this month")
_VERBS = ("announced", "confirmed", "warned", "said", "reported", "revealed", "argued", "suggested")

TOPIC_PARAGRAPHS = (
    "Russia and North Korea agreed to deepen military cooperation, officials in Moscow said, "
    "after talks that Western governments fear could lead to arms transfers and ammunition "
    "supplies for the war in Ukraine.",
    "Analysts said Pyongyang could send artillery shells and missiles to Russia in exchange for "
    "help with satellites and nuclear-capable weapons technology.",
    "The Kremlin denied that any arms deal had been signed, but said the two neighbours would "
    "hold joint military exercises next year.",
)


@dataclass(frozen=True)
class SiteConfig:
    outlets: int = 200
    articles: int = 20
    latency: float = 0.05
    seed: int = 7
    wire_stories: int = 12  # stories carried by many outlets
    wire_share: float = 0.15  # share of each outlet's articles that are wire copies
    topic_stories: int = 3  # wire stories about the example topic (each: one alert e-mail)
    gzip_level: int = 1  # compress when the client accepts gzip (as real sites do); 0 = never
    keep_alive: int = 30  # seconds an idle client connection stays open
    reference_time: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))


@dataclass(frozen=True)
class Article:
    outlet: int
    index: int
    slug: str
    headline: str
    section: str
    published: datetime
    updated: datetime | None
    authors: tuple[str, ...]
    paragraphs: tuple[str, ...]
    wire: int | None  # wire story number, None for the outlet's own story

    @property
    def path(self) -> str:
        return f"/{self.section}/{self.published:%Y/%m/%d}/{self.slug}-{self.outlet}-{self.index}"


def outlet_address(index: int) -> str:
    """The loopback address of outlet ``index`` (0-based)."""
    return f"127.0.{1 + index // _PER_OCTET}.{1 + index % _PER_OCTET}"


def outlet_name(index: int) -> str:
    return f"outlet-{index + 1:04d}"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(12, 22))]
    subject = " ".join(words[:3])
    rest = " ".join(words[3:])
    return f"{rng.choice(_OPENERS)}, the {subject} {rng.choice(_VERBS)} that {rest}."


def _paragraphs(rng: random.Random, count: int) -> list[str]:
    return [" ".join(_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(count)]


def _headline(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 10))]
    return " ".join(words).capitalize()


def _wire_story(config: SiteConfig, number: int) -> tuple[str, list[str]]:
    """Headline and paragraphs of wire story ``number``; the first few are about the topic."""
    rng = random.Random(f"{config.seed}-wire-{number}")
    paragraphs = _paragraphs(rng, rng.randint(8, 12))
    headline = _headline(rng)
    if number < config.topic_stories:
        headline = f"Russia and North Korea to expand military ties, talks {number + 1}"
        for offset, text in enumerate(TOPIC_PARAGRAPHS):
            paragraphs.insert(1 + 2 * offset, text)
    return headline, paragraphs


def make_article(config: SiteConfig, outlet: int, index: int, edition: int = 1) -> Article:
    """Article ``index`` of ``outlet`` as published in ``edition``: deterministic from the seed."""
    rng = random.Random(f"{config.seed}-{outlet}-{index}")
    wire_every = max(1, round(1 / config.wire_share)) if config.wire_share > 0 else 0
    wire = None
    if wire_every and index % wire_every == 0 and config.wire_stories > 0:
        wire = (outlet + index) % config.wire_stories
        headline, paragraphs = _wire_story(config, wire)
        paragraphs = [f"{outlet_name(outlet).upper()} (Wire) — {paragraphs[0]}", *paragraphs[1:]]
    else:
        headline, paragraphs = _headline(rng), _paragraphs(rng, rng.randint(8, 14))
    published = config.reference_time - timedelta(minutes=37 * index + outlet % 30 + 5)
    updated = None
    if edition >= 2 and index == 0:
        paragraphs = [*paragraphs, f"Update: {_sentence(random.Random(f'{config.seed}-u-{outlet}'))}"]
        updated = config.reference_time
    slug = "-".join(headline.lower().replace(",", "").split()[:6])
    authors = tuple(f"{rng.choice(_WORDS).capitalize()} {rng.choice(_WORDS).capitalize()}"
                    for _ in range(rng.randint(0, 2)))
    section = rng.choice(("world", "business", "local", "sport", "science"))
    return Article(
        outlet, index, slug, headline, section, published, updated, authors, tuple(paragraphs), wire
    )


def _chrome_links(rng: random.Random, count: int, prefix: str) -> str:
    return "\n".join(
        f'<li><a href="/{prefix}/{rng.choice(_WORDS)}-{i}">{html.escape(_headline(rng))}</a></li>'
        for i in range(count)
    )


def _dates_markup(article: Article, layout: str) -> str:
    updated = article.updated or article.published
    if layout == "microdata":
        return (f'<time itemprop="datePublished" datetime="{article.published.isoformat()}">'
                f'{article.published:%d %B %Y}</time> <time itemprop="dateModified" '
                f'datetime="{updated.isoformat()}">updated {updated:%H:%M}</time>')
    return f'<p class="dateline">Published {article.published:%d %B %Y, %H:%M} UTC</p>'


def _head_meta(article: Article, layout: str, url: str, outlet: str) -> str:
    e = html.escape
    meta = [f'<link rel="canonical" href="{e(url)}">',
            f'<meta property="og:title" content="{e(article.headline)}">',
            f'<meta property="og:url" content="{e(url)}">']
    if layout == "jsonld":
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.headline,
                "datePublished": article.published.isoformat(),
                "dateModified": (article.updated or article.published).isoformat(),
                "author": [{"@type": "Person", "name": a} for a in article.authors],
                "publisher": {"@type": "Organization", "name": outlet}, "mainEntityOfPage": url}
        meta.append('<script type="application/ld+json">'
                    + json.dumps(data).replace("</", "<\\/") + "</script>")
    return "\n  ".join(meta)


def render_article(config: SiteConfig, article: Article, base_url: str) -> str:
    """A full article page as a browser gets it, in the outlet's layout."""
    e = html.escape
    rng = random.Random(f"{config.seed}-chrome-{article.outlet}-{article.index}")
    layout = LAYOUTS[article.outlet % len(LAYOUTS)]
    outlet = outlet_name(article.outlet)
    url = base_url + article.path
    body = "\n".join(f"<p>{e(p)}</p>" for p in article.paragraphs)
    byline = " and ".join(f'<a rel="author" href="/authors/{e(a.lower().replace(" ", "-"))}">{e(a)}</a>'
                          for a in article.authors)
    comments = "".join(f"<p>{e(_sentence(rng))}</p>" for _ in range(4))
    script = "var cfg = " + json.dumps({"ads": [_headline(rng) for _ in range(40)]}) + ";"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
  <title>{e(article.headline)} | {e(outlet)}</title>
  {_head_meta(article, layout, url, outlet)}
  <script>{script}</script>
</head><body>
<header class="site-header"><a class="logo" href="/">{e(outlet)}</a>
<nav><ul>{_chrome_links(rng, 40, "section")}</ul></nav></header>
<div class="breaking">Breaking: {e(_headline(rng))}</div>
<main><article itemscope itemtype="https://schema.org/NewsArticle">
<h1 itemprop="headline">{e(article.headline)}</h1>
<p class="byline">{("By " + byline) if byline else ""}</p>
{_dates_markup(article, layout)}
<div class="share"><a href="#">Share</a><a href="#">Facebook</a><a href="#">X</a><a href="#">Email</a></div>
<div class="article-body" itemprop="articleBody">
{body}
</div></article>
<aside class="related"><h3>Most read</h3><ul>{_chrome_links(rng, 15, article.section)}</ul></aside>
<section class="comments"><h3>Comments</h3>{comments}</section>
</main>
<footer><ul>{_chrome_links(rng, 25, "about")}</ul><p>&copy; {e(outlet)}. A synthetic outlet.</p></footer>
</body></html>
"""


def _rss(name: str, items: list[Article], base_url: str) -> str:
    entries = "".join(
        f"<item><title>{xml_escape(a.headline)}</title><link>{xml_escape(base_url + a.path)}</link>"
        f"<pubDate>{format_datetime(a.updated or a.published)}</pubDate></item>\n"
        for a in items
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{name}'
            f"</title><link>{base_url}/</link>\n{entries}</channel></rss>\n")


def _news_sitemap(name: str, items: list[Article], base_url: str) -> str:
    entries = "".join(
        f"<url><loc>{xml_escape(base_url + a.path)}</loc>"
        f"<lastmod>{(a.updated or a.published).isoformat()}</lastmod>"
        f"<news:news><news:publication><news:name>{name}</news:name><news:language>en"
        f"</news:language></news:publication><news:publication_date>{a.published.isoformat()}"
        f"</news:publication_date><news:title>{xml_escape(a.headline)}</news:title></news:news></url>\n"
        for a in items
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
            'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            f"{entries}</urlset>\n")


def _section(name: str, items: list[Article]) -> str:
    links = "".join(
        f'<li><a href="{html.escape(a.path)}">{html.escape(a.headline)}</a></li>\n' for a in items
    )
    return (f"<!DOCTYPE html><html><head><title>{name}</title></head><body><header><a href='/'>{name}</a>"
            f"<a href='/subscribe'>Subscribe</a></header><main><ul>\n{links}</ul></main></body></html>\n")


def render_listing(kind: str, name: str, items: list[Article], base_url: str) -> tuple[str, str]:
    """(body, content type) of an outlet's listing: RSS, Google News sitemap or section page."""
    if kind == "rss":
        return _rss(name, items, base_url), "application/rss+xml; charset=utf-8"
    if kind == "news-sitemap":
        return _news_sitemap(name, items, base_url), "application/xml; charset=utf-8"
    return _section(name, items), "text/html; charset=utf-8"


def listing_path(kind: str) -> str:
    return {"rss": "/rss.xml", "news-sitemap": "/news-sitemap.xml", "section": "/latest/"}[kind]


def listing_kind(outlet: int) -> str:
    return LISTINGS[outlet % len(LISTINGS)]


class SyntheticSite:
    """Every outlet's socket served by one uvicorn event loop in a background thread.

    Use as a context manager, or ``start()`` / ``close()``. ``edition`` may be raised at any time.
    """

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self.edition = 1
        self.requests = 0
        self._sockets = [_bind(outlet_address(i)) for i in range(config.outlets)]
        self._by_address = {s.getsockname(): i for i, s in enumerate(self._sockets)}
        self.base_urls = [f"http://{host}:{port}" for host, port in (s.getsockname() for s in self._sockets)]
        self._listings: dict[tuple[int, int], tuple[str, str]] = {}
        self._server = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> SyntheticSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> SyntheticSite:
        import uvicorn

        config = uvicorn.Config(self._app, interface="asgi3", lifespan="off", access_log=False,
                                log_level="warning", server_header=False,
                                timeout_keep_alive=self.config.keep_alive)
        self._server = uvicorn.Server(config)
        started = threading.Event()

        def run() -> None:
            asyncio.run(self._serve(started))

        self._thread = threading.Thread(target=run, name="synthetic-site", daemon=True)
        self._thread.start()
        if not started.wait(30):
            raise RuntimeError("the synthetic site did not start")
        return self

    async def _serve(self, started: threading.Event) -> None:
        assert self._server is not None
        task = asyncio.create_task(self._server.serve(sockets=self._sockets))
        while not self._server.started and not task.done():
            await asyncio.sleep(0.01)
        started.set()
        await task

    def close(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        for sock in self._sockets:
            sock.close()

    def articles(self, outlet: int) -> list[Article]:
        return [make_article(self.config, outlet, i, self.edition) for i in range(self.config.articles)]

    def respond(self, outlet: int, path: str) -> tuple[int, str, str, datetime | None]:
        """(status, body, content type, last modified) for ``path`` on ``outlet``."""
        base = self.base_urls[outlet]
        if path == "/robots.txt":
            return 200, ROBOTS_TXT, "text/plain; charset=utf-8", None
        kind = listing_kind(outlet)
        if path == listing_path(kind) or path == "/":
            body, ctype = self._listing(outlet, self.edition)
            return 200, body, ctype, None
        article = self._article_at(outlet, path)
        if article is None:
            return 404, "<h1>Not found</h1>", "text/html; charset=utf-8", None
        modified = article.updated or article.published
        return 200, render_article(self.config, article, base), "text/html; charset=utf-8", modified

    def _listing(self, outlet: int, edition: int) -> tuple[str, str]:
        """Listings are cached per edition: rendering one builds every article of the outlet."""
        key = (outlet, edition)
        if key not in self._listings:
            self._listings[key] = render_listing(
                listing_kind(outlet), outlet_name(outlet), self.articles(outlet), self.base_urls[outlet]
            )
        return self._listings[key]

    def _article_at(self, outlet: int, path: str) -> Article | None:
        """The article whose path this is (its index is the path's last number), else None."""
        match = _ARTICLE_SUFFIX.search(path)
        if match is None or int(match["outlet"]) != outlet or int(match["index"]) >= self.config.articles:
            return None
        article = make_article(self.config, outlet, int(match["index"]), self.edition)
        return article if article.path == path else None

    async def _app(self, scope: dict, receive: Callable[[], Awaitable[dict]],
                   send: Callable[[dict], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            return
        self.requests += 1
        await asyncio.sleep(self.config.latency)
        outlet = self._by_address[tuple(scope["server"])]
        status, text, ctype, modified = self.respond(outlet, scope["path"])
        headers = dict((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope["headers"])
        await _send(send, status, text.encode("utf-8"), ctype, modified, headers, self.config.gzip_level)


async def _send(send: Callable[[dict], Awaitable[None]], status: int, body: bytes, ctype: str,
                modified: datetime | None, request_headers: dict[str, str], gzip_level: int) -> None:
    """Answer with ETag / Last-Modified, a 304 when the client's validator matches, gzip if accepted."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    if status == 200 and etag in request_headers.get("if-none-match", ""):
        await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", etag.encode())]})
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [(b"content-type", ctype.encode()), (b"server", b"newswatch-synthetic/1")]
    if status == 200:
        headers.append((b"etag", etag.encode()))
    if modified is not None:
        headers.append((b"last-modified", format_datetime(modified.astimezone(UTC), usegmt=True).encode()))
    if gzip_level and "gzip" in request_headers.get("accept-encoding", ""):
        body = gzip.compress(body, compresslevel=gzip_level, mtime=0)
        headers.append((b"content-encoding", b"gzip"))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _bind(address: str) -> socket.socket:
    """A listening socket whose connections send at once: the ASGI server writes a response's
    headers and body separately, and without TCP_NODELAY (inherited by accepted sockets) every
    response on a kept-alive connection waited about 40 ms for the client's delayed ACK."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((address, 0))
    sock.listen(4096)
    sock.setblocking(False)
    return sock


def sources_yaml(base_urls: list[str], poll_interval: float | None = None) -> str:
    """A sources file naming every outlet with its listing (feed, news sitemap or section page).

    ``poll_interval`` (seconds) is written into every entry when given; 0 polls on every cycle.
    """
    lines = ["# Generated by newswatch.demo.synthetic: one source per synthetic outlet.", "sources:"]
    for index, base in enumerate(base_urls):
        kind = listing_kind(index)
        lines.append(f"  - name: {outlet_name(index)}")
        if poll_interval is not None:
            lines.append(f"    poll_interval: {poll_interval:g}")
        url = base + listing_path(kind)
        if kind == "rss":
            lines.append(f"    feed: {url}")
        elif kind == "news-sitemap":
            lines.append(f"    sitemap: {url}")
        else:
            lines += ["    section:", f"      url: {url}", "      link_pattern: '/\\d{4}/\\d{2}/\\d{2}/'"]
    return "\n".join(lines) + "\n"


def expected_topic_stories(config: SiteConfig) -> int:
    """How many distinct topic stories the site carries (one alert e-mail each on a first cycle)."""
    carried = {make_article(config, o, i).wire for o in range(config.outlets) for i in range(config.articles)}
    return len({w for w in carried if w is not None and w < config.topic_stories})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a synthetic many-outlet newsroom on loopback.")
    parser.add_argument("--outlets", type=int, default=200)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds before every response")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sources-file", type=Path, required=True, help="where to write sources.yaml")
    parser.add_argument("--edition-file", type=Path, help="file holding the edition, re-read every second")
    parser.add_argument("--poll-interval", type=float, help="poll_interval (seconds) for every source")
    args = parser.parse_args(argv)
    site = SyntheticSite(SiteConfig(args.outlets, args.articles, args.latency, args.seed)).start()
    args.sources_file.write_text(sources_yaml(site.base_urls, args.poll_interval))
    print(json.dumps({"outlets": len(site.base_urls), "first": site.base_urls[0]}), flush=True)
    try:
        while True:
            if args.edition_file and args.edition_file.exists():
                site.edition = int(args.edition_file.read_text().strip() or 1)
            threading.Event().wait(1)
    except KeyboardInterrupt:
        pass
    finally:
        site.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
