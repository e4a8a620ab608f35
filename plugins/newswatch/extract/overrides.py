"""Per-site CSS selectors from the source configuration, which win over every heuristic.

Keys: ``headline``, ``body``, ``published``, ``updated``, ``authors``. A selector that matches
nothing (the site changed its markup) falls back to the heuristics instead of emptying the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bs4 import BeautifulSoup, Tag
from soupsieve import SelectorSyntaxError

from newswatch.extract.dates.parse import parse_date
from newswatch.extract.dates.written import labelled_dates
from newswatch.extract.scan import scan_element

OVERRIDE_KEYS = frozenset({"headline", "body", "published", "updated", "authors"})


def select(soup: BeautifulSoup, overrides: Mapping[str, str] | None, key: str) -> list[Tag]:
    """Elements the override for ``key`` selects (empty when absent, invalid or unmatched)."""
    selector = (overrides or {}).get(key)
    if not selector:
        return []
    try:
        return list(soup.select(selector))
    except (SelectorSyntaxError, ValueError, NotImplementedError):
        return []


def text_of(tags: list[Tag]) -> str | None:
    """The joined visible text of the first selected element."""
    if not tags:
        return None
    text = " ".join(tags[0].get_text(" ").split())
    return text or None


def body_of(tags: list[Tag]) -> str | None:
    """Paragraphs of the selected elements, boilerplate containers inside them removed."""
    paragraphs: list[str] = []
    for tag in tags:
        # The selected element itself may carry a boilerplate-looking class; only what is inside counts.
        paragraphs.extend(b.text for b in scan_element(tag).blocks if b.neg_depth <= 0)
    return "\n\n".join(paragraphs) or None


def date_of(tags: list[Tag], month_first: bool) -> datetime | None:
    """A date from the selected element's ``datetime``/``content`` attribute or its text."""
    for tag in tags:
        raw = tag.attrs.get("datetime") or tag.attrs.get("content")
        if isinstance(raw, str):
            value = parse_date(raw)
            if value:
                return value
        text = tag.get_text(" ", strip=True)
        published, updated = labelled_dates(text, month_first)
        value = published or updated or parse_date(text)
        if value:
            return value
    return None
