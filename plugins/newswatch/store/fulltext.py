"""The full-text search syntax, parsed once and rendered per database by ``store.dialect``.

Syntax (deliberately small, like a web search box): words are AND-ed; ``"a phrase"`` matches
words in order; ``OR`` between two items makes them alternatives; ``-word`` excludes; ``word*``
matches a prefix. Everything else is punctuation and ignored, so no user input ever reaches the
database as query syntax.

Scripts written without spaces: a Chinese/Japanese (Han, Kana) word is found inside running
text through an index of overlapping character pairs (``北朝鮮`` → ``北朝``, ``朝鮮``; one
character: a pair starting with it), then as a substring (PostgreSQL), or as a substring alone
(SQLite); a Korean (Hangul) word is
searched as a prefix of the stored words, so ``북한`` finds ``북한이`` and ``북한과``. Both are
candidates; the topic matcher (``newswatch.topic_search``) then decides, as for every query.

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
# The scripts written without spaces, as character-class ranges; the topic matcher
# (newswatch.topics.text) cuts text by the same ones. Han and Kana are indexed as character pairs
# (migration s008); Hangul words are searched as prefixes.
CJK_CHARS = "\u3005\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
HANGUL_CHARS = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
_HANGUL = re.compile(f"[{HANGUL_CHARS}]")


class SearchSyntaxError(NewswatchError, ValueError):
    """A query that cannot be searched; the message says what to fix."""

    kind = "query_syntax"


@dataclass(frozen=True)
class Term:
    """One word or an ordered phrase; ``prefix`` means the last word may continue."""

    words: tuple[str, ...]
    prefix: bool = False


def is_cjk_term(term: Term) -> bool:
    """Whether the term holds Han/Kana, searched in the character-pair index."""
    return any(_CJK_RUN.search(w) for w in term.words)


def cjk_anchor(term: Term) -> tuple[str, bool]:
    """The one pair the pair index is asked for (the first of the longest run), or a lone
    character as a prefix (``True``): a pair is a word there, and asking for several pairs at once
    makes PostgreSQL underestimate the matches (they always occur together) and pick a slow plan.
    The runs themselves are then tested as substrings (:func:`cjk_substrings`)."""
    run = max(cjk_substrings(term), key=len)
    return (run[:2], False) if len(run) > 1 else (run, True)


def cjk_substrings(term: Term) -> list[str]:
    """The Han/Kana runs of the term: each must occur in a matching text."""
    return [run for word in term.words for run in _CJK_RUN.findall(word)]


def is_hangul_word(word: str) -> bool:
    """Korean words are stored with their particles (``북한이``): searched as prefixes."""
    return _HANGUL.match(word) is not None


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
