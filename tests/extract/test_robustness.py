"""Garbage in, mostly-empty Article out: the extractor never crashes on what a page contains.

``extract_article`` hides a crash behind its last-resort handler (an empty Article and an ERROR
log line), so every case here runs under ``extract_cleanly``: a logged error fails the test.
"""

from __future__ import annotations

from extract_pages import extract_cleanly
from hypothesis import given, settings
from hypothesis import strategies as st
from newswatch.fetch.decode import decode_body
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
        article = extract_cleanly(html)
        assert isinstance(article, Article)
    assert extract_cleanly("").body == ""
    assert extract_cleanly("<html>").headline is None


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes(raw: bytes) -> None:
    text, _ = decode_body(raw, None)
    assert isinstance(extract_cleanly(text).body, str)


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
    article = extract_cleanly("".join(parts))
    assert article.published_at is None or article.published_at.tzinfo is not None


def test_bytes_decoded_by_the_fetch_decoder_give_the_same_article() -> None:
    html = '<html><head><meta charset="windows-1252"><title>Caf\xe9 news</title></head><body></body></html>'
    text, _ = decode_body(html.encode("cp1252"), None)
    assert extract_cleanly(text).headline == extract_cleanly(html).headline == "Café news"
