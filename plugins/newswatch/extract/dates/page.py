"""Published and updated dates with their provenance.

Structured data (JSON-LD, meta tags, microdata, labelled ``<time>``) says what the publisher meant
for machines; the date line near the headline says what readers see, and the day "as written on
the page" is what counts. So we read both and reconcile: a shown date on the very day of a machine
date (published or modified) settles it, a "Published" line first, else the most trusted machine
date that some shown date confirms; a shown date one day off is the machine's UTC value in local
time; a "Published …" line or a ``<time>`` right under the headline (or a ``<time>`` just above it)
is believed outright; otherwise the machine date wins. A ``<time>`` counts with the date its own
line shows. Then, in order: the shown date alone, any date line on the page, the description, the
URL (a full date in the path also overrides a page date that disagrees with it), the feed or
sitemap hint, and last the date the page says it was last changed. Dates in the headline,
captions, quotations, comment threads and sentences of the story are not candidates. Every
candidate passes one plausibility check (settings: minimum year, fetch time plus a skew); an update
before the publication is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from newswatch.extract.dates.parse import make_date, parse_date
from newswatch.extract.dates.written import dates_with_labels, relative_date
from newswatch.extract.jsonld import ARTICLE_TYPES, types_of
from newswatch.extract.scan import Scan
from newswatch.extract.tuning import TUNING
from newswatch.models import DateSource, Hints
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
UPDATED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified",
    "article.updated", "modified_time", "last-modified", "lastmod", "dcterms.modified", "dc.date.modified",
    "parsely-updated-date", "article:modified", "updated_time", "dateupdated", "revised",
)  # fmt: skip
_URL_DATE = re.compile(
    r"(?<!\d)((?:199|20[0-3])\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)"
    r"|/((?:199|20[0-3])\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/"
)
_PUBLISH_HINT = re.compile(r"publi|posted|created|pubdate|entry-date|article-date", re.I)
_UPDATE_HINT = re.compile(r"updat|modif|mod[-_]?time|lastmod|revis", re.I)
# Page objects whose dates are the page's own (a VideoObject's upload date is not the article's).
_DATED_PAGE_TYPES = frozenset({"webpage", "itempage", "creativework", "blog", "qapage", "aboutpage"})
# A structured date further than this from the URL's date is a re-publication or a wrong field.
_URL_TRUST_DAYS = 30
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
_QUOTING = frozenset({"blockquote", "figcaption"})
# A "Published …" line within this many blocks under the headline is believed over machine dates.
_LABELLED_NEAR = 8
# ...and a ``<time>`` element this many blocks above it (hero layouts put the date line first).
_TIME_ABOVE = 3
# A line of this many words ending like a sentence is prose, not a date line.
_PROSE_WORDS = 10
# Blocks around the headline where the date line sits: this many before, this many after.
_BEFORE, _AFTER = 12, 30

DateFound = tuple[datetime, DateSource]


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
class Seen:
    """A date a reader sees, with its label ("published", "updated" or "") and block position."""

    value: datetime
    label: str
    block: int
    source: DateSource


def _plausible(values: Iterable[tuple[str | None, DateSource]], bounds: DateBounds) -> list[DateFound]:
    found: list[DateFound] = []
    for raw, source in values:
        parsed = parse_date(raw) if raw else None
        if parsed is not None and bounds.ok(parsed):
            found.append((parsed, source))
    return found


def _json_ld_values(objects: list[dict[str, Any]], keys: tuple[str, ...]) -> list[str | None]:
    """Values under ``keys`` of the article objects, then of plain web-page objects."""
    articles = [o for o in objects if types_of(o) & ARTICLE_TYPES or "headline" in o or "articleBody" in o]
    pages = [o for o in objects if types_of(o) & _DATED_PAGE_TYPES and o not in articles]
    values: list[str | None] = []
    for obj in articles + pages:
        for key in keys:
            value = obj.get(key)
            if isinstance(value, list):
                value = value[0] if value else None
            values.append(value if isinstance(value, str) else None)
    return values


def structured(
    scan: Scan, objects: list[dict[str, Any]], bounds: DateBounds, updated: bool
) -> list[DateFound]:
    """Plausible machine-readable dates, most trustworthy first."""
    keys = ("dateModified",) if updated else ("datePublished", "dateCreated")
    meta_keys = UPDATED_META if updated else PUBLISHED_META
    props = ("datemodified", "dateupdated") if updated else ("datepublished", "datecreated")
    hint = _UPDATE_HINT if updated else _PUBLISH_HINT
    by_key: dict[str, str] = {}
    for key, content in scan.metas:
        by_key.setdefault(key, content)
    values: list[tuple[str | None, DateSource]] = [(v, "json-ld") for v in _json_ld_values(objects, keys)]
    values += [(by_key.get(key), "meta") for key in meta_keys]
    values += [(value, "microdata") for prop, value, _ in scan.itemprops if prop in props]
    # A class naming both ("PublicationTime__mod-time") is the update: the update word is the specific one.
    values += [
        (value, "time")
        for value, _, _, attrs in scan.times
        if hint.search(attrs) and (updated or not _UPDATE_HINT.search(attrs))
    ]
    return _plausible(values, bounds)


def _distance(block: int, anchor: int) -> int:
    """Blocks below the headline are where bylines sit; above it is often a header's 'today'."""
    return block - anchor if block >= anchor else (anchor - block) * 2


def _quoted(scan: Scan, stack: tuple[int, ...]) -> bool:
    """Whether text sits in a quotation, an embed or a comment thread (a tweet's or a reader's
    date is not the article's)."""
    return any(scan.names[ident] in _QUOTING or scan.boilerplate.get(ident) == "strong" for ident in stack)


def visible(scan: Scan, anchor: int, bounds: DateBounds, month_first: bool, now: datetime) -> list[Seen]:
    """Dates readers see around the headline, nearest first."""
    seen: list[Seen] = []
    written: dict[int, list[datetime]] = {}  # the absolute dates each block shows
    blocks = scan.blocks
    for index in range(max(0, anchor - _BEFORE), min(len(blocks), anchor + _AFTER)):
        if index == anchor:
            continue  # a date in the headline is what the story is about, not when it was published
        block = blocks[index]
        text = block.text
        if len(text) > TUNING.max_meta_line_chars:
            continue
        if block.link_chars * 2 > len(text) and not -_TIME_ABOVE <= index - anchor <= _LABELLED_NEAR:
            continue  # linked lines away from the byline are teasers; near it, the date links to itself
        if not any(ch.isdigit() for ch in text) or _quoted(scan, block.stack) or _CAPTION.match(text):
            continue
        found = dates_with_labels(text, month_first)
        if found:
            written[index] = [value for value, _ in found if bounds.ok(value)]
        else:
            rel = relative_date(text, now)
            found = [(rel, "")] if rel else []
        prose = _prose(text)
        seen.extend(
            Seen(value, label, index, "text")
            for value, label in found
            if bounds.ok(value) and (label or not prose)
        )
    for value, index, _, attrs in scan.times:
        parsed = parse_date(value)
        if anchor - _BEFORE <= index < anchor + _AFTER and parsed is not None and bounds.ok(parsed):
            label = "updated" if _UPDATE_HINT.search(attrs) else ""
            seen.append(Seen(_as_written(parsed, written.get(index, [])), label, index, "time"))
    seen.sort(key=lambda s: (_distance(s.block, anchor), s.source != "time"))
    return seen


def _prose(text: str) -> bool:
    """Whether a line is a sentence of the story: an unlabelled date in it is an event's, not the
    page's ("The next meeting is on 5 February 2020 at 7 pm in the café.")."""
    return text[-1:] in ".!?" and len(text.split()) >= _PROSE_WORDS


def _as_written(machine: datetime, shown: list[datetime]) -> datetime:
    """A ``<time>``'s datetime moved to the date its line shows readers: a UTC value a day off, or a
    stale template value. Only a line showing one date: with two ("Published … Updated …") we
    cannot tell which is the element's own."""
    return shown[0] if len(shown) == 1 else machine


def anywhere(scan: Scan, bounds: DateBounds, month_first: bool) -> list[Seen]:
    """Every date line of the page, in reading order: the fallback when nothing is near the headline."""
    seen: list[Seen] = []
    for index, block in enumerate(scan.blocks):
        text = block.text
        if len(text) > TUNING.max_meta_line_chars or not any(ch.isdigit() for ch in text):
            continue
        if _quoted(scan, block.stack):
            continue
        prose = _prose(text)
        for value, label in dates_with_labels(text, month_first):
            if bounds.ok(value) and (label or not prose):
                seen.append(Seen(value, label, index, "text"))
                if len(seen) >= TUNING.max_text_dates:
                    return seen
    return seen


def updated_time_only(scan: Scan, anchor: int, published: datetime) -> DateFound | None:
    """ "Updated 3:45 PM" under the headline: an update on the day of publication."""
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
            if hour < 24:
                value = published.replace(hour=hour, minute=minute, second=0, microsecond=0)
                return (value, "text") if value >= published else None
    return None


def from_description(scan: Scan, bounds: DateBounds, month_first: bool) -> DateFound | None:
    """A date written in the page's description meta tag ("News of 14 January 2020: …")."""
    for key, content in scan.metas:
        if key in _DESCRIPTION_KEYS and any(ch.isdigit() for ch in content):
            for value, label in dates_with_labels(content[: TUNING.max_meta_line_chars * 2], month_first):
                if label != "updated" and bounds.ok(value):
                    return value, "meta"
    return None


def from_url(url: str | None, bounds: DateBounds) -> datetime | None:
    """A date spelled in the URL path (/2023/09/18/, 20230918, 2023-09-18)."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    parts = [int(g) for g in match.groups() if g is not None]
    value = make_date(*parts)
    return value if bounds.ok(value) else None


def reconcile(
    machine: list[DateFound], seen: list[Seen], modified: list[DateFound] = (), anchor: int = 0
) -> DateFound | None:
    """The machine date, moved to the day readers see when a visible date agrees with it.

    Agreeing with the machine's *modified* date counts too: pages show their last update as the
    article's date, and the day on the page is what a reader (and our scoring) goes by. A date
    labelled "Published", or a ``<time>`` element, right under the headline is believed even when the
    machine disagrees: it is the date the page shows its readers. When several shown dates each
    agree with some machine date (a header's "today" matching a generic ``date`` meta tag, the byline
    matching JSON-LD), a "Published" line decides, else the most trusted machine date.
    """
    shown = [s for s in seen if s.label != "updated"]
    if not machine:
        return (shown[0].value, shown[0].source) if shown else None
    if not shown:
        return machine[0]
    for look in shown:  # a "Published …" line on the very day of a machine date settles it
        for value, source in machine:
            if look.label == "published" and look.value.date() == value.date():
                return value, source
    days = {look.value.date(): look for look in reversed(shown)}  # the nearest look per day
    for value, source in machine:  # else the most trusted machine date that a shown date confirms
        if value.date() in days:
            return value, source
    for value, _ in modified:
        look = days.get(value.date())
        if look:
            return look.value, look.source
    look = shown[0]  # else the nearest shown date, when a time zone explains the one-day gap
    offset = look.block - anchor
    if (look.label == "published" or look.source == "time") and 0 < offset <= _LABELLED_NEAR:
        return look.value, look.source
    if look.source == "time" and -_TIME_ABOVE <= offset < 0:  # a hero's date line above the headline
        return look.value, look.source
    for value, _ in (*machine, *modified):
        if abs((look.value.date() - value.date()).days) <= 1:
            return look.value, look.source
    return machine[0]


def _url_wins(published: DateFound, url_date: datetime) -> bool:
    """Whether the URL's date should replace a page date that disagrees with it."""
    value, source = published
    if value.date() == url_date.date():
        return False
    return source not in ("json-ld", "meta", "microdata") or abs((value - url_date).days) > _URL_TRUST_DAYS


def _hint(hints: Hints | None, updated: bool, bounds: DateBounds) -> DateFound | None:
    if not hints:
        return None
    value = hints.updated_at if updated else hints.published_at
    source: DateSource = hints.origin or "feed"
    return (value, source) if bounds.ok(value) else None


def find_dates(
    scan: Scan,
    objects: list[dict[str, Any]],
    url: str | None,
    hints: Hints | None,
    bounds: DateBounds,
    month_first: bool,
    now: datetime,
    anchor: int,
) -> tuple[DateFound | None, DateFound | None]:
    """(published, updated), each a (datetime, provenance) or None."""
    seen = visible(scan, anchor, bounds, month_first, now)
    machine_pub = structured(scan, objects, bounds, updated=False)
    if not machine_pub and not [s for s in seen if s.label != "updated"]:
        seen = seen + anywhere(scan, bounds, month_first)
    machine_upd = structured(scan, objects, bounds, updated=True)
    published = reconcile(machine_pub, seen, machine_upd, anchor)
    if published is None:
        published = from_description(scan, bounds, month_first)
    url_date = from_url(url, bounds)
    if url_date and (published is None or _url_wins(published, url_date)):
        # A full date in the path is set once, when the article is first published, in local time.
        published = (url_date, "url")
    if published is None:
        published = _hint(hints, False, bounds)
    shown_upd = [s for s in seen if s.label == "updated"]
    updated: DateFound | None = machine_upd[0] if machine_upd else None
    if updated is None and shown_upd:
        updated = (shown_upd[0].value, shown_upd[0].source)
    if updated is None and published:
        updated = updated_time_only(scan, anchor, published[0])
    updated = updated or _hint(hints, True, bounds)
    if published and updated and updated[0] < published[0]:
        updated = None
    if published is None and updated:
        published = updated  # a page that says only when it was last changed existed by then
    return published, updated
