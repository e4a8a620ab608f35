"""The one BeautifulSoup(lxml) parse of a page.

Script bodies (except JSON-LD), style sheets, inline SVG and comments are cut out with a regular
expression first: they carry nothing we read, and BeautifulSoup spends Python time on every node
and string it builds, so skipping them before the parse is the cheapest speed-up there is.
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

_STRIP = re.compile(
    r"<!--.*?-->"
    r"|<script\b(?![^>]*ld\+json)[^>]*>.*?</script\s*>"
    r"|<style\b[^>]*>.*?</style\s*>"
    r"|<svg\b[^>]*>.*?</svg\s*>",
    re.I | re.S,
)


def strip_inert(html: str) -> str:
    """The page without scripts (JSON-LD kept), styles, SVG and comments."""
    return _STRIP.sub(" ", html)


def parse_html(html: str) -> BeautifulSoup:
    """Parse with BeautifulSoup's lxml tree builder (the product's one parse)."""
    with warnings.catch_warnings():
        # XHTML pages served as HTML are still pages; the warning is noise in task logs.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(strip_inert(html), "lxml")
