"""Article text a page ships beside its rendered HTML, for pages whose HTML holds little of it.

Script-rendered pages put a teaser, or nothing, in the HTML and the story in data for their
scripts: the JSON-LD ``articleBody``, or the article's HTML as a JSON string in the framework's
state (Next.js's ``__next_f`` chunks, a hydrated query cache). Both are read only when the HTML's
own body falls short, and each must show it is the article: the ``articleBody`` must hold the
HTML's paragraphs, the script HTML must read as an article of some length by the body's own rules.
"""

from __future__ import annotations

import json
import re
from typing import Any

from newswatch.extract.body import body_blocks
from newswatch.extract.jsonld import article_body
from newswatch.extract.parse import parse_html
from newswatch.extract.scan import Scan, scan_page
from newswatch.extract.text import comparable
from newswatch.extract.tuning import TUNING, Tuning

# A JSON string literal long enough to hold an article (escapes kept, decoded by json.loads).
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.){400,})"')
# A paragraph tag as written inside a JSON string: raw or with "<" escaped as \u003c.
_PARAGRAPH = re.compile(r"(?:<|\\u003[cC])p[\s>\\]")
# Script strings read as candidate articles, longest first: enough for the article and a few
# teasers beside it, bounded so that a page of many embedded fragments costs little.
_MAX_SCRIPT_HTML = 5


def _paragraphs(text: str) -> str | None:
    """The shipped text with its paragraphs on their own lines (some publishers ship HTML)."""
    if "<" in text:
        text = parse_html(text).get_text("\n")
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip()) or None


def teaser_body(scan: Scan, body: list[int], objects: list[dict[str, Any]]) -> str | None:
    """The publisher's own ``articleBody`` when the page's HTML holds only the start of it.

    As paywalled pages ship the subscriber's copy in hidden elements (which the body reads), script-
    rendered ones ship the whole text in their JSON-LD. It replaces the blocks only when it is at
    least twice as long and holds at least half of the blocks' text: a different version of the
    story, or another text, fails that.
    """
    shipped = article_body(objects)
    if not shipped or not body or len(shipped) < sum(len(scan.blocks[i].text) for i in body):
        return None  # most pages: the shipped text is the blocks' again, so nothing is compared
    ours = [comparable(scan.blocks[i].text) for i in body]
    total = sum(len(text) for text in ours)
    shipped = _paragraphs(shipped)
    if shipped is None:
        return None
    theirs = comparable(shipped)
    if len(theirs) < 2 * total:
        return None
    held = sum(len(text) for text in ours if len(text) >= 40 and text[:60] in theirs)
    return shipped if held >= total / 2 else None


def script_html_body(page_text: str, tuning: Tuning = TUNING) -> str | None:
    """The article read from HTML that the page's scripts carry as a string, for a page whose
    rendered HTML has no body: the string whose body (by the body's rules) is longest, when that is
    long enough to be an article."""
    strings = [m.group(1) for m in _JSON_STRING.finditer(page_text)]
    strings = [raw for raw in strings if len(_PARAGRAPH.findall(raw)) >= 3]
    best: str | None = None
    for raw in sorted(strings, key=len, reverse=True)[:_MAX_SCRIPT_HTML]:
        try:
            html = json.loads(f'"{raw}"')
        except ValueError:
            continue
        scan = scan_page(parse_html(html))
        text = "\n\n".join(scan.blocks[i].text for i in body_blocks(scan, tuning).blocks)
        if len(text) >= tuning.min_body_chars and len(text) > len(best or ""):
            best = text
    return best
