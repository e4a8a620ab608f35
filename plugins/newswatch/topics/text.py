"""Text preparation shared by the matcher and the topic index: tokens, folding, sentences.

Hand-written rather than using a search library because evidence needs exact character spans in
the original text, and the index needs the same folding as the matcher; both are a few lines here.
Tokens are runs of letters/digits; folding is case-folding plus accent removal (NFKD, drop marks).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"[^\W_]+")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace and
# an upper-case letter, digit or opening quote, or at a blank line.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n")
_FOLD_CACHE_SIZE = 65536


@lru_cache(maxsize=_FOLD_CACHE_SIZE)
def fold(word: str) -> str:
    """Case- and accent-insensitive form of ``word`` (``Pyŏngyang`` → ``pyongyang``)."""
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def clean(text: str) -> str:
    """Canonical composition, so spans computed here index the text shown in evidence."""
    return unicodedata.normalize("NFC", text or "")


@dataclass(frozen=True)
class Token:
    norm: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True)
class Field:
    """One searchable field of a document: its text, tokens and sentence boundaries."""

    text: str
    tokens: tuple[Token, ...]
    sentences: tuple[tuple[int, int], ...]
    positions: dict[str, list[int]]


def sentence_bounds(text: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of the sentences of ``text`` (whitespace trimmed)."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return tuple(_trim(text, s, e) for s, e in bounds if text[s:e].strip())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def tokenize(text: str) -> tuple[Token, ...]:
    """Folded tokens with their character spans; ``sentence`` is filled by :func:`make_field`."""
    return tuple(Token(fold(m.group()), m.start(), m.end(), 0) for m in _TOKEN.finditer(text))


def make_field(raw: str) -> Field:
    text = clean(raw)
    sentences = sentence_bounds(text)
    tokens: list[Token] = []
    positions: dict[str, list[int]] = {}
    index = 0
    for m in _TOKEN.finditer(text):
        while index < len(sentences) - 1 and m.start() >= sentences[index][1]:
            index += 1
        norm = fold(m.group())
        positions.setdefault(norm, []).append(len(tokens))
        tokens.append(Token(norm, m.start(), m.end(), index))
    return Field(text, tuple(tokens), sentences, positions)
