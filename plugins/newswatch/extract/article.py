"""``extract_article``: page in, :class:`newswatch.models.Article` out.

Parse once, walk once (:mod:`newswatch.extract.scan`), then let each field's module read the
walk's findings (:func:`read_page`); the fitted decisions (the publication date among its
candidates) and the per-site overrides come last (:func:`finish`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from newswatch.extract import authors as authors_mod
from newswatch.extract import overrides as ov
from newswatch.extract.body import body_blocks, same_text, standfirst
from newswatch.extract.dates.candidates import DateBounds, DateEvidence, gather
from newswatch.extract.dates.choice import Weights, decide, packaged_weights
from newswatch.extract.dates.parse import as_aware
from newswatch.extract.headline import find_headline, headline_block, site_names, strip_site_name
from newswatch.extract.jsonld import parse_objects
from newswatch.extract.language import find_language, month_first, page_language
from newswatch.extract.parse import parse_html
from newswatch.extract.scan import HEADING_TAGS, Block, Scan, scan_page
from newswatch.extract.shipped import script_html_body, teaser_body
from newswatch.extract.text import comparable
from newswatch.extract.tuning import TUNING, Tuning
from newswatch.models import Article, Hints
from newswatch.settings import Settings

log = logging.getLogger(__name__)

# Whether the page has a <noscript> copy to fall back on (tag names are case-blind: "<NOSCRIPT>").
_NOSCRIPT = re.compile(r"<noscript", re.I)


def canonical_url(scan: Scan, url: str | None) -> str | None:
    """The page's declared canonical URL (absolute, http/https), else the URL it was fetched from."""
    declared = scan.canonical or dict(reversed(scan.metas)).get("og:url")
    if declared:
        absolute = urljoin(url or "", declared.strip())
        if urlsplit(absolute).scheme in ("http", "https"):
            return absolute
    return url


def _aware_hints(hints: Hints | None) -> Hints | None:
    if hints is None:
        return None
    return replace(
        hints,
        published_at=as_aware(hints.published_at) if hints.published_at else None,
        updated_at=as_aware(hints.updated_at) if hints.updated_at else None,
    )


def _apply_overrides(
    article: Article, soup: BeautifulSoup, overrides: Mapping[str, str], bounds: DateBounds, us_dates: bool
) -> None:
    headline = ov.text_of(ov.select(soup, overrides, "headline"))
    if headline:
        article.headline = headline
    body = ov.body_of(ov.select(soup, overrides, "body"))
    if body:
        article.body = body
    names = authors_mod.clean_names([t.get_text(" ") for t in ov.select(soup, overrides, "authors")])
    if names:
        article.authors = names
    published = ov.date_of(ov.select(soup, overrides, "published"), us_dates)
    if bounds.ok(published):
        article.published_at, article.published_source = published, "override"
    updated = ov.date_of(ov.select(soup, overrides, "updated"), us_dates)
    if bounds.ok(updated):
        article.updated_at, article.updated_source = updated, "override"


def _shows_headline(block: Block, key: str) -> bool:
    """Whether a body block repeats the headline: as it is, or as a heading with a site or show
    name beside it ("Headline | wdr aktuell", the title of a video box above the article)."""
    if same_text(block.text, key):
        return True
    return block.tag in HEADING_TAGS and same_text(strip_site_name(block.text), key)


def _chars(scan: Scan, blocks: list[int]) -> int:
    return sum(len(scan.blocks[i].text) for i in blocks)


@dataclass
class Reading:
    """A page read up to its fitted decisions: the article without its dates, the date evidence,
    and what the per-site overrides need. Kept apart so the fitted parts can be re-run alone
    (the benchmark re-decides every page with weights fitted on other sites)."""

    article: Article
    dates: DateEvidence
    hints: Hints | None
    bounds: DateBounds
    soup: BeautifulSoup | None
    us_dates: bool


class Page:
    """A page parsed and walked once; the further walks the body may need (one reading <noscript>,
    one reading hidden elements) are made on first use and kept. ``release`` drops the parse trees
    and keeps the walks, so the benchmark can read many pages' bodies again with other tuning
    without holding every tree (a released page parses again only for a walk it has not made)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.has_noscript = _NOSCRIPT.search(text) is not None
        self.soup: BeautifulSoup | None = parse_html(text)
        self.scan = scan_page(self.soup)
        self.objects = parse_objects(self.scan.json_ld)
        self._script: tuple[BeautifulSoup | None, Scan] | None = None
        self._revealed: Scan | None = None

    def with_noscript(self) -> tuple[BeautifulSoup | None, Scan]:
        """Script-rendered pages keep the article's only server-side copy in <noscript>."""
        if self._script is None:
            soup = parse_html(self.text, keep_noscript=True)
            self._script = (soup, scan_page(soup, with_noscript=True))
        return self._script

    def revealed(self) -> Scan:
        """Streamed server rendering parks the whole page in hidden elements a script reveals."""
        if self._revealed is None:
            soup = self.with_noscript()[0] if self.has_noscript else self.soup
            if soup is None:
                soup = parse_html(self.text, keep_noscript=self.has_noscript)
            self._revealed = scan_page(soup, with_noscript=self.has_noscript, with_hidden=True)
        return self._revealed

    def release(self) -> Page:
        self.soup = None
        if self._script is not None:
            self._script = (None, self._script[1])
        return self


@dataclass
class Text:
    """A page read up to its body and headline: the walk they were read from, its parse tree (for
    the overrides), the body's blocks in reading order and the headline's block."""

    scan: Scan
    soup: BeautifulSoup | None
    body: list[int]
    headline: str | None
    anchor: int | None
    boilerplate: frozenset[int]
    shipped: str | None = None  # the text the page ships beside its HTML, when the blocks fall short

    @property
    def body_text(self) -> str:
        return self.shipped or "\n\n".join(self.scan.blocks[i].text for i in self.body)


def read_text(page: Page, hints: Hints | None, tuning: Tuning = TUNING) -> Text:
    """The body and the headline, with the body's thresholds from ``tuning`` (the benchmark reads
    them again with thresholds fitted on other sites)."""
    scan, soup = page.scan, page.soup
    selection = body_blocks(scan, tuning)
    if _chars(scan, selection.blocks) < tuning.min_body_chars and page.has_noscript:
        soup, scan = page.with_noscript()
        selection = body_blocks(scan, tuning)
    if _chars(scan, selection.blocks) < tuning.min_body_chars:
        revealed = page.revealed()
        found = body_blocks(revealed, tuning)
        if _chars(revealed, found.blocks) > _chars(scan, selection.blocks):
            scan, selection = revealed, found
    body = selection.blocks
    objects = page.objects
    headline = find_headline(scan, objects, hints, body[0] if body else None)
    if headline:
        key = comparable(headline)
        body = [i for i in body if not _shows_headline(scan.blocks[i], key)]
    profiles = authors_mod.author_profiles(objects)
    body = [i for i in body if not authors_mod.is_profile(scan.blocks[i].text, profiles)]
    anchor = headline_block(scan, headline)
    dek = standfirst(scan, anchor, body, selection.boilerplate, tuning)
    if dek is not None and not (headline and same_text(scan.blocks[dek].text, comparable(headline))):
        body = [dek, *body]  # a standfirst that only repeats the headline is not body text
    shipped = teaser_body(scan, body, objects)
    if shipped is None and _chars(scan, body) < tuning.min_body_chars:
        shipped = script_html_body(page.text, tuning)
    return Text(scan, soup, body, headline, anchor, selection.boilerplate, shipped)


def read_page(
    text: str,
    url: str | None,
    hints: Hints | None,
    settings: Settings,
    now: datetime,
    page: Page | None = None,
) -> Reading:
    """Parse, walk and read one page; everything but the fitted decisions. ``page`` is ``text``
    already parsed (the benchmark keeps it to read the body again)."""
    page = page or Page(text)
    objects = page.objects
    hints = _aware_hints(hints)
    bounds = DateBounds.from_settings(settings, now)
    found = read_text(page, hints)
    scan, headline = found.scan, found.headline
    anchor = found.anchor
    if anchor is None:
        anchor = found.body[0] if found.body else 0
    body_text = found.body_text
    declared = find_language(page.scan, objects, hints)
    language = page_language(declared, body_text)
    # Month-first numbers only where the publisher says US English and the text does not object:
    # English named from the text alone is as often British.
    us_dates = language == declared and month_first(declared)
    article = Article(
        headline=headline,
        body=body_text,
        authors=authors_mod.find_authors(scan, objects, anchor, site_names(scan)),
        canonical_url=canonical_url(scan, url),
        language=language,
        url=url,
    )
    evidence = gather(scan, objects, url, bounds, us_dates, now, anchor, page.text)
    return Reading(article, evidence, hints, bounds, found.soup, us_dates)


def finish(reading: Reading, overrides: Mapping[str, str] | None, weights: Weights) -> Article:
    """The article with its dates decided by ``weights`` and the site's overrides applied."""
    published, updated, _ = decide(reading.dates, weights, reading.hints, reading.bounds)
    article = replace(
        reading.article,
        published_at=published[0] if published else None,
        published_source=published[1] if published else None,
        updated_at=updated[0] if updated else None,
        updated_source=updated[1] if updated else None,
    )
    if overrides and reading.soup is not None:
        _apply_overrides(article, reading.soup, overrides, reading.bounds, reading.us_dates)
        if article.published_at and article.updated_at and article.updated_at < article.published_at:
            article.updated_at = article.updated_source = None
    return article


def extract_article(
    html: str,
    url: str | None = None,
    hints: Hints | None = None,
    overrides: Mapping[str, str] | None = None,
    *,
    settings: Settings,
    now: datetime,
) -> Article:
    """Read one decoded page into an Article. Never raises on bad input: garbage gives a mostly empty Article.

    Bytes are the fetch layer's to decode (:func:`newswatch.fetch.decode.decode_body`). ``now`` is
    the fetch time, the upper bound for plausible dates; ``settings`` carries the date bounds.
    """
    now = as_aware(now)
    try:
        return finish(read_page(html, url, hints, settings, now), overrides, packaged_weights())
    except RecursionError:
        log.warning("page too deeply nested to extract: %s", url)
    except Exception:  # a hostile page must cost one article, never the whole batch
        log.exception("extraction failed for %s", url)
    return Article(url=url, canonical_url=url)
