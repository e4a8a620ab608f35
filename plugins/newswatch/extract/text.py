"""Small text helpers shared by the extractors."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "―": "-",
        "\u00a0": " ",
    }
)
_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces, trimmed."""
    return _WS.sub(" ", text).strip()


def comparable(text: str) -> str:
    """A form for comparing two renderings of the same phrase (case, quotes, dashes, spacing)."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    return squash(text).strip(" .,:;!?-'\"|")
