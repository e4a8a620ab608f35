"""Builders for small synthetic pages, one per extraction layer."""

from __future__ import annotations

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
