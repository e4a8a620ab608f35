"""The full-text search syntax: what a query means, and the reasons a malformed one is refused."""

from __future__ import annotations

import pytest
from newswatch.errors import NewswatchError
from newswatch.store.fulltext import SearchQuery, SearchSyntaxError, Term, parse_query


def test_parse_words_phrases_or_exclusion_and_prefix() -> None:
    q = parse_query('"Kim Jong Un" drone* OR missile -football')
    assert q == SearchQuery(
        groups=((Term(("kim", "jong", "un")),), (Term(("drone",), prefix=True), Term(("missile",)))),
        excluded=(Term(("football",)),),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no words"),
        ("   ", "no words"),
        ("-sport", "only of excluded"),
        ("OR drones", "both sides"),
        ("drones OR", "both sides"),
        ('"kim jong', "unbalanced"),
        ("!!! ???", "no words"),
    ],
)
def test_malformed_queries_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(SearchSyntaxError, match=message):
        parse_query(text)


def test_syntax_errors_are_newswatch_errors_of_their_kind() -> None:
    with pytest.raises(NewswatchError) as caught:
        parse_query("drones OR")
    assert caught.value.kind == "query_syntax" and isinstance(caught.value, ValueError)
