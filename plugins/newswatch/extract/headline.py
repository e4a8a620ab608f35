"""The headline: the visible ``<h1>`` when the page's metadata agrees with it, else the cleanest
metadata title (JSON-LD headline, og:title, ``<title>`` without the site name)."""

from __future__ import annotations

import re
from typing import Any

from newswatch.extract.jsonld import article_objects, first_string
from newswatch.extract.scan import Scan
from newswatch.extract.text import comparable, squash
from newswatch.extract.tuning import TUNING
from newswatch.models import Hints

_SITE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|«|»|·|•|/)\s+")
_HEADINGS = ("h1", "h2")
# A heading must cover this share of a declared title to count as the same headline.
_MIN_SHARE = 0.6


def metadata_titles(scan: Scan, objects: list[dict[str, Any]]) -> list[str]:
    """Titles the publisher declared for this article (JSON-LD, og/twitter/meta), best first."""
    titles: list[str] = []
    for obj in article_objects(objects)[:3]:
        value = first_string(obj.get("headline")) or first_string(obj.get("name"))
        if value:
            titles.append(value)
    metas = dict(reversed(scan.metas))
    for key in ("og:title", "twitter:title", "title", "dc.title", "headline", "sailthru.title"):
        if metas.get(key):
            titles.append(metas[key])
    return [squash(t) for t in titles if t and len(t) <= TUNING.max_headline_chars * 2]


def strip_site_name(title: str) -> str:
    """ "Headline | Site" → "Headline": the longest part between site-name separators."""
    parts = [p for p in _SITE_SEPARATORS.split(title) if p.strip()]
    return max(parts, key=len) if len(parts) > 1 else title


def _site_names(title: str | None) -> set[str]:
    """The parts of "Headline | Section | Site" other than the headline."""
    if not title:
        return set()
    parts = [p for p in _SITE_SEPARATORS.split(title) if p.strip()]
    longest = max(parts, key=len)
    return {comparable(p) for p in parts if p is not longest}


def _agrees(heading: str, titles: list[str]) -> bool:
    """Whether a heading is the declared title (or most of it), not just the site name inside it."""
    key = comparable(heading)
    if len(key) < 4:
        return False
    for title in titles:
        for form in (comparable(title), comparable(strip_site_name(title))):
            if key == form or (key in form and len(key) >= _MIN_SHARE * len(form)):
                return True
            if form in key and len(form) >= _MIN_SHARE * len(key):
                return True
    return False


def find_headline(scan: Scan, objects: list[dict[str, Any]], hints: Hints | None) -> str | None:
    """The article's headline, or None.

    A visible heading that agrees with a declared title wins (it is what readers see, without the
    site name); then the declared title; then the first ``<h1>``; then ``<title>`` minus the site.
    """
    declared = metadata_titles(scan, objects)
    if hints and hints.title:
        declared.append(squash(hints.title))
    titles = [*declared, scan.title] if scan.title else declared
    headings = [b for b in scan.blocks if b.tag in _HEADINGS and len(b.text) <= TUNING.max_headline_chars]
    for block in headings:
        if block.tag == "h1" and _agrees(block.text, titles):
            return squash(block.text)
    for block in headings:
        if block.neg_depth < 0 and _agrees(block.text, titles):
            return squash(block.text)
    if declared:
        return strip_site_name(declared[0])
    site_names = _site_names(scan.title)
    h1 = [b for b in headings if b.tag == "h1" and comparable(b.text) not in site_names]
    if h1:
        return squash(h1[0].text)
    return strip_site_name(scan.title) if scan.title else None


def headline_block(scan: Scan, headline: str | None) -> int | None:
    """Index of the block that shows the headline (dates and bylines sit around it)."""
    if not headline:
        return None
    key = comparable(headline)
    for index, block in enumerate(scan.blocks):
        if block.tag in _HEADINGS and comparable(block.text) == key:
            return index
    return None
