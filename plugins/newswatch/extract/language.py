"""The page language: what the publisher declared (``<html lang>``, meta, JSON-LD, og:locale, a
feed's hint), checked against the text.

Declared languages are right on news sites far more often than statistical guesses on short
texts, and reading them costs nothing. But site templates declare their theme's language: a German
blog on an English WordPress theme says ``lang="en-US"`` (on the development and extra pages, 19
of 1,254 declarations of a language the check knows, on 17 pages, each a page whose text is in
another language, one of them mostly). So the text has a say when it speaks clearly: its
commonest function words ("der die und", "the and of") name one language well ahead of the
others. An undeclared page is named by its function words, else by its script. The function-word
lists are hand-written, a few hundred bytes, rather than a statistical detector: this is one check
on a declaration, not identification of any language; a language outside the lists keeps its
declaration.
"""

from __future__ import annotations

import re
from collections import Counter
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


# Cyrillic languages by the letters only they write (Russian alone writes "ы" and "э" among these).
_CYRILLIC_LETTERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ru", re.compile("[ыэЫЭ]")),
    ("be", re.compile("[ўЎ]")),
    ("uk", re.compile("[іїєґІЇЄҐ]")),
    ("sr", re.compile("[ђјљњћџЂЈЉЊЋЏ]")),
    ("mk", re.compile("[ѓќѕЃЌЅ]")),
    ("bg", re.compile("[ъЪ]")),
)


def script_language(text: str) -> str | None:
    """The language an undeclared page's text is written in, when its script says so."""
    sample = text[:_SAMPLE_CHARS]
    letters = sum(ch.isalpha() for ch in sample)
    if not letters:
        return None
    for lang, pattern in _SCRIPT_PATTERNS:
        count = len(pattern.findall(sample))
        if count >= _SCRIPT_SHARE * letters or (lang == "ja" and count >= _SCRIPT_SHARE * letters / 3):
            return _cyrillic_language(sample) if lang == "ru" else lang
    return None


def _cyrillic_language(sample: str) -> str:
    return next((lang for lang, letters in _CYRILLIC_LETTERS if letters.search(sample)), "ru")


# The twenty-odd commonest function words of languages written in the Latin alphabet.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and of to is that with for was are this have from it by which were has not but",
        "de": "der die und das ist nicht mit sich auf für den dem ein eine auch von zu es werden wurde",
        "fr": "le la les et des est une dans pour qui que pas sur avec au du ce il sont plus",
        "es": "el la los las y que en del por con una para es se su como más pero fue al",
        "it": "il di che la e per un una non sono del della con gli le nel è anche si alla",
        "pt": "o a os as que de do da em para com um uma não por dos das mais foi é",
        "nl": "de het een en van is dat niet op met voor zijn er te ook aan maar bij wordt om",
        "pl": "i w nie się na z do że jest to o jak po przez od ale dla są ich tym",
        "tr": "ve bir bu da de için ile olarak daha çok gibi olan ancak sonra kadar ama ne her değil en",
        "sv": "och att det som en på är av för med till den har inte om ett var de jag kan",
        "da": "og at det er en til på af for med som den har ikke de et jeg om men var",
        "no": "og i det er som på en til av for med har ikke de den et om å var men",
        "cs": "a se na je že v to s z do o jako ale by pro jsou které podle také však",
        "hu": "a az és hogy nem is egy meg van volt csak már de mint ez el még azt ki szerint",
        "id": "yang dan di ini itu dengan untuk dari tidak dalam akan pada juga ke ada karena oleh mereka",
        "ro": "și de în a la cu pe care din nu o un că pentru mai este fost sunt să au",
        "fi": "ja on ei että se oli mutta kun myös ovat hän tai sen jo kuin niin mitä vain nyt jotka",
    }.items()
}  # fmt: skip
# function word -> the languages that use it ("de" is Dutch, Spanish, Portuguese, Turkish…)
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {
    word: tuple(lang for lang, words in _FUNCTION_WORDS.items() if word in words)
    for word in set().union(*_FUNCTION_WORDS.values())
}
_SAME_LANGUAGE = {"nb": "no", "nn": "no"}
_WORD = re.compile(r"[^\W\d_]+")
# The text names a language when at least this share of its words are that language's function
# words, this many times the share of the next language's, over at least this many words. Chosen
# on the development and extra pages, whose 17 pages where the text so names another language than
# declared were read one by one: each text is in the language it names (one page mostly: an
# English quote on a German shop's page).
_FUNCTION_SHARE, _FUNCTION_MARGIN, _MIN_WORDS = 0.15, 1.3, 20


def text_language(text: str) -> str | None:
    """The language whose function words the text is made of, when one clearly leads."""
    words = [word.lower() for word in _WORD.findall(text[:_SAMPLE_CHARS])]
    if len(words) < _MIN_WORDS:
        return None
    counts = Counter(lang for word in words for lang in _LANGUAGES_OF.get(word, ()))
    ranked = [*counts.most_common(2), ("", 0), ("", 0)]
    (lang, first), (_, second) = ranked[0], ranked[1]
    return lang if first >= _FUNCTION_SHARE * len(words) and first >= _FUNCTION_MARGIN * second else None


def page_language(declared: str | None, text: str) -> str | None:
    """The declared language, unless the text is clearly in another the check knows; an undeclared
    page's language from its function words, else its script."""
    if declared is None:
        return text_language(text) or script_language(text)
    primary = declared.split("-")[0]
    primary = _SAME_LANGUAGE.get(primary, primary)
    if primary not in _FUNCTION_WORDS:
        return declared  # a language the check does not know: nothing to weigh it against
    spoken = text_language(text)
    return spoken if spoken and spoken != primary else declared


def month_first(language: str | None) -> bool:
    """Whether numeric dates on this page are month/day/year (US usage) rather than day/month."""
    if not language:
        return False
    lang, _, region = language.partition("-")
    return lang == "en" and (not region or region in _MONTH_FIRST_REGIONS)
