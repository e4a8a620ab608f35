"""Published and updated dates with their provenance, by a precision-first cascade.

Structured data (JSON-LD, meta tags, microdata, ``<time>``) is what the publisher meant for
machines and is tried first; then the date line readers see; then the URL; then the feed or
sitemap hint. Each candidate must pass one plausibility check (not before the settings' minimum
year, not after the fetch time plus a small skew); an update before the publication is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from newswatch.extract.dateparse import make_date, parse_date
from newswatch.extract.jsonld import article_objects
from newswatch.extract.scan import Scan
from newswatch.extract.textdates import labelled_dates, relative_date
from newswatch.extract.tuning import TUNING
from newswatch.models import DateSource, Hints
from newswatch.settings import Settings

PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
    "article:published",
    "originalpublicationdate",
    "rnews:datepublished",
    "citation_publication_date",
    "citation_date",
    "publication_date",
    "date.published",
    "article_date_original",
    "displaydate",
    "dc.date.published",
    "bt:pubdate",
    "og:pubdate",
    "pub_date",
    "datecreated",
    "date",
    "created",
    "release_date",
)
UPDATED_META = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "article.updated",
    "modified_time",
    "last-modified",
    "lastmod",
    "dcterms.modified",
    "dc.date.modified",
    "parsely-updated-date",
    "article:modified",
    "updated_time",
    "dateupdated",
    "revised",
)
_URL_DATE = re.compile(
    r"(?<!\d)((?:199|20[0-3])\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)"
    r"|/((?:199|20[0-3])\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/"
)
_PUBLISH_HINT = re.compile(r"publi|posted|created|pubdate|date-?time|entry-date|article-date|timestamp", re.I)
_UPDATE_HINT = re.compile(r"updat|modif", re.I)

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


def _first_ok(values: Iterable[datetime | None], bounds: DateBounds) -> datetime | None:
    for value in values:
        if bounds.ok(value):
            return value
    return None


def from_json_ld(objects: list[dict[str, Any]], keys: tuple[str, ...], bounds: DateBounds) -> datetime | None:
    """The first plausible date under ``keys`` of the article objects."""
    for obj in article_objects(objects):
        for key in keys:
            value = obj.get(key)
            if isinstance(value, list):
                value = value[0] if value else None
            if isinstance(value, str):
                parsed = parse_date(value)
                if bounds.ok(parsed):
                    return parsed
    return None


def from_meta(scan: Scan, keys: tuple[str, ...], bounds: DateBounds) -> datetime | None:
    """The plausible meta-tag date whose key comes first in ``keys``."""
    by_key: dict[str, str] = {}
    for key, content in scan.metas:
        by_key.setdefault(key, content)
    return _first_ok((parse_date(by_key[key]) for key in keys if key in by_key), bounds)


def from_microdata(scan: Scan, props: tuple[str, ...], bounds: DateBounds) -> datetime | None:
    """A plausible date from a visible element carrying ``itemprop``."""
    return _first_ok((parse_date(value) for prop, value, _ in scan.itemprops if prop in props), bounds)


def from_time_tags(scan: Scan, bounds: DateBounds, updated: bool) -> datetime | None:
    """A ``<time>`` element's date: one labelled for the purpose, else the first outside boilerplate."""
    hint = _UPDATE_HINT if updated else _PUBLISH_HINT
    labelled = [value for value, _, _, attrs in scan.times if hint.search(attrs)]
    if updated:
        return _first_ok((parse_date(v) for v in labelled), bounds)
    plain = [value for value, _, neg, attrs in scan.times if not neg and not _UPDATE_HINT.search(attrs)]
    return _first_ok((parse_date(v) for v in labelled + plain), bounds)


def from_text(
    scan: Scan, bounds: DateBounds, month_first: bool, now: datetime
) -> tuple[datetime | None, datetime | None]:
    """(published, updated) from the short lines readers see, first plausible date line wins."""
    published = updated = None
    for block in scan.blocks[: TUNING.max_text_date_blocks]:
        text = block.text
        if len(text) > TUNING.max_meta_line_chars or not any(ch.isdigit() for ch in text):
            continue
        pub, upd = labelled_dates(text, month_first)
        if pub is None and upd is None:
            pub = relative_date(text, now)
        if published is None and bounds.ok(pub):
            published = pub
            if bounds.ok(upd):
                updated = upd
            break
        if updated is None and bounds.ok(upd):
            updated = upd
    return published, updated


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


def _cascade(steps: list[tuple[DateSource, Callable[[], datetime | None]]]) -> DateFound | None:
    for source, step in steps:
        value = step()
        if value is not None:
            return value, source
    return None


def find_dates(
    scan: Scan,
    objects: list[dict[str, Any]],
    url: str | None,
    hints: Hints | None,
    bounds: DateBounds,
    month_first: bool,
    now: datetime,
) -> tuple[DateFound | None, DateFound | None]:
    """(published, updated), each a (datetime, provenance) or None."""
    text_dates: list[tuple[datetime | None, datetime | None]] = []

    def text(index: int) -> datetime | None:
        if not text_dates:
            text_dates.append(from_text(scan, bounds, month_first, now))
        return text_dates[0][index]

    hint_source: DateSource = hints.origin if hints and hints.origin else "feed"
    published = _cascade(
        [
            (
                "json-ld",
                lambda: from_json_ld(objects, ("datePublished", "dateCreated", "uploadDate"), bounds),
            ),
            ("meta", lambda: from_meta(scan, PUBLISHED_META, bounds)),
            ("microdata", lambda: from_microdata(scan, ("datepublished", "datecreated"), bounds)),
            ("time", lambda: from_time_tags(scan, bounds, updated=False)),
            ("text", lambda: text(0)),
            ("url", lambda: from_url(url, bounds)),
            (hint_source, lambda: hints.published_at if hints and bounds.ok(hints.published_at) else None),
        ]
    )
    updated = _cascade(
        [
            ("json-ld", lambda: from_json_ld(objects, ("dateModified",), bounds)),
            ("meta", lambda: from_meta(scan, UPDATED_META, bounds)),
            ("microdata", lambda: from_microdata(scan, ("datemodified", "dateupdated"), bounds)),
            ("time", lambda: from_time_tags(scan, bounds, updated=True)),
            ("text", lambda: text(1)),
            (hint_source, lambda: hints.updated_at if hints and bounds.ok(hints.updated_at) else None),
        ]
    )
    if published and updated and updated[0] < published[0]:
        updated = None
    return published, updated
