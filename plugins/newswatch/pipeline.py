"""One source's ingest cycle: discover → fetch → extract → identify → store.

Plain functions over the stage modules; Airflow only decides when they run. Every write is an
upsert, so running a source twice (a retry, a rerun) converges to the same database state.
A failure of one URL is recorded (fetch log, summary) and the cycle goes on with the others;
only a source whose listing cannot be read at all counts as a failed source.

Order matters for "a rerun picks up where it stopped": a URL's validators, body hash and
listing marker are remembered only *after* its article is stored, so a task killed half-way
fetches and stores the same URL again on retry instead of skipping it as unchanged.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from newswatch.extract import extract_article
from newswatch.fetch import Fetcher, FetchResult
from newswatch.models import DiscoveredUrl
from newswatch.settings import Settings
from newswatch.sources.config import Source
from newswatch.sources.discover import discover, listing_marker
from newswatch.store.fetch_log import record_fetch
from newswatch.store.repository import Repository
from newswatch.store.url_state import UrlStateStore

log = logging.getLogger(__name__)


@dataclass
class SourceSummary:
    """What one source's cycle did; small enough for XCom and the source-health table."""

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


class SourceFailed(RuntimeError):
    """The source's listing could not be read; the message starts with the error kind."""

    def __init__(self, source: str, kind: str, message: str) -> None:
        super().__init__(f"source {source!r} failed: error_kind={kind}: {message}")
        self.source = source
        self.kind = kind


def _note_gaps(summary: SourceSummary, article_headline: str | None, published: object, body: str) -> None:
    gaps = Counter(summary.extraction_gaps)
    if not article_headline:
        gaps["headline"] += 1
    if published is None:
        gaps["published_at"] += 1
    if not body.strip():
        gaps["body"] += 1
    summary.extraction_gaps = dict(gaps)


# Errors that another try will not fix: remember the URL as done instead of retrying every cycle.
FINAL_ERROR_KINDS = frozenset({"http_4xx", "robots_disallowed", "blocked_network", "bad_url", "not_html"})


def _store(
    repo: Repository,
    source: Source,
    item: DiscoveredUrl,
    result: FetchResult,
    summary: SourceSummary,
    errors: Counter[str],
    settings: Settings,
) -> str | None:
    """Archive, extract and store one fetched page; return the store status, None if nothing usable."""
    fetched_at = datetime.now(UTC)
    page_id = repo.archive_page(
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
    url = result.final_url or item.url
    article = extract_article(
        result.text or "", url=url, hints=item.hints, overrides=source.extract or None,
        settings=settings, now=fetched_at,
    )
    _note_gaps(summary, article.headline, article.published_at, article.body)
    if not article.body.strip():
        summary.failed += 1
        errors["extraction_empty"] += 1
        return None
    outcome = repo.store_article(
        article,
        url=item.url,
        final_url=result.final_url,
        source_name=source.name,
        fetched_at=fetched_at,
        page_id=page_id,
    )
    setattr(summary, outcome.status, getattr(summary, outcome.status) + 1)
    return outcome.status


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
    repo = Repository(engine, settings=settings)
    seen = UrlStateStore(engine)
    errors: Counter[str] = Counter()

    discovery = discover(source, fetcher, seen)
    for listing in discovery.listing_fetches:
        record_fetch(engine, listing, source_name=source.name, run_id=run_id)
    summary.discovered = len(discovery.urls)
    if not discovery.ok:  # no discovery method worked: the source failed
        kinds = [f.error_kind for f in discovery.listing_fetches if f.error_kind] or ["bad_listing"]
        summary.ok = False
        summary.error_kind = kinds[-1]
        summary.error_message = "; ".join(discovery.errors)[:500] or "no discovery method worked"

    for item in discovery.urls[: settings.max_urls_per_source]:
        result = fetcher.fetch(
            item.url,
            validators=seen.validators(item.url),
            user_agent=source.user_agent,
            min_interval=source.delay,
        )
        record_fetch(engine, result, source_name=source.name, run_id=run_id)
        if result.not_modified:
            summary.not_modified += 1
        elif result.ok and seen.unchanged(result):
            summary.unchanged += 1  # same bytes as the stored fetch: nothing to re-extract
        elif not result.ok:
            summary.failed += 1
            errors[result.error_kind or "unknown"] += 1
            log.warning("%s: %s: %s", item.url, result.error_kind, result.error_message)
            if result.error_kind not in FINAL_ERROR_KINDS:
                continue  # transient: the next cycle lists it again and retries
        else:
            summary.fetched += 1
            if _store(repo, source, item, result, summary, errors, settings) is None:
                continue
        seen.record_fetch_result(result, source.name)
        seen.remember_listing(item.url, source.name, listing_marker(item))

    summary.errors = dict(errors)
    timing = {"started_at": started_at, "finished_at": datetime.now(UTC)}
    repo.record_source_run(source.name, run_id, {**summary.as_dict(), **timing})
    return summary
