"""The page language from what the publisher declared (``<html lang>``, meta, JSON-LD, og:locale).

Declared languages are right on news sites far more often than statistical guesses on short
texts, and reading them costs nothing; a feed's language hint is the fallback.
"""

from __future__ import annotations

import re
from typing import Any

from newswatch.extract.jsonld import article_objects, first_string
from newswatch.extract.scan import Scan
from newswatch.models import Hints

# A BCP 47 tag (language, then script, region and variants; "_" as locales write it), whole: a
# value such as "utf-8" in a Content-Language meta is no language, though it starts like one.
_TAG = re.compile(
    r"([A-Za-z]{2,3})(?:[-_][A-Za-z]{4})?(?:[-_]([A-Za-z]{2}|\d{3}))?(?:[-_](?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*"
    r"(?:[-_][A-Za-z\d](?:[-_][A-Za-z\d]{1,8})+)*"  # extensions and private use ("-u-ca-…", "-x-…")
)
_LIST_SEPARATORS = re.compile(r"[,;\s]")
_META_KEYS = ("content-language", "og:locale", "language", "dc.language", "lang", "inlanguage")
_MONTH_FIRST_REGIONS = frozenset({"us", "ph", "fm", "pr", "um", "as", "gu", "mp", "vi"})


def normalise(tag: str | None) -> str | None:
    """'en_US' → 'en-us', 'zh-Hant-TW' → 'zh-tw', the first of a list ('de-DE, en'); None for
    anything that is not a language tag."""
    if not tag:
        return None
    match = _TAG.fullmatch(_LIST_SEPARATORS.split(tag.strip(), maxsplit=1)[0])
    if not match:
        return None
    lang, region = match.group(1).lower(), match.group(2)
    return f"{lang}-{region.lower()}" if region else lang


def find_language(scan: Scan, objects: list[dict[str, Any]], hints: Hints | None) -> str | None:
    """The declared language tag, lower-case ('de', 'en-us'), or None."""
    candidates: list[str | None] = [scan.lang]
    metas = dict(reversed(scan.metas))
    candidates.extend(metas.get(key) for key in _META_KEYS)
    for obj in article_objects(objects)[:1]:
        candidates.append(first_string(obj.get("inLanguage")))
    if hints:
        candidates.append(hints.language)
    for candidate in candidates:
        value = normalise(candidate)
        if value:
            return value
    return None


# Scripts used by (almost) one language each: enough to name the language of an undeclared page.
_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("ja", "\u3040-\u30ff"),  # kana: only Japanese writes it (checked before the shared Han ideographs)
    ("ko", "\uac00-\ud7af"),
    ("zh", "\u4e00-\u9fff"),
    ("ru", "\u0400-\u04ff"),
    ("ar", "\u0600-\u06ff"),
    ("el", "\u0370-\u03ff"),
    ("he", "\u0590-\u05ff"),
    ("th", "\u0e00-\u0e7f"),
)
_SCRIPT_PATTERNS = tuple((lang, re.compile(f"[{chars}]")) for lang, chars in _SCRIPTS)
# Share of the sampled letters a script needs before it names the language.
_SCRIPT_SHARE = 0.3
_SAMPLE_CHARS = 2000


def script_language(text: str) -> str | None:
    """The language an undeclared page's text is written in, when its script says so."""
    sample = text[:_SAMPLE_CHARS]
    letters = sum(ch.isalpha() for ch in sample)
    if not letters:
        return None
    for lang, pattern in _SCRIPT_PATTERNS:
        count = len(pattern.findall(sample))
        if count >= _SCRIPT_SHARE * letters or (lang == "ja" and count >= _SCRIPT_SHARE * letters / 3):
            return lang
    return None


def month_first(language: str | None) -> bool:
    """Whether numeric dates on this page are month/day/year (US usage) rather than day/month."""
    if not language:
        return False
    lang, _, region = language.partition("-")
    return lang == "en" and (not region or region in _MONTH_FIRST_REGIONS)
