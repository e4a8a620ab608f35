"""An index over all topics' terms, so an article is only tested against topics it could match.

For each query we derive *anchors*: a set of words (or prefixes) such that any matching article
must contain at least one of them. An AND needs only one child's anchors (the smallest set), an
OR needs all of its children's, a phrase needs one of its words (the longest). Queries with no
anchor (only possible via ``lang:``-only branches) are always tested. The cost of finding
candidates depends on the article's vocabulary, not on the number of topics.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Generic, Protocol, TypeVar

from newswatch.topics.matcher import Doc, Match, match
from newswatch.topics.syntax import MIN_PREFIX_CHARS, And, Lang, Near, Node, Not, Or, Query, Term, Word


class HasQuery(Protocol):
    @property
    def query(self) -> Query: ...


T = TypeVar("T", bound=HasQuery)


def anchors(node: Node) -> frozenset[Word] | None:
    """Words one of which every matching document contains; ``None`` when no such set exists."""
    if isinstance(node, Term):
        return frozenset([max(node.words, key=lambda w: (not w.prefix, len(w.text)))])
    if isinstance(node, Lang | Not):
        return None
    if isinstance(node, Near):
        return _smallest([anchors(node.left), anchors(node.right)])
    if isinstance(node, And):
        return _smallest([anchors(c) for c in node.children])
    if isinstance(node, Or):
        union: set[Word] = set()
        for child in node.children:
            found = anchors(child)
            if found is None:
                return None
            union.update(found)
        return frozenset(union)
    raise TypeError(f"unknown query node {node!r}")


def _smallest(options: Iterable[frozenset[Word] | None]) -> frozenset[Word] | None:
    known = [o for o in options if o is not None]
    return min(known, key=len) if known else None


class TopicIndex(Generic[T]):
    """Pre-filter topics by the words an article contains; :meth:`match` returns only real matches."""

    def __init__(self, topics: Sequence[T]) -> None:
        self.topics: list[T] = list(topics)
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[int]] = {}
        self._always: list[int] = []
        self._max_prefix = 0
        for i, topic in enumerate(self.topics):
            found = anchors(topic.query.root)
            if found is None:
                self._always.append(i)
                continue
            for word in found:
                table = self._prefix if word.prefix else self._exact
                table.setdefault(word.text, []).append(i)
                if word.prefix:
                    self._max_prefix = max(self._max_prefix, len(word.text))

    def candidates(self, doc: Doc) -> list[T]:
        """Topics that might match ``doc`` (a superset of those that do), in configuration order."""
        hits: set[int] = set(self._always)
        exact, prefix = self._exact, self._prefix
        for word in doc.vocabulary():
            found = exact.get(word)
            if found:
                hits.update(found)
            if prefix:
                for k in range(MIN_PREFIX_CHARS, min(len(word), self._max_prefix) + 1):
                    found = prefix.get(word[:k])
                    if found:
                        hits.update(found)
        return [self.topics[i] for i in sorted(hits)]

    def match(self, doc: Doc) -> list[tuple[T, Match]]:
        """Every topic whose query matches ``doc``, with its evidence."""
        out: list[tuple[T, Match]] = []
        for topic in self.candidates(doc):
            found = match(topic.query, doc)
            if found is not None:
                out.append((topic, found))
        return out
