"""The one parse: inert markup stripped (JSON-LD kept), lxml tree, noscript only when asked."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from newswatch.extract.parse import parse_html, parse_html_stock, strip_inert
from newswatch.extract.scan import scan_page

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


AWKWARD_MARKUP = (
    '<?xml version="1.0"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml" xml:lang="de" '
    'xmlns:og="http://ogp.me/ns#"><head>\n  <meta property="og:title" content="T &amp; T">\n'
    '<link rel="canonical" href="/a?b=1&c=2">\n</head>\n<body>\n<div id=main class="post  body" hidden>'
    '\n <p data-x="1" data-x="2" checked>Eins <b>zwei<i>drei</b> vier<p>fünf<br>sechs\n'
    "<ruby>漢<rt>かん</rt></ruby>\n<table>\n<tr>\n<td>Zelle</td>\n<td>Zelle 2</table>\n"
    '<a href="/author/jo" rel="author" aria-label="">Jo</a></div>\n<span lang="">x</span> <b>y</b>\n'
    "<ul>\n  <li>eins</li>\n  <li>zwei <a href=/x>drei</a>\n</ul>\n<pre>\n  code\n</pre></body></html>"
)


def _pages() -> list[str]:
    return [AWKWARD_MARKUP, *(path.read_text(encoding="utf-8") for path in FIXTURES.glob("*.html"))]


def test_slim_builder_keeps_every_tag_and_attribute() -> None:
    for html in _pages():
        ours, stock = parse_html(html), parse_html_stock(html)
        assert [(tag.name, tag.attrs) for tag in ours.find_all(True)] == [
            (tag.name, tag.attrs) for tag in stock.find_all(True)
        ]


def test_the_scan_reads_the_slim_tree_as_the_stock_one() -> None:
    for html in _pages():
        for with_hidden in (False, True):
            ours = scan_page(parse_html(html), with_hidden=with_hidden)
            assert ours == scan_page(parse_html_stock(html), with_hidden=with_hidden)
            assert ours.blocks


def _strings(soup: BeautifulSoup) -> list[str]:
    return [str(text) for text in soup.find_all(string=True)]


def test_whitespace_between_blocks_is_no_node_but_words_stay_apart() -> None:
    soup = parse_html("<div>\n  <p>a <b>b</b> <i>c</i>&#160;</p>\n  <p>d</p>\n</div><pre>\n x\n</pre>")
    assert _strings(soup) == ["a ", "b", " ", "c", "\xa0", "d", "\n x\n"]
    assert soup.find("div").get_text(" ", strip=True) == "a b c d"  # type: ignore[union-attr]
    assert _strings(parse_html("<pre><div>a</div>\n<div>b</div></pre>")) == ["a", "\n", "b"]
    assert _strings(parse_html("<div><p>a</p>&#160;<p>b</p></div>")) == ["a", "\xa0", "b"]


def test_whitespace_before_a_hidden_block_stays() -> None:
    """The scan skips a hidden block without ending the text around it."""
    html = '<div>a<div hidden>x</div> <div style="display: none">y</div>b</div>'
    assert [block.text for block in scan_page(parse_html(html)).blocks] == ["a b"]
