"""The one BeautifulSoup(lxml) parse of a page.

Script bodies (except JSON-LD), style sheets, inline SVG, media, navigation and comments are cut
out with a regular expression first: they carry nothing we read, and BeautifulSoup spends Python
time on every node and attribute it builds, so not building them is the cheapest speed-up there is
(the parse is most of the extractor's time). Asides stay: some pages keep the article's date box in
one. A short <nav> sometimes holds a byline bar, but keeping those cost more headlines than it
won bylines on the extraction sets (README, Benchmarks), so every <nav> goes.

The tree is built by a slimmer subclass of BeautifulSoup's own lxml HTML builder (see
:class:`HtmlTreeBuilder`): the same tags and attributes, without the indentation between blocks.
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from bs4.builder import LXMLTreeBuilder
from bs4.element import AttributeDict

from newswatch.extract.scan import BLOCK_TAGS, is_hidden

# Elements whose content we never read, removed with their content.
_INERT_CONTAINERS = "style|svg|noscript|template|select|iframe|video|audio|picture|canvas|object|math|nav"
# Void elements we never read (a <link> is kept when it names the canonical URL).
_INERT_VOID = r"img|source|input|track|area|col|param|embed|wbr|link(?![^>]*canonical)"


def _strip_pattern(containers: str) -> re.Pattern[str]:
    return re.compile(
        # A JSON-LD block is matched whole first and kept, so a "<script>" inside its text cannot
        # start a match that eats its closing tag (and with it the rest of the page).
        r"<(?:(?P<keep>script\b(?=[^>]*ld\+json)[^>]*>.*?</script\s*)"
        r"|!--.*?--"
        r"|script\b(?![^>]*ld\+json)[^>]*>.*?</script\s*"
        rf"|(?P<tag>{containers})\b[^>]*>.*?</(?P=tag)\s*"
        rf"|(?:{_INERT_VOID})\b[^>]*"
        r")>",
        re.I | re.S,
    )


_STRIP = _strip_pattern(_INERT_CONTAINERS)
# For the second look at script-rendered pages, whose article's only copy sits in <noscript>.
_STRIP_KEEP_NOSCRIPT = _strip_pattern(_INERT_CONTAINERS.replace("|noscript", ""))


def _strip_one(match: re.Match[str]) -> str:
    return match.group(0) if match.group("keep") else " "


def strip_inert(html: str, keep_noscript: bool = False) -> str:
    """The page without scripts (JSON-LD kept), styles, media, navigation and comments."""
    return (_STRIP_KEEP_NOSCRIPT if keep_noscript else _STRIP).sub(_strip_one, html)


class HtmlTreeBuilder(LXMLTreeBuilder):
    """BeautifulSoup's lxml HTML tree builder, slimmed to what the scan reads (the parse is most of
    the extractor's time; ``tests/extract/test_parse.py`` checks the scan reads the same page).

    - For every tag the stock builder copies the attributes three times, twice in its ``start``
      and once in the new tag, each time through a Python-level ``__setitem__`` (XMLAttributeDict
      turns None and numbers into strings; lxml only ever hands over strings); it looks each name up
      for an XML namespace (lxml's HTML parser reports none) and flushes the pending text twice at
      every end tag. Here lxml's attributes go straight to the tag, which copies them once into a
      plain dict.
    - Most of a page's strings are the indentation between tags. Whitespace between two
      block tags' boundaries (``</li> <li>``, ``<ul> <li>``) becomes no node: the scan ends a
      block's text at each of them, so it never reads that whitespace. Hidden blocks are the
      exception (the scan skips them without ending the text), so before a hidden block's start
      tag the whitespace stays: "a<div hidden></div> <div hidden></div>b" still reads "a b".
      Inside <pre> whitespace is kept, and between inline tags (``</b> <i>``) it separates words,
      so it stays.

    It overrides two of the builder's callbacks and calls BeautifulSoup's own ``handle_starttag``
    and ``handle_endtag``, as the stock builder does; beautifulsoup4 is pinned, and the parse test
    fails if a new release builds a different tree or the scan reads it differently.
    """

    _after_block_boundary = False

    def start(self, tag: str, attrib: dict[str, str], nsmap: object = None) -> None:
        soup = self._drop_gap(tag, attrib)
        soup.handle_starttag(tag, None, None, attrib, namespaces=self.active_namespace_prefixes[-1])

    def end(self, tag: str) -> None:
        self._drop_gap(tag, None).handle_endtag(tag)  # which flushes the pending text itself

    def _drop_gap(self, tag: str, start_attrs: dict[str, str] | None) -> BeautifulSoup:
        """Forget pending whitespace-only text between this and the last tag, both blocks (unless
        this one opens a hidden block, see the class docstring); the soup being built."""
        soup = self.soup
        assert soup is not None  # set by BeautifulSoup before it feeds the parser
        block = tag in BLOCK_TAGS
        pending = soup.current_data
        if block and self._after_block_boundary and pending and not soup.preserve_whitespace_tag_stack:
            blank = not "".join(pending).strip(soup.ASCII_SPACES)  # what BeautifulSoup collapses, not NBSP
            if blank and not (start_attrs and is_hidden(start_attrs)):
                soup.current_data = []
        self._after_block_boundary = block
        return soup


def parse_html(html: str, keep_noscript: bool = False) -> BeautifulSoup:
    """Parse with BeautifulSoup's lxml tree builder (the product's one parse; a second one only
    for pages that show no article until a script runs, ``keep_noscript``)."""
    # Class and rel stay plain strings: splitting every multi-valued attribute costs time for
    # values we only ever search as text.
    builder = HtmlTreeBuilder(multi_valued_attributes=None, attribute_dict_class=AttributeDict)
    return _soup(strip_inert(html, keep_noscript), builder)


def parse_html_stock(html: str, keep_noscript: bool = False) -> BeautifulSoup:
    """The same parse with BeautifulSoup's own lxml builder: the reference the slim one must match
    (``tests/extract/test_parse.py`` and ``benchmarks/extraction_parse.py`` compare the two)."""
    return _soup(strip_inert(html, keep_noscript), LXMLTreeBuilder(multi_valued_attributes=None))


def _soup(markup: str, builder: LXMLTreeBuilder) -> BeautifulSoup:
    with warnings.catch_warnings():
        # XHTML pages served as HTML are still pages; the warning is noise in task logs.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, builder=builder)
