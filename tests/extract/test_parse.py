"""The one parse: inert markup stripped (JSON-LD kept), lxml tree, noscript only when asked."""

from __future__ import annotations

import warnings
from pathlib import Path

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from newswatch.extract.parse import parse_html, strip_inert

FIXTURES = Path(__file__).parent / "fixtures"


def test_scripts_styles_and_comments_go_but_json_ld_stays() -> None:
    html = (
        "<html><head><style>p{}</style><script>alert(1)</script>"
        '<script type="application/ld+json">{"@type": "NewsArticle"}</script></head>'
        "<body><!-- note --><p>Text</p><noscript><p>Shown without scripts</p></noscript></body></html>"
    )
    stripped = strip_inert(html)
    assert "alert(1)" not in stripped and "p{}" not in stripped and "note" not in stripped
    assert "NewsArticle" in stripped and "Shown without scripts" not in stripped
    assert "Shown without scripts" in strip_inert(html, keep_noscript=True)


def test_parse_keeps_class_as_plain_text() -> None:
    soup = parse_html('<div class="post body"><p>x</p></div>')
    assert soup.find("div")["class"] == "post body"  # type: ignore[index]


def _stock_parse(html: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(strip_inert(html), "lxml", multi_valued_attributes=None)


AWKWARD_MARKUP = (
    '<?xml version="1.0"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml" xml:lang="de" '
    'xmlns:og="http://ogp.me/ns#"><head><meta property="og:title" content="T &amp; T">'
    '<link rel="canonical" href="/a?b=1&c=2"></head><body><div id=main class="post  body" hidden>'
    '<p data-x="1" data-x="2" checked>Eins <b>zwei<i>drei</b> vier<p>fünf<br>sechs'
    "<ruby>漢<rt>かん</rt></ruby><table><tr><td>Zelle<td>Zelle 2</table>"
    '<a href="/author/jo" rel="author" aria-label="">Jo</a></div><span lang="">x</span>'
)


def test_slim_builder_builds_the_stock_builders_tree() -> None:
    pages = [AWKWARD_MARKUP, *(path.read_text(encoding="utf-8") for path in FIXTURES.glob("*.html"))]
    for html in pages:
        ours, stock = parse_html(html), _stock_parse(html)
        assert ours.decode() == stock.decode()
        assert [tag.attrs for tag in ours.find_all(True)] == [tag.attrs for tag in stock.find_all(True)]
