"""One source's ingest cycle, stage by stage: discover → fetch → extract → identify → store.

Plain functions over the stage packages; Airflow only decides when they run. Every write is an
upsert, so running a source twice (a retry, a rerun) converges to the same database state.
A failure of one URL is recorded (fetch log, summary) and the cycle goes on with the others;
only a source whose listing cannot be read at all counts as a failed source.

Order matters for "a rerun picks up where it stopped": a URL's validators, body hash and
listing marker are remembered only *after* its article is stored, so a task killed half-way
fetches and stores the same URL again on retry instead of skipping it as unchanged. A URL that
keeps failing (a transient fetch error, or a page with no extractable body) is tried again on
later cycles, and after ``max_url_attempts`` failures in a row it is done until its listing
changes, so no page is fetched every cycle for ever.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from newswatch.errors import NewswatchError
from newswatch.extract import extract_article
from newswatch.fetch import Fetcher, FetchResult
from newswatch.identify.article import identify_article
from newswatch.models import Article, DiscoveredUrl
from newswatch.settings import Settings
from newswatch.sources.config import Source
from newswatch.sources.discover import discover, listing_marker
from newswatch.store.articles import ArticleStore, StoreOutcome
from newswatch.store.fetch_log import record_fetch
from newswatch.store.health import record_source_run
from newswatch.store.pages import PageArchive
from newswatch.store.url_state import UrlStateStore

log = logging.getLogger(__name__)

# Errors that another try will not fix: remember the URL as done instead of retrying every cycle.
FINAL_ERROR_KINDS = frozenset({"http_4xx", "robots_disallowed", "blocked_network", "bad_url", "not_html"})
EXTRACTION_EMPTY = "extraction_empty"


@dataclass
class SourceSummary:
    """What one source's cycle did; small enough for XCom and the source-health table.

    The counters are ``newswatch.models.RUN_COUNTERS``.
    """

    source: str
    ok: bool = True
    discovered: int = 0
    fetched: int = 0
    not_modified: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    extraction_gaps: dict[str, int] = field(default_factory=dict)
    error_kind: str | None = None
    error_message: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    def count(self, counter: str) -> None:
        setattr(self, counter, getattr(self, counter) + 1)

    def note_gaps(self, article: Article) -> None:
        """Count the fields extraction could not find, for the source's extraction health."""
        gaps = Counter(self.extraction_gaps)
        if not article.headline:
            gaps["headline"] += 1
        if article.published_at is None:
            gaps["published_at"] += 1
        if not article.body.strip():
            gaps["body"] += 1
        self.extraction_gaps = dict(gaps)


class SourceFailed(NewswatchError, RuntimeError):
    """The source's listing could not be read; ``kind`` is the error kind that stopped it."""

    def __init__(self, source: str, kind: str, message: str) -> None:
        super().__init__(f"source {source!r} failed: error_kind={kind}: {message}", kind=kind)
        self.source = source


@dataclass(frozen=True)
class Stores:
    """The store modules one ingest writes to."""

    pages: PageArchive
    articles: ArticleStore
    urls: UrlStateStore

    @classmethod
    def open(cls, engine: Engine, settings: Settings) -> Stores:
        return cls(
            PageArchive(engine, settings=settings),
            ArticleStore(engine, settings=settings),
            UrlStateStore(engine),
        )


def identify_and_store(
    articles: ArticleStore,
    article: Article,
    *,
    url: str,
    final_url: str | None,
    source_name: str,
    fetched_at: datetime,
    page_id: int | None,
    settings: Settings,
) -> StoreOutcome:
    """The identify and store stages for one extracted article (shared with reprocessing)."""
    identified = identify_article(article, url=url, final_url=final_url, settings=settings)
    return articles.save(identified, source_name=source_name, fetched_at=fetched_at, page_id=page_id)


def process_page(
    stores: Stores, source: Source, item: DiscoveredUrl, result: FetchResult, settings: Settings
) -> tuple[Article, StoreOutcome | None]:
    """Archive, extract, identify and store one fetched page; no outcome when the body is empty."""
    fetched_at = datetime.now(UTC)
    page_id = stores.pages.archive(
        url=item.url,
        final_url=result.final_url,
        status=result.status,
        content_type=result.content_type,
        encoding=result.encoding,
        headers={k: v for k, v in {"etag": result.etag, "last_modified": result.last_modified}.items() if v},
        body=result.body,
        fetched_at=fetched_at,
        source_name=source.name,
    )
    article = extract_article(
        result.text or "",
        url=result.final_url or item.url,
        hints=item.hints,
        overrides=source.extract or None,
        settings=settings,
        now=fetched_at,
    )
    if not article.body.strip():
        return article, None
    outcome = identify_and_store(
        stores.articles,
        article,
        url=item.url,
        final_url=result.final_url,
        source_name=source.name,
        fetched_at=fetched_at,
        page_id=page_id,
        settings=settings,
    )
    return article, outcome


def ingest_source(
    source: Source,
    *,
    settings: Settings,
    engine: Engine,
    fetcher: Fetcher,
    run_id: str,
) -> SourceSummary:
    """Run one source's cycle and record its health; never raises for a single bad URL."""
    started_at = datetime.now(UTC)
    summary = SourceSummary(source=source.name)
    stores = Stores.open(engine, settings)
    errors: Counter[str] = Counter()

    discovery = discover(source, fetcher, stores.urls)  # discover
    for listing in discovery.listing_fetches:
        record_fetch(engine, listing, source_name=source.name, run_id=run_id)
    summary.discovered = len(discovery.urls)
    if not discovery.ok:  # no discovery method worked: the source failed
        kinds = [f.error_kind for f in discovery.listing_fetches if f.error_kind] or ["bad_listing"]
        summary.ok = False
        summary.error_kind = kinds[-1]
        summary.error_message = "; ".join(discovery.errors)[:500] or "no discovery method worked"

    for item in discovery.urls[: settings.max_urls_per_source]:
        result = fetcher.fetch(  # fetch
            item.url,
            validators=stores.urls.validators(item.url),
            user_agent=source.user_agent,
            min_interval=source.delay,
        )
        record_fetch(engine, result, source_name=source.name, run_id=run_id)
        failure = _take(stores, source, item, result, summary, settings)
        if failure is not None:
            summary.failed += 1
            errors[failure] += 1
            if failure not in FINAL_ERROR_KINDS and not _given_up(stores, item, failure, settings):
                continue  # the next cycle lists it again and retries
        stores.urls.record_fetch_result(result, source.name)
        stores.urls.remember_listing(item.url, source.name, listing_marker(item))

    summary.errors = dict(errors)
    timing = {"started_at": started_at, "finished_at": datetime.now(UTC)}
    record_source_run(engine, settings, source.name, run_id, {**summary.as_dict(), **timing})
    return summary


def _take(
    stores: Stores,
    source: Source,
    item: DiscoveredUrl,
    result: FetchResult,
    summary: SourceSummary,
    settings: Settings,
) -> str | None:
    """Count one fetch result and store what it brought; the error kind when it brought nothing."""
    if result.not_modified:
        summary.not_modified += 1
    elif result.ok and stores.urls.unchanged(result):
        summary.unchanged += 1  # same bytes as the stored fetch: nothing to re-extract
    elif not result.ok:
        log.warning("%s: %s: %s", item.url, result.error_kind, result.error_message)
        return result.error_kind or "unknown"
    else:
        summary.fetched += 1
        article, outcome = process_page(stores, source, item, result, settings)  # extract, identify, store
        summary.note_gaps(article)
        if outcome is None:
            log.warning("%s: %s: no article body found", item.url, EXTRACTION_EMPTY)
            return EXTRACTION_EMPTY
        summary.count(outcome.status)
    return None


def _given_up(stores: Stores, item: DiscoveredUrl, kind: str, settings: Settings) -> bool:
    """Count a failed try of the URL; True once it failed ``max_url_attempts`` times in a row."""
    attempts = stores.urls.note_failure(item.url, item.source, kind)
    if attempts >= settings.max_url_attempts:
        log.warning("%s: giving up after %d failed tries (%s)", item.url, attempts, kind)
        return True
    return False
