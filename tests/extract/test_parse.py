"""The one parse: inert markup stripped (JSON-LD kept), lxml tree, noscript only when asked."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from newswatch.extract.parse import close_open_divs, parse_html, parse_html_stock, strip_inert
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


# A newsletter box in mid-article whose form leaves a <div> open: libxml2 ignores the box's
# </section> while the <div> is open, which keeps the box open over the rest of the article.
UNCLOSED_IN_BOX = (
    "<html><body><div class='story'><p>Before the box.</p>"
    "<div class='cta'><div class='wrap'><section class='signup'><div class='hero'><form>"
    "<h2>The Weekly</h2><div class='row'><div class='field'>Email</div></form>"
    "</div></div></section></div></div>"
    "<p>After the box.</p></div></body></html>"
)


def test_a_div_left_open_in_a_box_is_closed_at_the_box_end_as_browsers_do() -> None:
    for parse in (parse_html, parse_html_stock):
        after = parse(UNCLOSED_IN_BOX).find("p", string="After the box.")
        assert after is not None
        assert after.find_parent(class_="cta") is None
        assert after.parent["class"] == "story"  # type: ignore[index]


def test_a_div_left_open_in_a_list_item_does_not_swallow_the_next_items() -> None:
    soup = parse_html(
        "<html><body><div class='story'><ul><li><div class='card'>One</li><li>Two</li></ul>"
        "<p>After the list.</p></div></body></html>"
    )
    second = soup.find("li", string="Two")
    assert second is not None and second.find_parent(class_="card") is None
    assert soup.find("p").parent["class"] == "story"  # type: ignore[union-attr, index]


def test_a_div_that_a_table_cell_closed_gets_no_second_end_tag() -> None:
    # libxml2 closes the <div> at </td> itself; closing it again would close the page's wrapper.
    soup = parse_html(
        "<html><body><div class='page'><section><div class='box'><p>Box</p>"
        "<table><tr><td><div class='cell'>Cell</td></tr></table></section>"
        "<p>After the section.</p></div></body></html>"
    )
    after = soup.find("p", string="After the section.")
    assert after is not None and after.parent["class"] == "page"  # type: ignore[index]


def test_markup_whose_divs_close_needs_no_mending() -> None:
    balanced = (
        "<div><section><div/><div>x</div>"
        '<script type="application/ld+json">{"articleBody": "<div>quoted"}</script>'
        "<textarea><div></textarea></section></div>"
    )
    assert close_open_divs(balanced) is balanced
