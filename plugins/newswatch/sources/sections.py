"""Article links on a section or front page: every ``<a href>`` whose absolute URL matches."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin

import lxml.html
from lxml import etree


def section_links(html: str, page_url: str, link_pattern: str) -> list[str]:
    """Absolute, fragment-free http(s) links matching ``link_pattern``, in page order, deduplicated."""
    if not html.strip():
        return []
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    base_href = next(iter(doc.xpath("//base/@href")), None)
    base = (_absolute(page_url, str(base_href)) if base_href else None) or page_url
    pattern = re.compile(link_pattern)
    out: dict[str, None] = {}
    for href in doc.xpath("//a/@href"):
        url = _absolute(base, str(href))
        if url and url.startswith(("http://", "https://")) and pattern.search(url):
            out.setdefault(url, None)
    return list(out)


def _absolute(base: str, href: str) -> str | None:
    """``href`` made absolute without its fragment; None when it is no URL (``http://[::1``)."""
    try:
        return urldefrag(urljoin(base, href.strip()))[0]
    except ValueError:
        return None
