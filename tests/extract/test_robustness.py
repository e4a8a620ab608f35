"""Garbage in, mostly-empty Article out: the extractor never raises on what a page contains."""

from __future__ import annotations

import codecs

from hypothesis import given, settings
from hypothesis import strategies as st
from newswatch.extract import extract_article
from newswatch.extract.decode import decode_html
from newswatch.models import Article

GARBAGE = [
    "",
    " ",
    "\x00\x00",
    "<<<>>>",
    "<html>",
    "</p></div></body>",
    "<script>",
    "<!--",
    "<div>" * 5000 + "deep" + "</div>" * 5000,
    '<script type="application/ld+json">{"@graph": [[[[[[[[[[]]]]]]]]]], "datePublished": 5}</script>',
    '<meta property="article:published_time" content="99999-99-99"><time datetime="yesterday">x</time>',
    "<h1>" + "x" * 100_000 + "</h1>",
]


def test_known_garbage() -> None:
    for html in GARBAGE:
        article = extract_article(html)
        assert isinstance(article, Article)
    assert extract_article("").body == ""
    assert extract_article("<html>").headline is None


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes(raw: bytes) -> None:
    assert isinstance(extract_article(raw).body, str)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<div class='share'>",
                "</div>",
                "<a href=x>",
                "</a>",
                "<h1>",
                "</h1>",
                "<time datetime='2020-01-01'>",
                "Text, words.",
                "<br>",
                "<script type='application/ld+json'>{",
                "}</script>",
                "&amp;",
                "\u202e",
            ]
        ),
        max_size=60,
    )
)
def test_random_tag_soup(parts: list[str]) -> None:
    article = extract_article("".join(parts))
    assert article.published_at is None or article.published_at.tzinfo is not None


def test_decode_order_bom_then_meta_then_utf8() -> None:
    assert decode_html(codecs.BOM_UTF8 + "é".encode()) == "é"
    assert decode_html(codecs.BOM_UTF16_LE + "<p>é</p>".encode("utf-16-le")) == "<p>é</p>"
    latin = '<meta charset="iso-8859-1"><p>caf\xe9</p>'.encode("latin-1")
    assert "café" in decode_html(latin)
    assert "caf\ufffd" in decode_html(b"<p>caf\xe9</p>")
    assert decode_html('<meta charset="utf-8">€'.encode()) == '<meta charset="utf-8">€'
    assert "€" in decode_html(
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">\x80'
    )


def test_bytes_and_text_give_the_same_article() -> None:
    html = '<html><head><meta charset="windows-1252"><title>Caf\xe9 news</title></head><body></body></html>'
    assert extract_article(html.encode("cp1252")).headline == extract_article(html).headline == "Café news"
