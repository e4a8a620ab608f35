"""Evaluate a parsed query against one article and explain the result.

A match carries its evidence: the sentences whose words satisfied the query, the character spans
of those words inside each sentence, and a score. Negated parts never produce evidence.
Score: the number of evidence sentences, with a headline sentence counting double, so a topic's
``min_score`` reads as "at least this many supporting passages".
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from newswatch.topics.syntax import And, Lang, Near, Node, Not, Or, Query, Term, Word
from newswatch.topics.text import Field, is_cjk, make_field, passage_key

_JOINER = re.compile(r"[\s\-‐‑–—'’]*")  # what may separate the words of one highlighted phrase
HEADLINE_WEIGHT = 2  # see the module docstring: the score's definition
# Proximity matches kept per NEAR: a bound on work for hostile pages that repeat the words
# endlessly; far more than any evidence shown (settings.alert_max_evidence sentences).
MAX_OCCURRENCES = 5000
_DEFAULT_FIELDS = ("headline", "body")
_EVIDENCE_FIELDS = ("headline", "body")
_NO_LABELS: frozenset[str] = frozenset()


class Doc:
    """An article prepared (lazily) once for matching against any number of queries."""

    def __init__(self, fields: dict[str, Field], language: str | None = None) -> None:
        self.fields = fields
        self.language = language

    @classmethod
    def of_article(
        cls,
        *,
        headline: str | None,
        body: str | None,
        source_name: str | None,
        outlet: str | None,
        language: str | None,
    ) -> Doc:
        """A stored article as matching sees it: ``source:`` finds the configured source name and
        the outlet's host alike."""
        source = " ".join(part for part in (source_name, outlet) if part)
        return cls.from_parts(headline=headline, body=body, source=source, language=language)

    @classmethod
    def of_row(cls, row: Any) -> Doc:
        """A stored version row (headline, body, language, and its article's source name and
        outlet), as matching, backfills and ``topics test`` read it."""
        return cls.of_article(
            headline=row.headline,
            body=row.body,
            source_name=row.source_name,
            outlet=row.outlet,
            language=row.language,
        )

    @classmethod
    def from_parts(
        cls, *, headline: str | None, body: str | None, source: str | None = None, language: str | None = None
    ) -> Doc:
        parts = {"headline": headline or "", "body": body or "", "source": source or ""}
        return cls({name: make_field(text) for name, text in parts.items()}, (language or "").lower() or None)

    @cached_property
    def analysed(self) -> bool:
        """Whether a field holds Han, Kana or Hangul (see :mod:`newswatch.topics.text`)."""
        return any(f.analysed for f in self.fields.values())

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every folded word in the searchable fields (what the topic index looks up)."""
        return frozenset().union(*(f.vocabulary for f in self.fields.values()))

    @cached_property
    def _sorted_vocabulary(self) -> list[str]:
        return sorted(self.vocabulary)

    def has_prefix(self, prefix: str) -> bool:
        """Whether any searchable word starts with ``prefix`` (binary search)."""
        words = self._sorted_vocabulary
        i = bisect_left(words, prefix)
        return i < len(words) and words[i].startswith(prefix)

    def contains(self, word: str, prefix: bool, field: str | None) -> bool:
        """Whether ``field`` (None: headline or body) has ``word`` (or a word starting with it)."""
        for name in (field,) if field else _DEFAULT_FIELDS:
            f = self.fields[name]
            if f.words_with_prefix(word) if prefix else word in f.vocabulary:
                return True
        return False


@dataclass(frozen=True)
class Occurrence:
    field: str
    lo: int  # first token index
    hi: int  # last token index (inclusive)
    parts: tuple[tuple[int, int], ...]  # token ranges that matched (a NEAR has two)
    labels: frozenset[str] = frozenset()  # vocabulary entries that matched ("@name: entry")
    # (token index, characters) where the query named less than the token: highlight that only
    cuts: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Evidence:
    field: str
    text: str  # the sentence
    spans: tuple[tuple[int, int], ...]  # character ranges of matched words inside ``text``

    def segments(self) -> list[tuple[str, bool]]:
        """``text`` cut into (piece, highlighted) pairs, for templates to render."""
        out: list[tuple[str, bool]] = []
        pos = 0
        for start, end in self.spans:
            start, end = max(start, pos), min(end, len(self.text))
            if end <= start:
                continue  # empty or overlapping span (e.g. a hand-edited payload): nothing to mark
            if start > pos:
                out.append((self.text[pos:start], False))
            out.append((self.text[start:end], True))
            pos = end
        if pos < len(self.text):
            out.append((self.text[pos:], False))
        return out

    def as_dict(self) -> dict[str, object]:
        return {"field": self.field, "text": self.text, "spans": [list(s) for s in self.spans]}

    @classmethod
    def from_dict(cls, data: dict) -> Evidence:
        return cls(str(data["field"]), str(data["text"]), tuple((int(a), int(b)) for a, b in data["spans"]))


@dataclass(frozen=True)
class Match:
    score: float
    evidence: tuple[Evidence, ...]
    terms: tuple[str, ...] = field(default=())  # matched words as they appear, folded, sorted
    vocabulary: tuple[str, ...] = field(default=())  # vocabulary entries that matched, sorted

    def fingerprint(self) -> str:
        """Stable hash of the evidence sentences' words: punctuation, case and accent edits do not
        change it, a changed word does."""
        key = [[e.field, passage_key(e.text)] for e in self.evidence]
        return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()


@dataclass
class _Result:
    ok: bool
    occurrences: list[Occurrence]


def _word_positions(f: Field, word: Word) -> list[int]:
    if not word.prefix:
        return f.positions.get(word.text, [])
    found: set[int] = set()  # a Korean token and its stem may both start with the prefix
    for norm in f.words_with_prefix(word.text):
        found.update(f.positions[norm])
    return sorted(found)


def _word_at(f: Field, index: int, word: Word) -> bool:
    norms = f.norms
    if index >= len(norms):
        return False
    if word.prefix:
        return norms[index].startswith(word.text)
    return norms[index] == word.text or (f.analysed and word.text in f.aliases.get(index, ()))


def _stem_cuts(f: Field, start: int, words: tuple[Word, ...]) -> tuple[tuple[int, int], ...]:
    """Tokens longer than what the query named, with the named length: a Korean noun matched in
    ``북한이``, or one Han/Kana character matched at the start of a pair (``俄`` in ``俄关``)."""
    return tuple(
        (start + k, len(w.text))
        for k, w in enumerate(words)
        if (is_cjk(w.text) if w.prefix else f.norms[start + k] != w.text)
    )


def _term(doc: Doc, term: Term) -> list[Occurrence]:
    out: list[Occurrence] = []
    labels = frozenset((term.label,)) if term.label else _NO_LABELS
    first, rest, last = term.words[0], term.words[1:], len(term.words) - 1
    for name in (term.field,) if term.field else _DEFAULT_FIELDS:
        f = doc.fields[name]
        analysed = f.analysed
        for start in _word_positions(f, first):
            if not rest or all(_word_at(f, start + k + 1, w) for k, w in enumerate(rest)):
                cuts = _stem_cuts(f, start, term.words) if analysed else ()
                out.append(Occurrence(name, start, start + last, ((start, start + last),), labels, cuts))
    return out


def _near(doc: Doc, left: list[Occurrence], right: list[Occurrence], words: int) -> list[Occurrence]:
    """Pairs within ``words`` words, found through a window over the sorted right side, so a
    page repeating both words thousands of times costs pairs in reach, not all pairs.
    A field mostly in Han/Kana counts two tokens (characters) per word (``Field.near_scale``)."""
    by_field: dict[str, list[Occurrence]] = {}
    for b in right:
        by_field.setdefault(b.field, []).append(b)
    out: dict[tuple, Occurrence] = {}
    for name, group in by_field.items():
        scale = doc.fields[name].near_scale
        distance = words * scale + scale - 1  # overlapping pairs: one token more than characters
        group.sort(key=lambda o: o.lo)
        starts = [b.lo for b in group]
        longest = max(b.hi - b.lo for b in group)
        for a in (o for o in left if o.field == name):
            first = bisect_left(starts, a.lo - distance - 1 - longest)
            last = bisect_right(starts, a.hi + distance + 1)
            for b in group[first:last]:
                if max(b.lo - a.hi, a.lo - b.hi) - 1 <= distance:
                    parts = tuple(sorted({*a.parts, *b.parts}))
                    out.setdefault(
                        (name, parts),
                        Occurrence(
                            name,
                            min(a.lo, b.lo),
                            max(a.hi, b.hi),
                            parts,
                            a.labels | b.labels,
                            a.cuts + b.cuts,
                        ),
                    )
            if len(out) >= MAX_OCCURRENCES:
                return list(out.values())
    return list(out.values())


def _lang(doc: Doc, code: str) -> bool:
    lang = doc.language or ""
    return lang == code or lang.startswith(code + "-") or lang.startswith(code + "_")


def may_match(node: Node, doc: Doc) -> bool:
    """A cheap necessary condition on the article's word sets alone (no positions): False means
    ``node`` certainly does not match; True means :func:`evaluate` must decide."""
    if isinstance(node, Term):
        return all(doc.contains(w.text, w.prefix, node.field) for w in node.words)
    if isinstance(node, Lang):
        return _lang(doc, node.code)
    if isinstance(node, Not):
        child = node.child
        single = isinstance(child, Term) and len(child.words) == 1
        return not (single and may_match(child, doc))  # a present single word surely matches
    if isinstance(node, And):
        return all(may_match(c, doc) for c in node.children)
    if isinstance(node, Or):
        return any(may_match(c, doc) for c in node.children)
    if isinstance(node, Near):
        return may_match(node.left, doc) and may_match(node.right, doc)
    raise TypeError(f"unknown query node {node!r}")


def evaluate(node: Node, doc: Doc) -> _Result:
    """Truth value of ``node`` on ``doc`` plus the word occurrences that made it true."""
    if isinstance(node, Term):
        occ = _term(doc, node)
        return _Result(bool(occ), occ)
    if isinstance(node, Lang):
        return _Result(_lang(doc, node.code), [])
    if isinstance(node, Not):
        return _Result(not evaluate(node.child, doc).ok, [])
    if isinstance(node, And):
        occurrences: list[Occurrence] = []
        for child in node.children:
            result = evaluate(child, doc)
            if not result.ok:
                return _Result(False, [])
            occurrences.extend(result.occurrences)
        return _Result(True, occurrences)
    if isinstance(node, Or):
        results = [evaluate(child, doc) for child in node.children]
        return _Result(any(r.ok for r in results), [o for r in results if r.ok for o in r.occurrences])
    if isinstance(node, Near):
        left = evaluate(node.left, doc)
        if not left.ok:
            return _Result(False, [])
        occ = _near(doc, left.occurrences, evaluate(node.right, doc).occurrences, node.distance)
        return _Result(bool(occ), occ)
    raise TypeError(f"unknown query node {node!r}")


def _evidence(doc: Doc, occurrences: list[Occurrence]) -> tuple[Evidence, ...]:
    grouped: dict[tuple[str, int], set[tuple[int, int]]] = {}
    for occ in occurrences:
        if occ.field not in _EVIDENCE_FIELDS:
            continue
        f = doc.fields[occ.field]
        cuts = dict(occ.cuts)
        for lo, hi in occ.parts:
            for index in range(lo, hi + 1):
                start, end = f.span(index)
                if index in cuts:
                    end = start + cuts[index]
                grouped.setdefault((occ.field, f.sentence_of(index)), set()).add((start, end))
    out: list[Evidence] = []
    seen: set[str] = set()  # a body that repeats the headline (or a sentence) shows it once
    for (name, sentence), spans in sorted(
        grouped.items(), key=lambda kv: (_EVIDENCE_FIELDS.index(kv[0][0]), kv[0][1])
    ):
        s_start, s_end = doc.fields[name].sentences[sentence]
        text = doc.fields[name].text[s_start:s_end]
        key = passage_key(text)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            Evidence(name, text, tuple(_merge(sorted((a - s_start, b - s_start) for a, b in spans), text)))
        )
    return tuple(out)


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Join spans separated only by spaces/punctuation inside a phrase (``North Korea``)."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and (start <= merged[-1][1] or _JOINER.fullmatch(text[merged[-1][1] : start])):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def match(query: Query | Node, doc: Doc) -> Match | None:
    """Return a :class:`Match` with evidence when ``query`` matches ``doc``, else ``None``."""
    root = query.root if isinstance(query, Query) else query
    result = evaluate(root, doc)
    if not result.ok:
        return None
    evidence = _evidence(doc, result.occurrences)
    score = float(sum(HEADLINE_WEIGHT if e.field == "headline" else 1 for e in evidence))
    terms = sorted(
        {
            doc.fields[o.field].norms[i]
            for o in result.occurrences
            for lo, hi in o.parts
            for i in range(lo, hi + 1)
        }
    )
    labels = sorted(set().union(*(o.labels for o in result.occurrences)))
    return Match(score, evidence, tuple(terms), tuple(labels))
