"""Every date a page offers for its publication, each with the evidence of where it was found.

Machine dates come from JSON-LD (the article's object, else a plain web-page object), meta tags
(the specific ``article:published_time`` kind, or a generic ``date``), microdata and ``<time>``
elements whose attributes name publication or modification. Dates readers see come from the lines
around the headline (with their label, "Published"/"Updated"/none, and their distance from the
headline), from date lines anywhere on the page, the description meta tag and the URL path. A page
that offers none of these may still carry its date where no reader looks: in its scripts' data (a
shop or app template that renders the date in the browser) or in the path of its share image.
Dates in the headline, captions, quotations, comment threads and sentences of the story are not
candidates. Every candidate passes one plausibility check (settings: minimum year, fetch time plus
a skew). Which candidate is the publication date is :mod:`newswatch.extract.dates.choice`'s call.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from newswatch.extract.dates.parse import make_date, parse_date
from newswatch.extract.dates.written import (
    dates_with_labels,
    day_word_date,
    find_dates,
    numberless_relative,
    relative_date,
    yearless_date,
)
from newswatch.extract.jsonld import ARTICLE_TYPES, types_of
from newswatch.extract.scan import Scan
from newswatch.extract.tuning import TUNING
from newswatch.models import DateSource
from newswatch.settings import Settings

PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "article.published", "published_time", "publishdate", "publish-date", "publish_date", "pubdate",
    "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created", "dc.date", "dcterms.date",
    "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime", "article:published",
    "originalpublicationdate", "rnews:datepublished", "citation_publication_date", "citation_date",
    "publication_date", "publicationdate", "date.published", "article_date_original", "displaydate",
    "dc.date.published", "bt:pubdate", "og:pubdate", "pub_date", "published_at", "datecreated", "date",
    "created", "release_date", "ob:date",
)  # fmt: skip
# Meta names that say "a date" rather than "the publication date": templates fill them with
# today's date, the last edit or the site's launch as often as with the article's date.
GENERIC_META = frozenset({"dc.date", "dcterms.date", "date", "created", "datecreated", "displaydate"})
UPDATED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified",
    "article.updated", "modified_time", "last-modified", "lastmod", "dcterms.modified", "dc.date.modified",
    "parsely-updated-date", "article:modified", "updated_time", "dateupdated", "revised",
)  # fmt: skip
_URL_DATE = re.compile(
    r"(?<!\d)((?:199|20[0-3])\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)"
    r"|/((?:199|20[0-3])\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/"
    # an article id that starts with its date after a three-letter code (Yonhap's AKR20240619…)
    r"|/[A-Z]{3}((?:199|20[0-3])\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{6,}"
)
_PUBLISH_HINT = re.compile(r"publi|posted|created|pubdate|entry-date|article-date", re.I)
_UPDATE_HINT = re.compile(r"updat|modif|mod[-_]?time|lastmod|revis", re.I)
# An element marked as the publication time in so many words: the hAtom class "published" (which
# WordPress writes as "entry-date published updated" on a post never changed: its time is both),
# itemprop datePublished or the pubdate attribute. Its "updated" does not make it the update.
_PUBLISHED_MARK = re.compile(
    r"(?:^|[\s=_-])published(?:$|\s)|(?:^|[\s-])pubdate=|itemprop=date(?:published|created)\b", re.I
)
# Page objects whose dates are the page's own (a VideoObject's upload date is not the article's).
_DATED_PAGE_TYPES = frozenset({"webpage", "itempage", "creativework", "blog", "qapage", "aboutpage"})
_DESCRIPTION_KEYS = frozenset({"description", "og:description", "twitter:description", "dc.description"})
# A caption's date is when the picture was taken ("Abbildung: … vom 31.05.2021").
_CAPTION = re.compile(
    r"(?:abbildung|abb\.|bild|foto|photo|picture|figure|fig\.|image|quelle|credit)\s*\d*\s*:", re.I
)
_UPDATED_AT = re.compile(
    r"(?:updated|aktualisiert|mis à jour|actualizado|aggiornato|обновлено)\W{0,3}(?:at\s|um\s|à\s)?"
    r"([0-2]?\d)[:.h]([0-5]\d)\s*([ap]\.?\s?m\.?)?",
    re.I,
)
# A publication date in a script's data: '"published_at":"2019-03-02T06:22:28+01:00"', also with
# the quotes escaped inside a JSON string (a page's state embedded in another script's string).
_SCRIPT_PUBLISHED = re.compile(
    r'"(?:date_?published|published_?(?:at|date|time|on)?|publish_?(?:date|time|ed_?at)|pub_?date|'
    r'first_?published(?:_?(?:at|date|time))?)\\?"\s*:\s*\\?"((?:19|20)\d\d-[01]\d-[0-3]\d[^"\\]{0,30})',
    re.I,
)
# Meta tags naming the page's share image, whose folder path often carries its upload day
# (/2026/01/29/…); a file name's digits are as often when the photo was taken.
_IMAGE_METAS = ("og:image", "og:image:secure_url", "twitter:image")
_DAY_FOLDERS = re.compile(r"/((?:199|20[0-3])\d)/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/")
_QUOTING = frozenset({"blockquote", "figcaption"})
# Classes of the elements that hold a picture and its caption when no <figure> does.
_CAPTION_CLASS = re.compile(r"caption|picbox|bildunterschrift|legende?\b|photo-?credit", re.I)
# Blocks around the headline where the date line sits: this many before, this many after.
_BEFORE, _AFTER = 12, 30
# Linked lines this close to the headline may be the date line (it links to itself); further, teasers.
_LINKED_ABOVE, _LINKED_BELOW = 3, 8
# A day without its year, or "today" with a time, counts on a line at most this long (not a caption).
_SHORT_DATE_LINE_CHARS = 80
# A line of this many words ending like a sentence is prose, not a date line.
_PROSE_WORDS = 10
# A paragraph may open with its dateline ("29.11.2022 – The ministry…", "BERLIN, March 3, 2021 —
# …"): the words before a dash this close to the start, read as a date line when they are a date
# after at most a place of this many words and a comma.
_DATELINE = re.compile(r"^(.{4,60}?)\s[–—-]\s")
_DATELINE_PLACE_WORDS = 3

# Where a candidate was found. Machine kinds first: the order breaks ties between equal scores.
MACHINE_KINDS = ("json-ld", "json-ld-page", "meta", "meta-generic", "microdata", "time-attr")
SEEN_KINDS = ("time", "text", "relative", "text-far", "description", "url")
# Read only when the page offers none of the kinds above (see ``traces``).
TRACE_KINDS = ("script", "image")
_SOURCES: dict[str, DateSource] = {
    "json-ld": "json-ld", "json-ld-page": "json-ld", "meta": "meta", "meta-generic": "meta",
    "microdata": "microdata", "time-attr": "time", "time": "time", "text": "text", "relative": "text",
    "text-far": "text", "description": "meta", "url": "url", "script": "script", "image": "image",
}  # fmt: skip


@dataclass(frozen=True)
class DateBounds:
    """The plausibility window for page dates."""

    earliest: datetime
    latest: datetime

    @classmethod
    def from_settings(cls, settings: Settings, now: datetime) -> DateBounds:
        earliest = make_date(settings.extract_min_year, 1, 1)
        assert earliest is not None
        return cls(earliest, now + timedelta(hours=settings.extract_future_skew_hours))

    def ok(self, value: datetime | None) -> bool:
        return value is not None and self.earliest <= value <= self.latest


@dataclass(frozen=True)
class Candidate:
    """One date the page offers, and where: ``kind`` (see MACHINE_KINDS, SEEN_KINDS, TRACE_KINDS),
    its label ("published", "updated" or "" when the page does not say) and, for a date readers
    see, its distance in blocks below (+) or above (-) the headline."""

    value: datetime
    kind: str
    label: str
    offset: int | None = None

    @property
    def source(self) -> DateSource:
        return _SOURCES[self.kind]

    @property
    def machine(self) -> bool:
        return self.kind in MACHINE_KINDS


@dataclass(frozen=True)
class DateEvidence:
    """All a page says about its dates; what the choice reads, without the page."""

    candidates: tuple[Candidate, ...]
    # "Updated 3:45 PM" under the headline: an update on the day of publication (hour, minute).
    updated_clock: tuple[int, int] | None = None


def headline_distance(offset: int | None) -> int:
    """How far a shown date is from the headline, for ranking: blocks below the headline are where
    bylines sit, above it is often a header's 'today', so a block above counts double."""
    if offset is None:
        return 10**6
    return offset if offset >= 0 else -offset * 2


def _json_ld_values(objects: list[dict[str, Any]], keys: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(value, kind) under ``keys`` of the article objects, then of plain web-page objects."""
    articles = [o for o in objects if types_of(o) & ARTICLE_TYPES or "headline" in o or "articleBody" in o]
    pages = [o for o in objects if types_of(o) & _DATED_PAGE_TYPES and o not in articles]
    for kind, group in (("json-ld", articles), ("json-ld-page", pages)):
        for obj in group:
            for key in keys:
                value = obj.get(key)
                if isinstance(value, list):
                    value = value[0] if value else None
                if isinstance(value, str):
                    yield value, kind


def _names_update(attrs: str) -> bool:
    """Whether a ``<time>``'s attributes make it the update. A class naming both publication and
    update in one word ("PublicationTime__mod-time") is the update: the update word is the specific
    one; an explicit publication mark beside an "updated" class is the publication."""
    return bool(_UPDATE_HINT.search(attrs)) and not _PUBLISHED_MARK.search(attrs)


def _machine_values(scan: Scan, objects: list[dict[str, Any]], updated: bool) -> Iterator[tuple[str, str]]:
    keys = ("dateModified",) if updated else ("datePublished", "dateCreated")
    props = ("datemodified", "dateupdated") if updated else ("datepublished", "datecreated")
    hint = _UPDATE_HINT if updated else _PUBLISH_HINT
    yield from _json_ld_values(objects, keys)
    by_key: dict[str, str] = {}
    for key, content in scan.metas:
        by_key.setdefault(key, content)
    for key in UPDATED_META if updated else PUBLISHED_META:
        if key in by_key:
            yield by_key[key], "meta-generic" if key in GENERIC_META else "meta"
    yield from ((value, "microdata") for prop, value, _ in scan.itemprops if prop in props)
    for value, _, _, attrs in scan.times:
        if hint.search(attrs) and _names_update(attrs) == updated:
            yield value, "time-attr"


def structured(
    scan: Scan, objects: list[dict[str, Any]], bounds: DateBounds, updated: bool
) -> list[Candidate]:
    """Plausible machine-readable dates, most trustworthy kind first."""
    label = "updated" if updated else "published"
    found: list[Candidate] = []
    for raw, kind in _machine_values(scan, objects, updated):
        parsed = parse_date(raw)
        if bounds.ok(parsed):
            assert parsed is not None
            found.append(Candidate(parsed, kind, label))
    return found


def _quoted(scan: Scan, stack: tuple[int, ...]) -> bool:
    """Whether text sits in a quotation, an embed, a comment thread or a picture's caption (a
    tweet's or a reader's date is not the article's, nor the day a photo was taken)."""
    return any(
        scan.names[ident] in _QUOTING
        or scan.boilerplate.get(ident) == "strong"
        or _CAPTION_CLASS.search(scan.classes[ident])
        for ident in stack
    )


def _prose(text: str) -> bool:
    """Whether a line is a sentence of the story: an unlabelled date in it is an event's, not the
    page's ("The next meeting is on 5 February 2020 at 7 pm in the café.")."""
    return text[-1:] in ".!?" and len(text.split()) >= _PROSE_WORDS


def _dateline(text: str) -> str | None:
    """The dateline a paragraph opens with, if it opens with one (see ``_DATELINE``)."""
    head = _DATELINE.match(text)
    dates = find_dates(head.group(1)) if head else []
    if not head or not dates:
        return None
    place = head.group(1)[: dates[0][0]].strip()
    if place and not (place.endswith(",") and len(place.split()) <= _DATELINE_PLACE_WORDS):
        return None
    return head.group(1)


def _date_line(scan: Scan, index: int, anchor: int) -> str | None:
    """The block's text when it may be a date line near the headline, else None."""
    block = scan.blocks[index]
    text = block.text
    too_long = len(text) > TUNING.max_meta_line_chars
    if too_long or _prose(text):
        dateline = _dateline(text)
        if dateline:
            text = dateline
        elif too_long:
            return None
    if not any(ch.isdigit() for ch in text) and not numberless_relative(text):
        return None
    if block.link_chars * 2 > len(text) and not -_LINKED_ABOVE <= index - anchor <= _LINKED_BELOW:
        return None  # linked lines away from the byline are teasers; near it, the date links to itself
    if _quoted(scan, block.stack) or _CAPTION.match(text):
        return None
    return text


def _short_date(text: str, now: datetime) -> datetime | None:
    """A day shown without its year, or as "today" or "yesterday" with a time, on a short line of
    its own (see :func:`yearless_date`, :func:`day_word_date`): "[06月24日 11時30分]", "CNET Japan
    3/9(木) 18:45配信", "Сегодня в 20:12". Without a year to anchor it, a line of sentence length
    is not read even when no full stop ends it."""
    for line in text.split("\n"):
        if len(line) <= _SHORT_DATE_LINE_CHARS and len(line.split()) <= _PROSE_WORDS:
            value = day_word_date(line, now) or yearless_date(line, now)
            if value is not None:
                return value
    return None


def _as_written(machine: datetime, shown: list[datetime]) -> datetime:
    """A ``<time>``'s datetime moved to the date its line shows readers: a UTC value a day off, or a
    stale template value. Only a line showing one date: with two ("Published … Updated …") we
    cannot tell which is the element's own."""
    return shown[0] if len(shown) == 1 else machine


def visible(scan: Scan, anchor: int, bounds: DateBounds, month_first: bool, now: datetime) -> list[Candidate]:
    """Dates readers see around the headline (not in it: that date is what the story is about)."""
    found: list[Candidate] = []
    written: dict[int, list[datetime]] = {}  # the absolute dates each block shows
    for index in range(max(0, anchor - _BEFORE), min(len(scan.blocks), anchor + _AFTER)):
        text = _date_line(scan, index, anchor) if index != anchor else None
        if text is None:
            continue
        dated = dates_with_labels(text, month_first)
        written[index] = [value for value, _ in dated if bounds.ok(value)]
        prose = _prose(text)
        found += [
            Candidate(value, "text", label, index - anchor)
            for value, label in dated
            if bounds.ok(value) and (label or not prose)
        ]
        relative = None if dated else relative_date(text, now) or _short_date(text, now)
        if relative is not None and bounds.ok(relative):
            found.append(Candidate(relative, "relative", "", index - anchor))
    for value, index, _, attrs in scan.times:
        parsed = parse_date(value)
        if anchor - _BEFORE <= index < anchor + _AFTER and bounds.ok(parsed):
            assert parsed is not None
            label = "updated" if _names_update(attrs) else ""
            shown = _as_written(parsed, written.get(index, []))
            found.append(Candidate(shown, "time", label, index - anchor))
    return found


def anywhere(scan: Scan, anchor: int, bounds: DateBounds, month_first: bool) -> list[Candidate]:
    """Date lines elsewhere on the page, in reading order (at most ``TUNING.max_text_dates``)."""
    found: list[Candidate] = []
    for index, block in enumerate(scan.blocks):
        if anchor - _BEFORE <= index < anchor + _AFTER:
            continue  # read by ``visible``
        text = block.text
        if len(text) > TUNING.max_meta_line_chars or not any(ch.isdigit() for ch in text):
            continue
        if _quoted(scan, block.stack):
            continue
        prose = _prose(text)
        for value, label in dates_with_labels(text, month_first):
            if bounds.ok(value) and (label or not prose):
                found.append(Candidate(value, "text-far", label, index - anchor))
                if len(found) >= TUNING.max_text_dates:
                    return found
    return found


def from_description(scan: Scan, bounds: DateBounds, month_first: bool) -> list[Candidate]:
    """A date written in the page's description meta tag ("News of 14 January 2020: …")."""
    for key, content in scan.metas:
        if key in _DESCRIPTION_KEYS and any(ch.isdigit() for ch in content):
            for value, label in dates_with_labels(content[: TUNING.max_meta_line_chars * 2], month_first):
                if label != "updated" and bounds.ok(value):
                    return [Candidate(value, "description", label)]
    return []


def from_url(url: str | None, bounds: DateBounds) -> list[Candidate]:
    """A date spelled in the URL path (/2023/09/18/, 20230918, 2023-09-18, /2024-06/19/,
    /AKR20240619123400504)."""
    match = _URL_DATE.search(url or "")
    if not match:
        return []
    value = make_date(*(int(g) for g in match.groups() if g is not None))
    return [Candidate(value, "url", "")] if value is not None and bounds.ok(value) else []


def traces(source: str, scan: Scan, bounds: DateBounds) -> list[Candidate]:
    """Where a page that states no date still carries one: the day its scripts' data names most
    often under a publication key (the first of equals; several days are the article's and its
    teasers'), else a date in the path of its share image, uploaded with the article. Read only
    when the page offers no other candidate: either is a guess next to anything the page shows."""
    parsed = (parse_date(match.group(1)) for match in _SCRIPT_PUBLISHED.finditer(source))
    named = [value for value in parsed if value is not None and bounds.ok(value)]
    if named:
        day = Counter(value.date() for value in named).most_common(1)[0][0]
        return [Candidate(next(v for v in named if v.date() == day), "script", "published")]
    for key, content in scan.metas:
        folders = _DAY_FOLDERS.search(urlsplit(content).path) if key in _IMAGE_METAS else None
        value = make_date(*(int(part) for part in folders.groups())) if folders else None
        if bounds.ok(value):
            assert value is not None
            return [Candidate(value, "image", "")]
    return []


def updated_clock(scan: Scan, anchor: int) -> tuple[int, int] | None:
    """ "Updated 3:45 PM" under the headline, with no date on the line: (hour, minute)."""
    for block in scan.blocks[max(0, anchor) : anchor + _AFTER]:
        text = block.text
        if len(text) > TUNING.max_meta_line_chars or not any(ch.isdigit() for ch in text):
            continue
        match = _UPDATED_AT.search(text)
        if match and not dates_with_labels(text):
            hour, minute = int(match.group(1)), int(match.group(2))
            ampm = (match.group(3) or "").lower()
            hour += 12 if ampm.startswith("p") and hour < 12 else 0
            hour = 0 if ampm.startswith("a") and hour == 12 else hour
            return (hour, minute) if hour < 24 else None
    return None


def gather(
    scan: Scan,
    objects: list[dict[str, Any]],
    url: str | None,
    bounds: DateBounds,
    month_first: bool,
    now: datetime,
    anchor: int,
    source: str,
) -> DateEvidence:
    """Every plausible date candidate of the page, machine kinds first, then what readers see;
    ``source`` is the page's HTML, read for :func:`traces` when nothing else dates the page."""
    near = visible(scan, anchor, bounds, month_first, now)
    near.sort(key=lambda c: (headline_distance(c.offset), c.kind != "time"))
    candidates = [
        *structured(scan, objects, bounds, updated=False),
        *structured(scan, objects, bounds, updated=True),
        *near,
        *anywhere(scan, anchor, bounds, month_first),
        *from_description(scan, bounds, month_first),
        *from_url(url, bounds),
    ]
    if not candidates:
        candidates = traces(source, scan, bounds)
    return DateEvidence(tuple(candidates), updated_clock(scan, anchor))
