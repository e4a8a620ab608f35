"""Text helpers: whitespace squashing and the comparable form of a phrase."""

from __future__ import annotations

from newswatch.extract.text import comparable, squash


def test_squash_collapses_every_kind_of_space() -> None:
    assert squash("  a\t b\n\nc  ") == "a b c"


def test_comparable_ignores_case_quotes_dashes_and_edge_punctuation() -> None:
    assert comparable("“Kim’s Trip” — Day\u00a0One.") == comparable('"kim\'s trip" - day one')
    assert comparable("Ｋｉｍ") == "kim"  # full-width letters fold too
