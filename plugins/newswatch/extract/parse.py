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
from collections.abc import Callable

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


# End tags that close whatever is still open inside their element, <div>s included (HTML's
# tree-building rule for these block elements). libxml2 ignores such an end tag while a <div> is
# open inside it, as its end-tag priorities rank a <div> above them: one unclosed <div> in a
# newsletter box or a list item then keeps the box open, and the rest of the article is read as
# part of the box. (A </form> leaves the <div>s open in HTML too; </span> and other inline end
# tags are ignored there too.)
_CLOSES_OPEN_DIVS = frozenset(
    "address article aside blockquote center details dialog dir dl fieldset figcaption figure footer "
    "header hgroup main menu nav ol section summary ul li dd dt h1 h2 h3 h4 h5 h6".split()
)
# End tags that libxml2 honours over an open <div> (as HTML does), closing it themselves.
_CLOSE_DIVS_THEMSELVES = frozenset("td th tr thead tbody tfoot table body html".split())
_MISMATCHED_END = re.compile(r"Opening and ending tag mismatch: (\w+) and ")
_TRACKED_TAG = re.compile(
    r"<(?P<raw>script|textarea)\b[^>]*>.*?</(?P=raw)\s*>"
    r"|<(?P<end>/?)(?P<name>"
    + "|".join(sorted({"div", *_CLOSES_OPEN_DIVS, *_CLOSE_DIVS_THEMSELVES}, key=len, reverse=True))
    + r")(?![\w:-])[^>]*?(?P<empty>/?)>",
    re.S | re.I,
)


def close_open_divs(markup: str) -> str:
    """``markup`` with a </div> written before each end tag of :data:`_CLOSES_OPEN_DIVS` for every
    <div> still open inside its element, so that libxml2 builds the tree a browser does.

    A walk over the tags, not a second parser (the product parses with lxml, and libxml2 has no
    option for HTML's rule): it follows only <div>s, the elements above and the table parts whose
    end tags close them; no start tag closes a <div> in libxml2. Markup that needs no such </div>
    comes back unchanged (the same object)."""
    stack: list[str] = []
    pieces: list[str] = []
    copied = 0
    for match in _TRACKED_TAG.finditer(markup):
        name = match.group("name")
        if name is None:
            continue  # a script's or a text area's text, which may spell tags
        name = name.lower()
        if not match.group("end"):
            if not match.group("empty"):  # libxml2 reads "<div/>" as an empty element
                stack.append(name)
            continue
        if name not in stack:
            continue  # a stray end tag, ignored by libxml2 and browsers alike
        depth = len(stack) - 1 - stack[::-1].index(name)
        left_open = stack[depth + 1 :].count("div")
        del stack[depth:]
        if left_open and name in _CLOSES_OPEN_DIVS:
            pieces.append(markup[copied : match.start()])
            pieces.append("</div>" * left_open)
            copied = match.start()
    if not pieces:
        return markup
    pieces.append(markup[copied:])
    return "".join(pieces)


def _ignored_block_end(builder: LXMLTreeBuilder) -> bool:
    """Whether libxml2 ignored an end tag of :data:`_CLOSES_OPEN_DIVS` in the parse just made
    (what :func:`close_open_divs` mends; most pages have none, and are parsed once)."""
    for entry in builder.parser.feed_error_log:
        if entry.type_name == "ERR_TAG_NAME_MISMATCH":
            found = _MISMATCHED_END.match(entry.message)
            if found and found.group(1).lower() in _CLOSES_OPEN_DIVS:
                return True
    return False


def _parse(markup: str, builder_for: Callable[[], LXMLTreeBuilder]) -> BeautifulSoup:
    """Parse ``markup``; parse it again with its <div>s closed where libxml2 left one open."""
    builder = builder_for()
    soup = _soup(markup, builder)
    if _ignored_block_end(builder):
        mended = close_open_divs(markup)
        if mended is not markup:
            soup = _soup(mended, builder_for())
    return soup


def _slim_builder() -> LXMLTreeBuilder:
    # Class and rel stay plain strings: splitting every multi-valued attribute costs time for
    # values we only ever search as text.
    return HtmlTreeBuilder(multi_valued_attributes=None, attribute_dict_class=AttributeDict)


def _stock_builder() -> LXMLTreeBuilder:
    return LXMLTreeBuilder(multi_valued_attributes=None)


def parse_html(html: str, keep_noscript: bool = False) -> BeautifulSoup:
    """Parse with BeautifulSoup's lxml tree builder (the product's one parse; a second one only
    for pages that show no article until a script runs, ``keep_noscript``, or whose <div>s libxml2
    left open, see :func:`close_open_divs`)."""
    return _parse(strip_inert(html, keep_noscript), _slim_builder)


def parse_html_stock(html: str, keep_noscript: bool = False) -> BeautifulSoup:
    """The same parse with BeautifulSoup's own lxml builder: the reference the slim one must match
    (``tests/extract/test_parse.py`` and ``benchmarks/extraction_parse.py`` compare the two)."""
    return _parse(strip_inert(html, keep_noscript), _stock_builder)


def _soup(markup: str, builder: LXMLTreeBuilder) -> BeautifulSoup:
    with warnings.catch_warnings():
        # XHTML pages served as HTML are still pages; the warning is noise in task logs.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, builder=builder)
