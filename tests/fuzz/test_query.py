"""Fuzz the topic query language: parser and matcher.

Contract: ``parse_query`` returns a :class:`Query` or raises :class:`QuerySyntaxError` (its one
documented error) whose position lies inside the text; a query that parses can be matched
against any article without raising, and its evidence points at real text.
"""

from __future__ import annotations

from fuzzing import budget, tried
from hypothesis import example, given
from hypothesis import strategies as st
from newswatch.topics.query import Doc, Query, QuerySyntaxError, match, parse_query

TOKENS = st.sampled_from(
    ["AND", "OR", "NOT", "NEAR/", "NEAR/3", "NEAR/0", "NEAR/99999999999999999999", "(", ")", '"', "*",
     "headline:", "body:", "source:", "lang:", "en", "pt-br", "foo:", "russia", "militar*", "a*", "ab*",
     "Ωμέγα", "北朝鮮", "naïve", "-", "_", "'", "\\", "\x00", "\u200b", " ", "\t", "\n", '"north korea"',
     '""', "russia*", "***", "x" * 200]
)
QUERIES = st.lists(TOKENS, max_size=25).map(" ".join) | st.lists(TOKENS, max_size=25).map("".join) | st.text(
    max_size=80
)
VOCABULARY = ["Russia", "north", "Korea", "military", "militaria", "Ωμέγα", "北朝鮮", ".", "\n", "naive"]
TEXTS = st.text(max_size=200) | st.lists(st.sampled_from(VOCABULARY), max_size=60).map(" ".join)
TERMS = st.sampled_from(["russia", "militar*", '"north korea"', "Ωμέγα", "北朝鮮", "naïve", "korea"])


def _combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from([" AND ", " OR ", " ", " NOT "]), inner).map("".join),
        st.tuples(TERMS, st.sampled_from([" NEAR/0 ", " NEAR/5 ", " NEAR/99999999999999999999 "]), TERMS).map(
            "".join
        ),
        inner.map(lambda q: f"({q})"),
        st.tuples(st.sampled_from(["headline:", "body:", "source:", "NOT "]), inner).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
    )


# Mostly well-formed queries, so the matcher (not only the parser) sees many inputs.
WELL_FORMED = st.recursive(TERMS, _combine, max_leaves=12)


def _parse(text: str) -> Query | None:
    try:
        return tried("topics.parse_query", lambda: parse_query(text))
    except QuerySyntaxError as exc:
        assert 0 <= exc.position <= len(text), (exc.position, len(text))
        exc.pointer()
        return None


@budget(1000)
@given(text=QUERIES)
@example(text="NEAR/99999999999999999999")
@example(text="a NEAR/99999999999999999999 b")
@example(text="(" * 2000 + "x" + ")" * 2000)
@example(text="NOT " * 3000 + "x")
@example(text="headline:" * 3000 + "x")
@example(text="a NEAR/1 " * 3000 + "b")
@example(text="lang:")
def test_parser_returns_a_query_or_a_positioned_syntax_error(text: str) -> None:
    _parse(text)


@budget(500)
@given(
    text=WELL_FORMED | QUERIES,
    headline=TEXTS,
    body=TEXTS,
    language=st.none() | st.sampled_from(["en", "pt-br", "el"]),
)
@example(text='russia NEAR/99999999999999999999 "north korea"', headline="Russia", body="north korea",
         language=None)
def test_parsed_queries_match_any_article(text: str, headline: str, body: str, language: str | None) -> None:
    query = _parse(text)
    if query is None:
        return
    doc = Doc.from_parts(headline=headline, body=body, source="news.example", language=language)
    found = tried("topics.match", lambda: match(query, doc))
    if found is not None:
        for evidence in found.evidence:
            assert evidence.text.strip()
