"""Time the extractor with its slim parse against BeautifulSoup's stock lxml builder.

Usage: .venv/bin/python benchmarks/extraction_parse.py [--data DIR] [--extra-data DIR] [--rounds N]

``extract/parse.py`` builds the tree with a subclass of BeautifulSoup's lxml HTML builder that
skips work the scan never needs (see :class:`newswatch.extract.parse.HtmlTreeBuilder`). This runs
``extract_article`` on every development page twice per round, once with each parse, alternating
which goes first, so both see the same machine load; it prints both medians and their ratio (the
baseline is the stock builder, measured in the same run), and how many text nodes each parse
builds on those pages (the whitespace between blocks is most of the stock builder's). It also
checks what the speed-up must not change: on every development page (from the first timed round)
and every extra page the two parses give the same article, field for field (exit 1 if one
differs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import newswatch.extract.article as article_module
import newswatch.extract.shipped as shipped_module
from bs4 import BeautifulSoup
from extraction import DEFAULT_DATA, EXTRA_DATA, load_cases, page_html
from newswatch.extract import extract_article
from newswatch.extract.parse import parse_html, parse_html_stock
from newswatch.settings import load_settings

Parse = Callable[..., BeautifulSoup]


@contextmanager
def parsing_with(parse: Parse) -> Iterator[None]:
    """The extractor's modules that parse pages use ``parse`` for the duration."""
    modules = (article_module, shipped_module)
    saved = [module.parse_html for module in modules]
    for module in modules:
        module.parse_html = parse  # type: ignore[assignment]
    try:
        yield
    finally:
        for module, original in zip(modules, saved, strict=True):
            module.parse_html = original  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the extraction-dev folder")
    parser.add_argument("--extra-data", type=Path, default=EXTRA_DATA, help="the extraction-extra folder")
    parser.add_argument("--rounds", type=int, default=2, help="timed passes over the development pages")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    settings, now = load_settings(), datetime.now(UTC)
    parses: dict[str, Parse] = {"stock builder": parse_html_stock, "slim builder": parse_html}

    def read(html: str, url: str | None, parse: Parse) -> tuple[str, float]:
        """The article (its repr, to compare field for field) and the seconds it took."""
        with parsing_with(parse):
            start = time.perf_counter()
            article = extract_article(html, url, settings=settings, now=now)
            return repr(article), time.perf_counter() - start

    dev = [(case, page_html(args.data, case)) for case in load_cases(args.data, None, None)]
    seconds: dict[str, list[float]] = {name: [] for name in parses}
    differing = []
    for round_number in range(args.rounds):
        for index, (case, html) in enumerate(dev):
            order = list(parses.items())
            if (index + round_number) % 2:
                order.reverse()
            articles: dict[str, str] = {}
            for name, parse in order:
                articles[name], took = read(html, case["url"] or None, parse)
                seconds[name].append(took)
            if round_number == 0 and len(set(articles.values())) > 1:
                differing.append(f"{case['set']}/{case['id']}")
    strings = {
        name: sum(len(parse(html).find_all(string=True)) for _, html in dev) for name, parse in parses.items()
    }
    for case in load_cases(args.extra_data, None, None):
        html, url = page_html(args.extra_data, case), case["url"] or None
        if len({read(html, url, parse)[0] for parse in parses.values()}) > 1:
            differing.append(f"{case['set']}/{case['id']}")

    base = statistics.median(seconds["stock builder"])
    print(f"extraction parse benchmark, {len(dev)} pages x {args.rounds}, {datetime.now():%Y-%m-%d %H:%M}")
    print("| parse | median ms per page | ratio | text nodes built |")
    print("|---|---|---|---|")
    for name, values in seconds.items():
        median = statistics.median(values)
        print(f"| {name} | {median * 1000:.2f} | {median / base:.3f} | {strings[name]:,} |")
    if differing:
        print(f"articles differ on {len(differing)} pages: {', '.join(differing[:10])}")
        return 1
    print("articles identical on every development and extra page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
