"""An index over all topics' words, so an article is only tested against topics it could match.

From each query we derive *clauses*: sets of words (or prefixes) such that a matching article
contains at least one word of every clause. A word or phrase requires each of its words, an AND
or NEAR requires all its children's clauses, an OR requires one clause joining one clause from
each alternative, and NOT and ``lang:`` require nothing. Each topic is filed under its smallest
clause; an article's words pick the topics filed under them, the topic's other clauses are
checked against the article's word set, then the whole query is checked on word sets alone
(:func:`~newswatch.topics.matcher.may_match`: NOT and ``lang:`` included), and only the
survivors are evaluated in full, with word positions.

The cost of finding candidates depends on the article's words, not on the number of topics, and
an article that no topic can match is never tokenised beyond its word set.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

from newswatch.topics.matcher import Doc, Match, match, may_match
from newswatch.topics.syntax import And, Lang, Near, Node, Not, Or, Query, Term, Word
from newswatch.topics.text import MIN_PREFIX_CHARS, prefix_head

# A clause lists (field, word) pairs; field None means "headline or body", as in the matcher.
Clause = frozenset[tuple[str | None, Word]]


class HasQuery(Protocol):
    @property
    def query(self) -> Query: ...


T = TypeVar("T", bound=HasQuery)


def clauses(node: Node) -> list[Clause]:
    """Necessary conditions of ``node``: each clause needs one of its words in the document."""
    if isinstance(node, Term):
        return [frozenset([(node.field, w)]) for w in node.words]
    if isinstance(node, Lang | Not):
        return []
    if isinstance(node, Near):
        return clauses(node.left) + clauses(node.right)
    if isinstance(node, And):
        return [c for child in node.children for c in clauses(child)]
    if isinstance(node, Or):
        joined: set[tuple[str | None, Word]] = set()
        for child in node.children:
            options = clauses(child)
            if not options:
                return []
            joined.update(_best(options))
        return [frozenset(joined)]
    raise TypeError(f"unknown query node {node!r}")


def _best(options: list[Clause]) -> Clause:
    """The most selective clause: fewest words, preferring whole words and longer ones."""
    return min(options, key=lambda c: (len(c), sum(w.prefix for _, w in c), -sum(len(w.text) for _, w in c)))


def anchors(node: Node) -> Clause | None:
    """The clause a topic is filed under; ``None`` when the query requires no word at all."""
    found = clauses(node)
    return _best(found) if found else None


def _satisfied(clause: Clause, doc: Doc) -> bool:
    return any(doc.contains(w.text, w.prefix, field) for field, w in clause)


class TopicIndex(Generic[T]):
    """Pre-filter topics by the words an article contains; :meth:`match` returns only real matches."""

    def __init__(self, topics: Sequence[T]) -> None:
        self.topics: list[T] = list(topics)
        self._exact: dict[str, list[int]] = {}
        # prefixes bucketed by text.prefix_head (3 letters, 2 Hangul, 1 Han/Kana): one lookup per word
        self._prefix: dict[str, list[tuple[str, int]]] = {}
        self._always: list[int] = []
        self._checks: list[list[Clause]] = []
        for i, topic in enumerate(self.topics):
            found = clauses(topic.query.root)
            anchor = _best(found) if found else None
            self._checks.append([c for c in dict.fromkeys(found) if c != anchor])
            if anchor is None:
                self._always.append(i)
                continue
            for _, word in anchor:
                if word.prefix:
                    self._prefix.setdefault(prefix_head(word.text), []).append((word.text, i))
                else:
                    self._exact.setdefault(word.text, []).append(i)

    def _filed(self, doc: Doc) -> set[int]:
        """Topics filed under a word of ``doc``: set intersections, not a loop over the topics."""
        vocabulary = doc.vocabulary
        hits: set[int] = set(self._always)
        for word in self._exact.keys() & vocabulary:
            hits.update(self._exact[word])
        if self._prefix:
            heads = {word[:MIN_PREFIX_CHARS] for word in vocabulary}
            if doc.analysed:  # Hangul and Han/Kana prefixes are filed under shorter heads
                heads.update(prefix_head(word) for word in vocabulary if word >= "\u1100")
            for head in self._prefix.keys() & heads:
                hits.update(i for start, i in self._prefix[head] if doc.has_prefix(start))
        return hits

    def candidates(self, doc: Doc) -> list[T]:
        """Topics that might match ``doc`` (a superset of those that do), in configuration order."""
        return [
            self.topics[i]
            for i in sorted(self._filed(doc))
            if all(_satisfied(clause, doc) for clause in self._checks[i])
            and may_match(self.topics[i].query.root, doc)
        ]

    def match(self, doc: Doc) -> list[tuple[T, Match]]:
        """Every topic whose query matches ``doc``, with its evidence."""
        out: list[tuple[T, Match]] = []
        for topic in self.candidates(doc):
            found = match(topic.query, doc)
            if found is not None:
                out.append((topic, found))
        return out
