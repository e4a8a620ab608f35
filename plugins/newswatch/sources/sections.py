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
    base = urljoin(page_url, str(base_href).strip()) if base_href else page_url
    pattern = re.compile(link_pattern)
    out: dict[str, None] = {}
    for href in doc.xpath("//a/@href"):
        url = urldefrag(urljoin(base, str(href).strip()))[0]
        if url.startswith(("http://", "https://")) and pattern.search(url):
            out.setdefault(url, None)
    return list(out)
