"""Hostile or random query text never crashes the parser: it parses or raises QuerySyntaxError
with a position inside the text; whatever parses can be matched."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from newswatch.topics.query import Doc, QuerySyntaxError, match, parse_query

PIECES = st.sampled_from(
    [
        "russia",
        "korea*",
        '"north korea"',
        "AND",
        "OR",
        "NOT",
        "NEAR/3",
        "NEAR/",
        "(",
        ")",
        '"',
        "headline:",
        "lang:",
        "lang:en",
        "source:",
        "foo:",
        "*",
        "ab*",
        "é",
        "Ⅻ",
        "\u200b",
        "\x00",
        " ",
        "\n",
        "_",
        "-",
        ":",
    ]
)
DOC = Doc.from_parts(
    headline="North Korea and Russia", body="Russia met North Korea. Koreans agreed.", language="en"
)


def check(text: str) -> None:
    try:
        query = parse_query(text)
    except QuerySyntaxError as exc:
        assert 0 <= exc.position <= len(text)
        assert exc.pointer().splitlines()[-1].endswith("^")
        return
    match(query, DOC)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=12).map(" ".join))
def test_token_soup(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_text(text: str) -> None:
    check(text)


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("aZ9 _.-'’“”—…\u00a0éİßﬁ½Ⅻ\u0301\n")), max_size=60)
    | st.text(max_size=60)
)
def test_fast_and_careful_folding_agree(text: str) -> None:
    """The whole-text fast path and word-by-word folding give the same words, aligned with spans;
    text with Han, Kana or Hangul takes the script-aware analysis, whose spans hold its tokens."""
    from newswatch.topics.text import _TOKEN, Field, clean, fold, has_spaceless

    field = Field(text)
    assert len(field.norms) == len(field._spans[0])
    if has_spaceless(clean(text)):
        starts, ends = field._spans
        assert all(
            field.text[a:b] == n or fold(field.text[a:b]) == n
            for n, a, b in zip(field.norms, starts, ends, strict=True)
        )
        return
    assert field.norms == [fold(w) for w in _TOKEN.findall(clean(text))]
