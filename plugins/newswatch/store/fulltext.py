"""The full-text search syntax, parsed once and rendered per database by ``store.dialect``.

Syntax (deliberately small, like a web search box): words are AND-ed; ``"a phrase"`` matches
words in order; ``OR`` between two items makes them alternatives; ``-word`` excludes; ``word*``
matches a prefix. Everything else is punctuation and ignored, so no user input ever reaches the
database as query syntax.

Analysts write the topic query language (``newswatch.topic_search``), which derives a
:class:`SearchQuery` (AND of OR-groups of terms, minus excluded terms) from each query to narrow
the candidates; :func:`newswatch.store.reads.hits.search` runs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newswatch.errors import NewswatchError

_TOKEN = re.compile(r'(-?)"([^"]*)"(\*?)|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


class SearchSyntaxError(NewswatchError, ValueError):
    """A query that cannot be searched; the message says what to fix."""

    kind = "query_syntax"


@dataclass(frozen=True)
class Term:
    """One word or an ordered phrase; ``prefix`` means the last word may continue."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """AND of groups; each group matches if any of its terms matches; minus excluded terms."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()


def _term(raw: str, prefix: bool) -> Term | None:
    found = tuple(w.casefold() for w in _WORD.findall(raw))
    return Term(found, prefix) if found else None


def _tokens(text: str) -> list[tuple[bool, Term | None, bool]]:
    """(negated, term, is_or) per token; quotes must balance."""
    if text.count('"') % 2:
        raise SearchSyntaxError("unbalanced double quote in query")
    out: list[tuple[bool, Term | None, bool]] = []
    for match in _TOKEN.finditer(text):
        neg, phrase, star, bare = match.groups()
        if bare is not None:
            if bare == "OR":
                out.append((False, None, True))
                continue
            neg = "-" if bare.startswith("-") and len(bare) > 1 else ""
            bare = bare[1:] if neg else bare
            out.append((bool(neg), _term(bare, bare.endswith("*")), False))
        else:
            out.append((bool(neg), _term(phrase, bool(star)), False))
    return out


def parse_query(text: str) -> SearchQuery:
    """Parse the search syntax; raise :class:`SearchSyntaxError` for an unusable query."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for negated, term, is_or in _tokens(text):
        if is_or:
            if not groups or pending_or:
                raise SearchSyntaxError("OR needs a search term on both sides")
            pending_or = True
            continue
        if term is None:
            continue
        if negated:
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    if pending_or:
        raise SearchSyntaxError("OR needs a search term on both sides")
    if not groups:
        raise SearchSyntaxError(
            "the query has no words to search for"
            if not excluded
            else "a query cannot consist only of excluded (-word) terms"
        )
    return SearchQuery(tuple(tuple(g) for g in groups), tuple(excluded))
