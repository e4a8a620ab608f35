"""``newswatch extract FILE_OR_URL [--url URL] [--json]``: run the extractor on one page."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from newswatch.cli import CommandError
from newswatch.extract.article import extract_article
from newswatch.models import Article
from newswatch.settings import load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("extract", help="extract the article from a saved page or a URL")
    parser.add_argument(
        "source", metavar="FILE_OR_URL", help="an HTML file, '-' for stdin, or an http(s) URL"
    )
    parser.add_argument("--url", help="the page's URL, when SOURCE is a file (for URL dates and links)")
    parser.add_argument("--json", action="store_true", help="print the article as JSON")
    parser.set_defaults(func=run)


def fetch(url: str) -> bytes:
    """Fetch a page for the command line. Temporary: the pipeline's safe fetcher will replace it."""
    import requests

    settings = load_settings()
    try:
        response = requests.get(
            url,
            timeout=(settings.connect_timeout, settings.read_timeout),
            headers={"User-Agent": settings.user_agent},
        )
        response.raise_for_status()
    except requests.RequestException as exc:
        raise CommandError(f"cannot fetch {url}: {exc}") from None
    return response.content[: settings.max_page_bytes]


def read_source(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        return fetch(source)
    if source == "-":
        import sys

        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {source}: {exc.strerror}") from None


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def render(article: Article, as_json: bool) -> str:
    data = {key: _jsonable(value) for key, value in asdict(article).items()}
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2)
    lines = [f"{key}: {value}" for key, value in data.items() if key != "body"]
    return "\n".join([*lines, "", article.body])


def run(args: argparse.Namespace) -> int:
    url = args.url or (args.source if args.source.startswith(("http://", "https://")) else None)
    article = extract_article(read_source(args.source), url)
    print(render(article, args.json))
    return 0
