"""Month names of many languages, from the Unicode CLDR through Babel, packaged in months.json.

The hand-written table in ``written`` covers the languages the extractor was developed on; news
about one story is written in many more ("5 березня 2024", "5 Μαρτίου 2024", "5. března 2024").
CLDR has every language's month names in their written (genitive) and stand-alone forms. Babel
reads that data in about a quarter of a second, too slow for every process that imports the
extractor, so ``benchmarks/extraction_months.py`` writes the names once and a test checks the
packaged file against Babel's data.

Left out: a name that means different months in different languages ("listopad" is October in
Croatian and November in Czech and Polish); abbreviations shorter than four letters, which are
often words ("out", "set", "sen": "Sign out 17, 2023" is no date; the hand-written table has the
common ones); and the numbered month forms of East Asian and Vietnamese calendars, which the date
patterns read as numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

MONTHS_FILE = Path(__file__).with_name("months.json")
# Languages whose news writes the month as a word, in CLDR locale codes.
LOCALES = (
    "af ar az be bg bs ca cs cy da de el en es et eu fa fi fil fr ga gl he hi hr hu id is it lt lv "
    "mk ms nb nl nn pl pt ro ru sk sl sq sr sr_Latn sv sw tr uk"
).split()
_MIN_ABBREVIATION_CHARS = 4


def _form(name: str) -> str:
    """The form a page's text is matched in: lower case, without an abbreviation's dot, without
    the Catalan "de" that the date patterns read on their own."""
    name = name.lower().rstrip(".")
    return name.removeprefix("de ").removeprefix("d’").removeprefix("d'")


def from_cldr() -> dict[str, int]:
    """Every unambiguous month name of ``LOCALES`` (full and abbreviated, written and stand-alone)."""
    from babel.dates import get_month_names

    months: dict[str, set[int]] = {}
    for locale in LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale=locale).items():
                    form = _form(name)
                    short = width == "abbreviated" and len(form) < _MIN_ABBREVIATION_CHARS
                    if form and not short and not any(ch.isdigit() for ch in form):
                        months.setdefault(form, set()).add(number)
    return {name: numbers.pop() for name, numbers in sorted(months.items()) if len(numbers) == 1}


def packaged() -> dict[str, int]:
    """The names shipped with the product."""
    return json.loads(MONTHS_FILE.read_text(encoding="utf-8"))["months"]
