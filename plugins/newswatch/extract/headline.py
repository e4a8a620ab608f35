"""The headline: what the page shows readers in its ``<h1>``, checked against what it declares.

A heading above the body that is exactly a declared title (JSON-LD headline, og:title) wins; then
a visible heading that agrees with a declared title or ``<title>``, read as the declared title when
it only adds a kicker, a date or the site name; otherwise the ``<h1>`` nearest above the article
body (not the site's logo, nor h1s that sit only in menus and footers); pages without a usable
``<h1>`` fall back to the declared title without the parts that name the site.
"""

from __future__ import annotations

import html
import re
from itertools import pairwise
from typing import Any

from newswatch.extract.jsonld import article_objects, first_string
from newswatch.extract.scan import Block, Scan
from newswatch.extract.text import comparable, squash
from newswatch.extract.tuning import TUNING
from newswatch.models import Hints

# "Headline | Site", "Headline - Site", "标题-新华网", "SITE|見出し", "제목ㅣ한국일보" (Korean titles use
# the vowel letter ㅣ, which running Hangul text never holds alone, as a bar)
_SITE_SEPARATORS = re.compile(
    r"\s+(?:--|-|–|—|::|«|»|·|•|/|:)\s+|\s*[|｜ㅣ]\s*|(?<=[\u3000-\u9fff\uff00-\uffef])\s*[-_–—]\s*"
    r"|\s*[-_–—]\s*(?=[\u3000-\u9fff\uff00-\uffef])"
)
# A title part that is a bare domain name ("heizung.de", "MDR.DE", "example.com //") names the site.
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", re.IGNORECASE)
_PART_EDGES = " /»«|-–—:·•"
_HEADINGS = ("h1", "h2")
# Headings that may show the headline when they are exactly the declared title (blog posts: h3).
_EXACT_HEADINGS = ("h1", "h2", "h3")
# A heading must cover this share of a declared title to count as the same headline.
_MIN_SHARE = 0.6
# A declared title that starts or ends a longer heading must be this share of it to be the headline.
_MIN_KICKER_SHARE = 0.3
# A fully linked h1 (a logo) this share of link text is the site's, when other headings exist.
_LINKED = 0.9
# What is left out when a glued heading is spelled against a declared title: all but letters and digits.
_NOT_WORD = re.compile(r"[\W_]+")


def _clean(text: str) -> str:
    return squash(html.unescape(text) if "&" in text else text)


def metadata_titles(scan: Scan, objects: list[dict[str, Any]]) -> list[str]:
    """Titles the publisher declared for this article (JSON-LD, og/twitter/meta), best first."""
    titles: list[str] = []
    for obj in article_objects(objects)[:3]:
        value = first_string(obj.get("headline")) or first_string(obj.get("name"))
        if value:
            titles.append(value)
    metas = dict(reversed(scan.metas))
    for key in ("og:title", "twitter:title", "title", "dc.title", "headline", "sailthru.title"):
        if metas.get(key):
            titles.append(metas[key])
    return [_clean(t) for t in titles if t and len(t) <= TUNING.max_headline_chars * 2]


def strip_site_name(title: str) -> str:
    """ "Headline | Site" → "Headline": the longest part between site-name separators that is not
    a bare domain name ("example.com » Name")."""
    parts = [p.strip() for p in _SITE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    return max([p for p in parts if not _is_site(p, set())] or parts, key=len)


def _is_site(part: str, sites: set[str]) -> bool:
    """Whether a title part names the site: a known site name or a bare domain name."""
    return comparable(part) in sites or bool(_DOMAIN.fullmatch(part.strip(_PART_EDGES)))


def without_site(title: str, sites: set[str]) -> str:
    """ "Headline – with dash | site.de | Section" → "Headline – with dash": the title without its
    leading and trailing parts that name the site; separators inside the headline stay."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SITE_SEPARATORS.finditer(title):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(title)))
    spans = [(a, b) for a, b in spans if title[a:b].strip()]
    while len(spans) > 1 and _is_site(title[spans[-1][0] : spans[-1][1]], sites):
        spans.pop()
    while len(spans) > 1 and _is_site(title[spans[0][0] : spans[0][1]], sites):
        spans.pop(0)
    return title[spans[0][0] : spans[-1][1]].strip() if spans else title


def _declared_site_names(scan: Scan) -> set[str]:
    """Comparable forms of the names the page declares for its site (og:site_name and the like);
    not a name that is also the declared title (an ``application-name`` filled with the headline)."""
    metas = dict(reversed(scan.metas))
    keys = ("og:site_name", "application-name", "publisher")
    titles = {comparable(metas[key]) for key in ("og:title", "twitter:title") if metas.get(key)}
    return {comparable(metas[key]) for key in keys if metas.get(key)} - titles


def _title_parts(scan: Scan) -> list[str]:
    """The parts of ``<title>`` between site-name separators."""
    return [p for p in _SITE_SEPARATORS.split(scan.title) if p.strip()] if scan.title else []


def site_names(scan: Scan) -> set[str]:
    """Comparable forms of the site's name: og:site_name and the trailing short parts of ``<title>``
    ("Headline - Section - Site"; the first part is the headline however short it is)."""
    names = _declared_site_names(scan)
    parts = _title_parts(scan)
    if len(parts) > 1:
        longest = max(parts, key=len)
        names.update(comparable(p) for p in parts[1:] if p is not longest)
    return names


def _sure_site_names(scan: Scan) -> set[str]:
    """The site's names sure enough to cut from a title: og:site_name and the like, and the last
    part of ``<title>`` (a middle part may be the headline's own: "Dog scares burglar – Appeal – Site")."""
    names = _declared_site_names(scan)
    parts = _title_parts(scan)
    if len(parts) > 1 and parts[-1] is not max(parts, key=len):
        names.add(comparable(parts[-1]))
    return names


def _tight(text: str) -> str:
    """Comparable form without spaces, so that "Kicker : Headline" (styled spans run together) and
    "Kicker: Headline" compare equal."""
    return comparable(text).replace(" ", "")


def _letters(text: str) -> str:
    """Comparable form of letters and digits only."""
    return _NOT_WORD.sub("", comparable(text))


def _glued(text: str) -> bool:
    """Whether styled spans ran words together with their separator hidden ("KickerHeadline")."""
    return any(a.islower() and b.isupper() for a, b in pairwise(text))


def _agrees(heading: str, titles: list[str], parts_count: bool = False) -> bool:
    """Whether a heading is the declared title (or most of it, or one of its "|"-separated parts),
    not just the site name inside it. Equal titles may differ in spacing ("Kicker : Headline")."""
    key = comparable(heading)
    if len(key) < 2:
        return False
    tight = key.replace(" ", "")
    for title in titles:
        if parts_count and key in [comparable(p) for p in _SITE_SEPARATORS.split(title) if p.strip()]:
            return True
        for form in (comparable(title), comparable(strip_site_name(title))):
            if tight == form.replace(" ", "") or (key in form and len(key) >= _MIN_SHARE * len(form)):
                return True
            if form in key and len(form) >= _MIN_SHARE * len(key):
                return True
    return False


def _ends_with_words(text: str, tail: str) -> bool:
    """Whether comparable ``text`` ends with comparable ``tail`` as whole words, and ``tail`` is a
    fair share of it (a kicker or a date in front, not "man" in "Superman")."""
    if len(tail) < 2 or not text.endswith(tail) or len(tail) < _MIN_KICKER_SHARE * len(text):
        return False
    return len(tail) == len(text) or not text[-len(tail) - 1].isalnum()


def _as_declared(heading: str, titles: list[str], sites: set[str]) -> str:
    """The declared title a heading shows with only a kicker or a date in front ("Jun 17 Headline"),
    a site name behind ("Headline | site.net", hidden from sight) or other spacing; else the heading.
    The publisher's own spelling has no styling spans run together."""
    key = _tight(heading)
    forms = [(text, _tight(text)) for title in titles for text in (title, without_site(title, sites))]
    for wanted in (key, _tight(without_site(heading, sites))):
        for text, form in forms:
            if form == wanted:
                return text
    spaced = comparable(heading)
    for text, _ in forms:
        if _ends_with_words(spaced, comparable(text)):
            return text
    return heading


def _agreeing_line(heading: str, titles: list[str], sites: set[str], parts_count: bool = False) -> str | None:
    """The heading, or the one of its lines (kicker, headline, subtitle), that agrees with a title."""
    if _agrees(heading, titles, parts_count):
        return _as_declared(squash(heading), titles, sites)
    if "\n" in heading:
        for line in heading.split("\n"):
            if _agrees(line, titles, parts_count):
                return _as_declared(squash(line), titles, sites)
    return None


def _kicker_free(heading: str, declared: list[str]) -> str | None:
    """The declared title when the heading is it plus a kicker or a subtitle run into one line
    ("Olympische Spiele in Paris Getränke per Schiff …" with og:title "Getränke per Schiff …")."""
    key = comparable(heading)
    for title in declared:
        short = strip_site_name(title)
        form = comparable(short)
        if len(form) >= _MIN_KICKER_SHARE * len(key) and (key.endswith(form) or key.startswith(form)):
            return short
    return None


def _usable(block: Block, sites: set[str]) -> bool:
    key = comparable(block.text)
    return len(key) >= 2 and len(block.text) <= TUNING.max_headline_chars and key not in sites


def _exact_heading(
    scan: Scan, declared: list[str], sites: set[str], sure_sites: set[str], body_start: int | None
) -> str | None:
    """A visible heading that is exactly a declared title: an h1 anywhere, an h2 or h3 above the body
    (also inside a container named like a menu: some pages wrap their whole layout in one, and a
    teaser elsewhere does not repeat the page's own title). It beats a heading that only covers most
    of one, such as a linked blog name in an h1 above a post whose own title is an h3."""
    keys = {_tight(form): form for title in declared for form in (title, without_site(title, sure_sites))}
    keys.pop("", None)
    if not keys:
        return None
    spelled: dict[str, str] = {}  # the same forms by letters alone, for glued headings
    for form in keys.values():
        spelled.setdefault(_letters(form), form)
    end = len(scan.blocks) if body_start is None else body_start + 1
    for tag in _EXACT_HEADINGS:
        # An h1 that is a declared title is the headline wherever the body was found to start (a
        # video box above the h1 can open the article's container); lesser headings count above it.
        for block in scan.blocks if tag == "h1" else scan.blocks[:end]:
            if block.tag == tag and _usable(block, sites):
                form = keys.get(_tight(block.text))
                if form is None and _glued(block.text):
                    form = spelled.get(_letters(block.text))
                if form:
                    return form  # as declared: styled spans may have run "Kicker : Headline"
    return None


def find_headline(
    scan: Scan, objects: list[dict[str, Any]], hints: Hints | None, body_start: int | None = None
) -> str | None:
    """The article's headline, or None. ``body_start`` is the index of the body's first block."""
    declared = metadata_titles(scan, objects)
    if hints and hints.title:
        declared.append(_clean(hints.title))
    titles = [*declared, _clean(scan.title)] if scan.title else declared
    sites = site_names(scan)
    sure_sites = _sure_site_names(scan)
    exact = _exact_heading(scan, declared, sites, sure_sites, body_start)
    if exact:
        return exact
    indexed = [(i, b) for i, b in enumerate(scan.blocks) if b.tag in _HEADINGS and _usable(b, sites)]
    for agreed_with in (declared, titles):  # the article's own title first, then <title>
        for tag in _HEADINGS:
            for _, block in indexed:
                if block.tag == tag and (tag == "h1" or block.neg_depth < 0):
                    line = _agreeing_line(block.text, agreed_with, sure_sites)
                    if line:
                        return line
    for _, block in indexed:  # "Penny - Stardew Valley Wiki": a short h1 that is one part of a title
        if block.tag == "h1" and _agrees(block.text, titles, parts_count=True):
            return squash(block.text)
    h1 = [(i, b) for i, b in indexed if b.tag == "h1" and b.neg_depth < 0]
    if not h1 and not declared and not scan.title:  # h1s only in menus and footers are not it
        h1 = [(i, b) for i, b in indexed if b.tag == "h1"]
    unlinked = [(i, b) for i, b in h1 if b.link_chars < _LINKED * len(b.text)]
    h1 = unlinked or h1
    for _, block in h1:
        part = _kicker_free(block.text, declared)
        if part:
            return part
    if h1:
        above = [(i, b) for i, b in h1 if body_start is not None and i <= body_start]
        return squash((above[-1] if above else h1[0])[1].text)
    # a declared title that is not the site's name ("Sports.fr" as a JSON-LD headline) first
    own = [title for title in declared if comparable(title) not in sites] or declared
    if own:
        return without_site(own[0], sure_sites)
    return strip_site_name(_clean(scan.title)) if scan.title else None


def headline_block(scan: Scan, headline: str | None) -> int | None:
    """Index of the block that shows the headline (dates and bylines sit around it): an h1 or h2
    that reads as it, else the first one that shows it behind a kicker or a date, spaced otherwise
    or with its separator hidden (the headline may be given as the publisher declared it)."""
    if not headline:
        return None
    key = comparable(headline)
    tight = key.replace(" ", "")
    letters = _letters(headline)
    shown_in = None
    for index, block in enumerate(scan.blocks):
        if block.tag not in _HEADINGS or len(block.text) > TUNING.max_headline_chars * 2:
            continue
        text = comparable(block.text)
        if text == key:
            return index
        if shown_in is None and (
            text.replace(" ", "") == tight
            or _ends_with_words(text, key)
            or (_glued(block.text) and _letters(block.text) == letters)
        ):
            shown_in = index
    return shown_in
