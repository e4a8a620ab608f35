"""Text preparation shared by the matcher and the topic index: tokens, folding, sentences.

Hand-written rather than using a search library because evidence needs exact character spans in
the original text, and the index needs the same folding as the matcher; both are a few lines here.
Tokens are runs of letters/digits; folding is case-folding plus accent removal (NFKD, drop marks).

Scripts written without spaces get their own analysis, shared by the query parser so a query and
an article are always cut the same way:
- Chinese and Japanese (Han, Hiragana, Katakana): a run of such characters yields its overlapping
  character pairs (``北朝鮮`` → ``北朝`` ``朝鮮``) followed by its last character alone; a query
  word becomes the phrase of its pairs, so it matches anywhere inside running text. In a field
  written mostly in Han/Kana, ``NEAR/n`` allows 2n characters (a word there averages two
  characters, so NEAR/n still means about n words). Measured in ``benchmarks/languages.py``.
- Korean (Hangul): a space-separated word (eojeol) is one token, also indexed under its stem
  when it ends in a common particle (``북한이``, ``북한과`` are also ``북한``), so a noun matches
  with its particles attached without a hand-written wildcard, and ``북한산`` stays a different word.
Neither is folded (NFKD would split Hangul into jamo and strip the voicing marks of kana).

Work is done lazily and in layers, because most articles match no topic: the topic index only
needs the set of folded words (:attr:`Field.vocabulary`); token positions are built when a query
is evaluated, and sentence boundaries only when a match needs its evidence.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache

from newswatch.store.fulltext import CJK_CHARS as _CJK_CHARS
from newswatch.store.fulltext import HANGUL_CHARS as _HANGUL_CHARS

_TOKEN = re.compile(r"[^\W_]+")
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")
_SPACELESS = re.compile(f"[{_CJK_CHARS}{_HANGUL_CHARS}]")
_CJK_START = re.compile(f"[{_CJK_CHARS}]")
_HANGUL_START = re.compile(f"[{_HANGUL_CHARS}]")
_SCRIPT_TOKEN = re.compile(
    f"(?P<cjk>[{_CJK_CHARS}]+)|(?P<hangul>[{_HANGUL_CHARS}]+)|[^\\W_{_CJK_CHARS}{_HANGUL_CHARS}]+"
)
# Korean particles (josa) and copula endings that follow a noun in the same eojeol, longest first.
KOREAN_PARTICLES = tuple(
    sorted(
        (
            "이 가 은 는 을 를 의 에 와 과 도 로 으로 만 께 에서 에게 한테 까지 부터 보다 처럼 "
            "에는 에서는 에도 에서도 으로는 로는 과는 와는 과의 와의 에서의 으로의 로의 에의 "
            "이라고 라고 이라는 라는 이다 이며 이고 이나 이자 마저 조차 측 간 등 과도 와도 으로서 로서 서"
        ).split(),
        key=len,
        reverse=True,
    )
)
# The shortest prefix (``word*``) per script: three letters, but two Hangul syllables (a syllable
# is a whole consonant-vowel block) and one Han/Kana character (any character starts a pair).
MIN_PREFIX_CHARS = 3
MIN_PREFIX_HANGUL = 2
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace and
# an upper-case letter (Latin, Greek, Cyrillic), a digit, a Hangul/CJK character or an opening
# quote; at 。！？ (full-width, no space needed); or at a blank line.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?P<close>[\"'”’)\]»]*)\s+(?=[\"'“‘(\[«「『]?[A-Z0-9\u0386-\u03ab\u0400-\u042f"
    + _HANGUL_CHARS
    + _CJK_CHARS
    + r"])"
    + r"|(?<=[。！？])(?![。！？])(?P<cjkclose>[」』”’）)]*)\s*|\n\s*\n"
)
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


def has_spaceless(text: str) -> bool:
    """Whether ``text`` holds Han, Kana or Hangul (which need the script-aware analysis)."""
    return not text.isascii() and _SPACELESS.search(text) is not None


def korean_stems(token: str) -> tuple[str, ...]:
    """The noun(s) a Hangul eojeol may be: itself minus one trailing particle (``북한과`` → ``북한``)."""
    return tuple(token[: -len(p)] for p in KOREAN_PARTICLES if len(token) > len(p) and token.endswith(p))


@dataclass(frozen=True)
class Analysed:
    """Tokens of a text: folded form, character span, and extra forms (Korean stems) by index."""

    norms: list[str]
    starts: list[int]
    ends: list[int]
    aliases: dict[int, tuple[str, ...]]


def analyse(text: str) -> Analysed:
    """Script-aware tokens of ``text`` (see the module docstring); spans index ``text``."""
    out = Analysed([], [], [], {})
    for m in _SCRIPT_TOKEN.finditer(text):
        kind, start = m.lastgroup, m.start()
        if kind == "cjk":
            _add_cjk_run(out, m.group(), start)
            continue
        token = m.group() if kind == "hangul" else fold(m.group())
        if kind == "hangul":
            stems = korean_stems(token)
            if stems:
                out.aliases[len(out.norms)] = stems
        out.norms.append(token)
        out.starts.append(start)
        out.ends.append(m.end())
    return out


def _add_cjk_run(out: Analysed, run: str, start: int) -> None:
    """The run's overlapping pairs, then its last character alone (see the module docstring)."""
    for i in range(len(run) - 1):
        out.norms.append(run[i : i + 2])
        out.starts.append(start + i)
        out.ends.append(start + i + 2)
    out.norms.append(run[-1])
    out.starts.append(start + len(run) - 1)
    out.ends.append(start + len(run))


def query_words(chunk: str, *, followed: bool = False) -> list[tuple[str, bool]]:
    """A query word cut like article text: (folded token, must-be-prefix) pairs.

    A Han/Kana run becomes its pairs (a single character: a prefix of any pair); its last
    character stands alone only when more words follow (``followed``: in a later chunk of the
    same phrase), as it does in the text. Korean and
    other scripts give one token per run of letters and digits.
    """
    out: list[tuple[str, bool]] = []
    found = list(_SCRIPT_TOKEN.finditer(chunk))
    for n, m in enumerate(found):
        if m.lastgroup != "cjk":
            out.append((m.group() if m.lastgroup == "hangul" else fold(m.group()), False))
            continue
        run = m.group()
        if len(run) == 1:
            out.append((run, True))
            continue
        out.extend((run[i : i + 2], False) for i in range(len(run) - 1))
        if followed or n < len(found) - 1:
            out.append((run[-1], False))
    return out


def is_cjk(word: str) -> bool:
    """Whether a token is Han/Kana (pairs: matched inside running text, no wildcard needed)."""
    return _CJK_START.match(word) is not None


def is_hangul(word: str) -> bool:
    return _HANGUL_START.match(word) is not None


def min_prefix(word: str) -> int:
    """The shortest prefix allowed before ``*`` for a word in this script."""
    if not word or word[0] < "\u1100":  # Latin, Greek, Cyrillic, ...: the common case first
        return MIN_PREFIX_CHARS
    if is_cjk(word):
        return 1
    return MIN_PREFIX_HANGUL if is_hangul(word) else MIN_PREFIX_CHARS


def prefix_head(word: str) -> str:
    """The bucket key of a word or prefix in the topic index: its first ``min_prefix`` characters."""
    return word[: min_prefix(word)]


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
        close = m.group("close") or m.group("cjkclose") or ""
        bounds.append((start, m.start() + len(close)))  # closing quotes stay
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
    def _analysed(self) -> Analysed | None:
        """Script-aware tokens when the field holds Han, Kana or Hangul; None: the fast paths."""
        return analyse(self.text) if has_spaceless(self.text) else None

    @property
    def analysed(self) -> bool:
        """Whether the field holds Han, Kana or Hangul (tokens may be longer than a query word)."""
        return self._analysed is not None

    @property
    def aliases(self) -> dict[int, tuple[str, ...]]:
        """Extra forms by token index (Korean stems); empty for other scripts."""
        analysed = self._analysed
        return analysed.aliases if analysed is not None else {}

    @cached_property
    def near_scale(self) -> int:
        """Tokens per word for NEAR distances: 2 in a field mostly in Han/Kana (one per character)."""
        analysed = self._analysed
        if analysed is None:
            return 1
        return 2 if 2 * sum(1 for n in analysed.norms if is_cjk(n)) > len(analysed.norms) else 1

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The folded words of the field: all the topic index needs."""
        words = frozenset(self.norms)
        aliases = self.aliases
        return words.union(*aliases.values()) if aliases else words

    @cached_property
    def norms(self) -> list[str]:
        """Folded token ``i`` is ``norms[i]`` (C-speed ``findall``; spans only when evidence needs them).

        Text that is ASCII once common typographic punctuation (itself never part of a word) is
        blanked out is lower-cased whole, which folds it exactly; other text is folded word by word.
        """
        if self._analysed is not None:
            return self._analysed.norms
        plain = self.text if self.text.isascii() else self.text.translate(_TYPOGRAPHY)
        if plain.isascii():
            return _ASCII_TOKEN.findall(plain.lower())  # same words as _TOKEN on ASCII text
        return list(map(fold, _TOKEN.findall(self.text)))

    @cached_property
    def _spans(self) -> tuple[list[int], list[int]]:
        if self._analysed is not None:
            return self._analysed.starts, self._analysed.ends
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
        for i, stems in self.aliases.items():
            for stem in stems:
                out.setdefault(stem, []).append(i)
        for found in out.values() if self.aliases else ():
            found.sort()
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
