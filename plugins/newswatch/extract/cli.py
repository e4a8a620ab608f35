"""``newswatch extract FILE_OR_URL [--url URL] [--json]``: run the extractor on one page.

A URL is fetched by the pipeline's own fetcher (network guard, robots, byte caps, deadline) and
a file's bytes go through the fetch layer's decoder, so the command sees a page exactly as an
ingest run would.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from newswatch.cli import CommandError
from newswatch.extract.article import extract_article
from newswatch.fetch.client import Fetcher
from newswatch.fetch.decode import decode_body
from newswatch.models import Article
from newswatch.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("extract", help="extract the article from a saved page or a URL")
    parser.add_argument(
        "source", metavar="FILE_OR_URL", help="an HTML file, '-' for stdin, or an http(s) URL"
    )
    parser.add_argument("--url", help="the page's URL, when SOURCE is a file (for URL dates and links)")
    parser.add_argument("--json", action="store_true", help="print the article as JSON")
    parser.set_defaults(func=run)


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def fetch(url: str, settings: Settings) -> str:
    """The page's text as the pipeline would fetch it; a failed fetch is a one-line error."""
    with Fetcher(settings) as fetcher:
        result = fetcher.fetch(url)
    if not result.ok or result.text is None:
        raise CommandError(f"cannot fetch {url}: {result.error_kind}: {result.error_message}")
    return result.text


def read_file(source: str) -> str:
    """A saved page (or stdin for '-'), decoded by the same rules as a fetched one."""
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {source}: {exc.strerror}") from None
    return decode_body(raw, None)[0]


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def render(article: Article, as_json: bool) -> str:
    data = {key: _jsonable(value) for key, value in asdict(article).items()}
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2)
    lines = [f"{key}: {value}" for key, value in data.items() if key != "body"]
    return "\n".join([*lines, "", article.body])


def run(args: argparse.Namespace) -> int:
    settings: Settings = args.settings  # built once by newswatch.cli.main
    now = datetime.now(UTC)
    text = fetch(args.source, settings) if is_url(args.source) else read_file(args.source)
    url = args.url or (args.source if is_url(args.source) else None)
    article = extract_article(text, url, settings=settings, now=now)
    print(render(article, args.json))
    return 0
