"""What counts as "the same content": text normalisation and the content hash of a version.

A page re-rendered with a fresh "updated 5 minutes ago" stamp, a new share count, an ad slot
or different whitespace is the same article. Lines that are nothing but such noise are dropped,
noise phrases inside a line are blanked, whitespace is collapsed, and only then is the text
hashed. The stored body is the cleaned text (paragraphs kept), so diffs show real edits only.
Characters that render as nothing (soft hyphens, zero-width spaces) are dropped first: a page that
re-hyphenates is the same article, and search and topic matching see "Nordkorea", not "Nord korea".
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from newswatch.store.values import storable

_NUM = r"(?:\d[\d.,]*\s*[kKmM]?|an?|one|a few)"
_UNIT = r"(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?)"
_AGO = rf"(?:{_NUM}\s*{_UNIT}\s+ago|just\s+now|moments?\s+ago|(?:today|yesterday)(?:\s+at)?\s*[\d:apm. ]*)"
# "Updated 5 minutes ago": a stamp wherever it appears, because the verb says it is one.
_STAMP = re.compile(rf"(?i)(?:last\s+)?(?:updated|posted|published|edited|modified)\s*:?\s*{_AGO}")
# Bare relative times and engagement counters: noise only on a short byline-like line, since
# prose such as "three comments made a year ago" must survive.
_LOOSE = re.compile(
    rf"""(?ix)
      {_AGO}
    | {_NUM}\s*(?:shares?|comments?|likes?|views?|reads?|reactions?|retweets?)\b
    | (?:share|comment|like)s?\s*[:(]\s*\d[\d.,]*\s*[kKmM]?\s*\)?
    | \b\d+\s*min(?:ute)?s?\s+read\b
    """
)
# Lines up to this many words may be bylines/toolbars, where bare counters are noise.
SHORT_LINE_WORDS = 8
# Whole lines that are page furniture, not article text.
_NOISE_LINES = re.compile(
    r"""(?ix)^\s*(?:
        advertisement|advert|ad|sponsored(?:\s+content)?|promoted|story\s+continues\s+below(?:\s+advertisement)?
      | (?:share|share\s+this(?:\s+article|\s+story)?|tweet|email|print|copy\s+link|save)(?:\s*[|/·•,]\s*\w+)*
      | read\s+more|related(?:\s+(?:articles?|stories|coverage))?|recommended|most\s+read|trending(?:\s+now)?
      | sign\s+up\s+for\s+our\s+newsletter.*|subscribe(?:\s+now)?(?:\s+to\s+.*)?
      | skip\s+(?:to\s+content|advertisement)
      | \(?\d[\d.,]*\s*[kKmM]?\)?
    )\s*[.:!]?\s*$"""
)
_SPACE = re.compile(r"[^\S\n]+")
# Soft hyphen, zero-width space, word joiner, byte-order mark (zero-width no-break space). The
# zero-width joiner and non-joiner are left: they change how Persian, Indic scripts and emoji render.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))


@dataclass(frozen=True)
class NormalisedContent:
    """Cleaned headline and body as stored, and the hash that decides whether a version is new."""

    headline: str | None
    body: str
    content_hash: str


def clean_line(line: str) -> str:
    """Blank stamps (and, on short lines, counters); a line left with only separators is empty."""
    line = _STAMP.sub(" ", line)
    if len(line.split()) <= SHORT_LINE_WORDS:
        line = _LOOSE.sub(" ", line)
    line = _SPACE.sub(" ", line).strip()
    return line.strip(" |·•,")


def clean_text(text: str) -> str:
    """Drop noise lines and phrases, collapse spaces; paragraphs survive as single newlines."""
    text = storable(unicodedata.normalize("NFKC", text or "")).translate(INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (clean_line(line) for line in text.split("\n") if not _NOISE_LINES.match(line))
    return "\n".join(line for line in lines if line and not _NOISE_LINES.match(line))


def clean_headline(headline: str | None) -> str | None:
    if headline is None:
        return None
    cleaned = " ".join(clean_text(headline).split())
    return cleaned or None


def content_hash(headline: str | None, body: str) -> str:
    """SHA-256 over whitespace-insensitive headline and body."""
    flat = " ".join((headline or "").split()) + "\n" + " ".join(body.split())
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()


def normalise(headline: str | None, body: str) -> NormalisedContent:
    cleaned_headline = clean_headline(headline)
    cleaned_body = clean_text(body)
    return NormalisedContent(cleaned_headline, cleaned_body, content_hash(cleaned_headline, cleaned_body))
