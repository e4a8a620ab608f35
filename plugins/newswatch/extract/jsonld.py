"""JSON-LD blocks: parse leniently, flatten ``@graph`` and lists, pick the article object.

Pages ship broken JSON (trailing commas, raw newlines in strings, HTML comments or CDATA sections
around it), so a strict parse is tried first and a repaired one second; anything still broken is
skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "socialmediaposting",
        "liveblogposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "advertisercontentarticle",
        "satiricalarticle",
        "medicalscholarlyarticle",
        "posting",
        "discussionforumposting",
        "askpublicnewsarticle",
        "review",
    }
)
PAGE_TYPES = frozenset(
    {
        "webpage",
        "itempage",
        "collectionpage",
        "videoobject",
        "creativework",
        "recipe",
        "event",
        "product",
        "mediaobject",
        "qapage",
        "faqpage",
        "aboutpage",
    }
)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
# HTML comments or CDATA sections (bare, or behind "//" or inside "/* */") around the JSON.
_COMMENTS = re.compile(
    r"^\s*(?:<!--|(?://|/\*)?\s*<!\[CDATA\[\s*(?:\*/)?)|(?:-->|(?://|/\*)?\s*\]\]>\s*(?:\*/)?)\s*$"
)


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        pass
    repaired = _TRAILING_COMMA.sub(r"\1", _COMMENTS.sub("", text.strip()))
    try:
        return json.loads(repaired, strict=False)
    except ValueError:
        return None


def _flatten(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            yield from _flatten(item, depth + 1)
    elif isinstance(node, dict):
        yield node
        graph = node.get("@graph")
        if graph is not None:
            yield from _flatten(graph, depth + 1)
        main = node.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _flatten(main, depth + 1)


def parse_objects(blocks: list[str]) -> list[dict[str, Any]]:
    """All JSON-LD objects of the page, ``@graph`` members and list items included."""
    objects: list[dict[str, Any]] = []
    for text in blocks:
        data = _loads(text)
        if data is not None:
            objects.extend(_flatten(data))
    return objects


def types_of(obj: dict[str, Any]) -> set[str]:
    """The lower-cased local names of an object's ``@type`` (a string or a list)."""
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def article_objects(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Objects that describe the article itself, most specific first."""
    articles = [o for o in objects if types_of(o) & ARTICLE_TYPES]
    pages = [o for o in objects if types_of(o) & PAGE_TYPES and not types_of(o) & ARTICLE_TYPES]
    return articles + pages


def first_string(value: Any) -> str | None:
    """A string from a JSON-LD value that may be a string, a list, or an object with a name/@value."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        for item in value:
            found = first_string(item)
            if found:
                return found
        return None
    if isinstance(value, dict):
        return first_string(value.get("@value") or value.get("name"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def article_body(objects: list[dict[str, Any]]) -> str | None:
    """The article's text as its publisher ships it (``articleBody``: plain text or HTML), or None."""
    for obj in article_objects(objects):
        text = first_string(obj.get("articleBody"))
        if text:
            return text
    return None
