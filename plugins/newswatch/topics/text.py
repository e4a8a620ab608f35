"""Text preparation shared by the matcher and the topic index: tokens, folding, sentences.

Hand-written rather than using a search library because evidence needs exact character spans in
the original text, and the index needs the same folding as the matcher; both are a few lines here.
Tokens are runs of letters/digits; folding is case-folding plus accent removal (NFKD, drop marks).

Work is done lazily and in layers, because most articles match no topic: the topic index only
needs the set of folded words (:attr:`Field.vocabulary`); token positions are built when a query
is evaluated, and sentence boundaries only when a match needs its evidence.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import cached_property, lru_cache

_TOKEN = re.compile(r"[^\W_]+")
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace and
# an upper-case letter, digit or opening quote, or at a blank line.
_SENTENCE_END = re.compile(r"(?<=[.!?])(?P<close>[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n")
_FOLD_CACHE_SIZE = 1 << 17
# Non-ASCII punctuation and spaces common in news text; none is a word character, so blanking
# them changes no word boundary.
_TYPOGRAPHY = str.maketrans(
    dict.fromkeys(
        "\u00a0\u2009\u200a\u202f\u2018\u2019\u201a\u201c\u201d\u201e"
        "\u2013\u2014\u2015\u2026\u00ab\u00bb\u2022\u00b7\u2032\u2033",
        " ",
    )
)


@lru_cache(maxsize=_FOLD_CACHE_SIZE)
def fold(word: str) -> str:
    """Case- and accent-insensitive form of ``word`` (``Pyŏngyang`` → ``pyongyang``)."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def passage_key(text: str) -> str:
    """A sentence reduced to its folded words: what "the same passage" means for updates."""
    return " ".join(fold(w) for w in _TOKEN.findall(clean(text)))


def clean(text: str) -> str:
    """Canonical composition, so spans computed here index the text shown in evidence."""
    return unicodedata.normalize("NFC", text or "")


# Words that end with a period without ending the sentence ("Mr. Kim", "U.S. Army", "Gen. Shoigu").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt adm cmdr gov sen rep pres st jr sr vs etc inc corp co "
    "ltd dept univ est approx jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u".split()
)
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")


def _ends_sentence(text: str, at: int) -> bool:
    """False when the period before ``at`` closes an abbreviation or an initial ("J.")."""
    if text[at - 1 : at] != "." and not text[:at].rstrip("\"'”’)]").endswith("."):
        return True
    found = _WORD_BEFORE.search(text[max(0, at - 12) : at].rstrip("\"'”’)]"))
    if not found:
        return True
    word = found.group(1).lower()
    return not (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()))


def sentence_bounds(text: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of the sentences of ``text`` (whitespace trimmed)."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if not m.group().startswith("\n") and "\n\n" not in m.group() and not _ends_sentence(text, m.start()):
            continue
        bounds.append((start, m.start() + len(m.group("close") or "")))  # closing quotes stay
        start = m.end()
    bounds.append((start, len(text)))
    return tuple(_trim(text, s, e) for s, e in bounds if text[s:e].strip())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Field:
    """One searchable field of a document, prepared on demand."""

    def __init__(self, raw: str) -> None:
        self.text = clean(raw)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The folded words of the field: all the topic index needs."""
        return frozenset(self.norms)

    @cached_property
    def norms(self) -> list[str]:
        """Folded token ``i`` is ``norms[i]`` (C-speed ``findall``; spans only when evidence needs them).

        Text that is ASCII once common typographic punctuation (itself never part of a word) is
        blanked out is lower-cased whole, which folds it exactly; other text is folded word by word.
        """
        plain = self.text if self.text.isascii() else self.text.translate(_TYPOGRAPHY)
        if plain.isascii():
            return _ASCII_TOKEN.findall(plain.lower())  # same words as _TOKEN on ASCII text
        return list(map(fold, _TOKEN.findall(self.text)))

    @cached_property
    def _spans(self) -> tuple[list[int], list[int]]:
        starts: list[int] = []
        ends: list[int] = []
        for m in _TOKEN.finditer(self.text):
            starts.append(m.start())
            ends.append(m.end())
        return starts, ends

    def span(self, index: int) -> tuple[int, int]:
        """Character range of token ``index`` in :attr:`text`."""
        starts, ends = self._spans
        return starts[index], ends[index]

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """Folded word → token indexes where it occurs."""
        out: dict[str, list[int]] = {}
        for i, norm in enumerate(self.norms):
            found = out.get(norm)
            if found is None:
                out[norm] = [i]
            else:
                found.append(i)
        return out

    @cached_property
    def _sorted_words(self) -> list[str]:
        return sorted(self.vocabulary)

    def words_with_prefix(self, prefix: str) -> list[str]:
        """Folded words of the field that start with ``prefix`` (binary search, not a scan)."""
        words = self._sorted_words
        lo = bisect_left(words, prefix)
        hi = bisect_left(words, prefix + "\U0010ffff", lo)
        return words[lo:hi]

    @cached_property
    def sentences(self) -> tuple[tuple[int, int], ...]:
        return sentence_bounds(self.text)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [start for start, _ in self.sentences]

    def sentence_of(self, index: int) -> int:
        """Index into :attr:`sentences` of the sentence holding token ``index``."""
        return max(bisect_right(self._sentence_starts, self._spans[0][index]) - 1, 0)


def make_field(raw: str) -> Field:
    return Field(raw)
