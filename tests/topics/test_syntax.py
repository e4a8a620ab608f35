"""The query language's syntax: what parses, and errors that name the position of the fault."""

from __future__ import annotations

import pytest
from newswatch.errors import NewswatchError
from newswatch.topics.syntax import QuerySyntaxError, parse_query


@pytest.mark.parametrize(
    ("query", "position", "fragment"),
    [
        ("", 0, "empty query"),
        ("russia AND", 10, "ends where a word"),
        ("(russia OR korea", 16, "missing ')'"),
        ("russia OR korea)", 15, "unbalanced ')'"),
        ('"north korea', 0, "unterminated phrase"),
        ("NOT russia", 0, "not negated"),
        ("lang:en OR russia", 0, "lang: alone"),
        ("russia AND NOT korea OR NOT moscow", 0, "not negated"),
        ("russia NEAR/ korea", 7, "needs a distance"),
        ("russia NEAR/3 (korea AND moscow)", 14, "NEAR joins"),
        ("place:moscow", 0, "unknown field"),
        ("headline: OR x", 10, "needs a word"),
        ("mi*", 0, "at least 3 letters"),
        ("mil*tary", 3, "only allowed at the end"),
        ("russia AND ()", 11, "empty parentheses"),
        ('russia ""', 7, "empty phrase"),
        ("lang:english1", 5, "language code"),
        ("russia OR OR korea", 10, "needs a word"),
    ],
)
def test_syntax_errors_name_the_position(query: str, position: int, fragment: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert caught.value.position == position, caught.value
    assert fragment in caught.value.message
    assert caught.value.pointer().splitlines()[1] == " " * position + "^"


def test_a_syntax_error_is_an_expected_failure_of_kind_query_syntax() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("russia AND")
    assert isinstance(caught.value, NewswatchError) and isinstance(caught.value, ValueError)
    assert caught.value.kind == "query_syntax" and caught.value.position == 10
