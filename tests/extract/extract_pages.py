"""Builders for small synthetic pages, one per extraction layer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from logged import logged_errors
from newswatch.extract import extract_article
from newswatch.models import Article, Hints
from newswatch.settings import Settings, load_settings

# Built once, from defaults only, so a developer's NEWSWATCH_* environment cannot change a result.
SETTINGS = load_settings(environ={})
# The fetch time every synthetic page is read at (the upper bound for plausible dates).
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

PROSE = (
    "The council approved the new budget on Tuesday, after a debate that lasted well into the night, "
    "and officials said the money would go to schools, roads and the city's ageing water network."
)


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    """A minimal news page: ``head`` goes into <head>, ``body`` before three prose paragraphs."""
    paragraphs = "\n".join(f"<p>{PROSE} Paragraph {n}.</p>" for n in range(3))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>T</title>{head}</head>'
        f'<body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article>{body}'
        f'<div class="article-body">{paragraphs}</div></article><footer>© Site</footer></body></html>'
    )


def paragraphs(count: int, label: str = "Part") -> str:
    """``count`` prose paragraphs, each ending "<label> <n>." so a test can tell which survived."""
    return "".join(f"<p>{PROSE} {label} {n}.</p>" for n in range(count))


def extract(
    html: str,
    url: str | None = None,
    hints: Hints | None = None,
    overrides: Mapping[str, str] | None = None,
    *,
    settings: Settings = SETTINGS,
    now: datetime = NOW,
) -> Article:
    """``extract_article`` with the tests' settings and fetch time."""
    return extract_article(html, url, hints, overrides, settings=settings, now=now)


def extract_cleanly(html: str, url: str | None = None) -> Article:
    """``extract`` that fails the test when extraction crashed behind its last-resort guard."""
    article, errors = logged_errors(lambda: extract(html, url))
    assert not errors, errors[0]
    return article
