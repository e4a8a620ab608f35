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

Revisits: listings rarely announce an update (news sitemaps keep the publication date, feed items
keep their GUID, section pages say nothing), so every stored article is also checked again on
its revisit schedule (``newswatch.revisit``). New URLs go first; then at most
``revisit_max_per_source`` due revisits, watched and most overdue first — what does not fit waits
for the next cycle. A revisit is a conditional GET: a 304 or the same bytes costs no extraction
and writes no version; a changed page goes through extract → identify → store like any update. A
page that is gone (404/410) or now redirects to another article is no longer revisited.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from newswatch.errors import NewswatchError
from newswatch.extract import extract_article
from newswatch.fetch import Fetcher, FetchResult
from newswatch.identify.article import identify_article
from newswatch.identify.urls import canonicalize_url
from newswatch.models import Article, DiscoveredUrl
from newswatch.revisit.plan import pick_revisits
from newswatch.revisit.schedule import RevisitPolicy, RevisitSchedule
from newswatch.settings import Settings
from newswatch.sources.config import Source
from newswatch.sources.discover import discover, listing_marker
from newswatch.store.articles import ArticleStore, StoreOutcome
from newswatch.store.fetch_log import record_fetch
from newswatch.store.health import record_source_run
from newswatch.store.pages import PageArchive
from newswatch.store.reads.articles import article_id_at
from newswatch.store.url_state import GONE, MOVED, RevisitDue, RevisitPlan, UrlState, UrlStateStore

log = logging.getLogger(__name__)

# Errors that another try will not fix: remember the URL as done instead of retrying every cycle.
FINAL_ERROR_KINDS = frozenset({"http_4xx", "robots_disallowed", "blocked_network", "bad_url", "not_html"})
EXTRACTION_EMPTY = "extraction_empty"
GONE_STATUSES = frozenset({404, 410})
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


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
    revisited: int = 0
    revisit_not_modified: int = 0
    revisit_changed: int = 0
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


def revisit_policy(source: Source, settings: Settings) -> RevisitPolicy:
    """The source's own revisit schedule, else the settings' one; watched articles per settings."""
    schedule = (
        source.revisit if source.revisit is not None else RevisitSchedule.parse(settings.revisit_schedule)
    )
    watched = (
        RevisitSchedule.parse(settings.revisit_watched_schedule) if schedule.steps else RevisitSchedule()
    )
    return RevisitPolicy(schedule, watched)


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
    stores: Stores,
    source: Source,
    item: DiscoveredUrl,
    result: FetchResult,
    settings: Settings,
    fetched_at: datetime,
) -> tuple[Article, StoreOutcome | None]:
    """Archive, extract, identify and store one fetched page; no outcome when the body is empty."""
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
    clock: Clock = utc_now,
) -> SourceSummary:
    """Run one source's cycle (new URLs, then due revisits) and record its health.

    Never raises for a single bad URL. ``clock`` gives the cycle's time (injected by tests and
    the revisit benchmark).
    """
    started_at = clock()
    cycle = _Cycle(source, settings, engine, fetcher, run_id, clock)
    discovery = discover(source, fetcher, cycle.stores.urls)  # discover
    for listing in discovery.listing_fetches:
        record_fetch(engine, listing, source_name=source.name, run_id=run_id, purpose="listing")
    summary = cycle.summary
    summary.discovered = len(discovery.urls)
    if not discovery.ok:  # no discovery method worked: the source failed
        kinds = [f.error_kind for f in discovery.listing_fetches if f.error_kind] or ["bad_listing"]
        summary.ok = False
        summary.error_kind = kinds[-1]
        summary.error_message = "; ".join(discovery.errors)[:500] or "no discovery method worked"

    new_urls = discovery.urls[: settings.max_urls_per_source]
    for item in new_urls:  # new and listing-announced URLs first
        cycle.visit(item)
    if cycle.policy.enabled:
        taken = {item.url for item in new_urls}
        cap = settings.revisit_max_per_source
        due = cycle.stores.urls.due_revisits(source.name, clock(), limit=cap + len(taken))
        for revisit in pick_revisits(due, taken=taken, cap=cap):
            cycle.revisit(revisit)

    timing = {"started_at": started_at, "finished_at": clock()}
    record_source_run(engine, settings, source.name, run_id, {**summary.as_dict(), **timing})
    return summary


class _Cycle:
    """One source's cycle: the stages for each URL, and what they counted."""

    def __init__(
        self, source: Source, settings: Settings, engine: Engine, fetcher: Fetcher, run_id: str, clock: Clock
    ) -> None:
        self.source, self.settings, self.engine, self.fetcher = source, settings, engine, fetcher
        self.run_id, self.clock = run_id, clock
        self.stores = Stores.open(engine, settings)
        self.policy = revisit_policy(source, settings)
        self.summary = SourceSummary(source=source.name)

    def fetch(self, url: str, purpose: str) -> tuple[FetchResult, UrlState | None]:
        """Fetch ``url`` conditionally; the URL's state as it was before, read once for the cycle."""
        state = self.stores.urls.get(url)
        result = self.fetcher.fetch(  # fetch
            url,
            validators=state.validators() if state is not None else None,
            user_agent=self.source.user_agent,
            min_interval=self.source.delay,
        )
        record_fetch(self.engine, result, source_name=self.source.name, run_id=self.run_id, purpose=purpose)
        return result, state

    def fail(self, kind: str) -> None:
        self.summary.failed += 1
        self.summary.errors[kind] = self.summary.errors.get(kind, 0) + 1

    def visit(self, item: DiscoveredUrl) -> None:
        """A new URL, or one whose listing entry changed."""
        result, state = self.fetch(item.url, "new")
        failure, plan = self._take(item, result, state)
        if failure is not None:
            self.fail(failure)
            if failure not in FINAL_ERROR_KINDS and not _given_up(self.stores, item, failure, self.settings):
                return  # the next cycle lists it again and retries
        self.stores.urls.record_visit(
            result, self.source.name, listing_marker=listing_marker(item), revisit=plan
        )

    def _take(
        self, item: DiscoveredUrl, result: FetchResult, state: UrlState | None
    ) -> tuple[str | None, RevisitPlan | None]:
        """Count one fetch result and store what it brought: the error kind when it brought nothing,
        else the revisit plan of the article it stored (None when there is none to plan)."""
        summary = self.summary
        if result.not_modified:
            summary.not_modified += 1
        elif state is not None and state.repeats(result):
            summary.unchanged += 1  # same bytes as the stored fetch: nothing to re-extract
        elif not result.ok:
            log.warning("%s: %s: %s", item.url, result.error_kind, result.error_message)
            return result.error_kind or "unknown", None
        else:
            summary.fetched += 1
            checked_at = self.clock()
            article, outcome = process_page(self.stores, self.source, item, result, self.settings, checked_at)
            summary.note_gaps(article)
            if outcome is None:
                log.warning("%s: %s: no article body found", item.url, EXTRACTION_EMPTY)
                return EXTRACTION_EMPTY, None
            summary.count(outcome.status)
            return None, self._plan(outcome, checked_at, state)
        return None, None

    def _plan(
        self, outcome: StoreOutcome, checked_at: datetime, state: UrlState | None
    ) -> RevisitPlan | None:
        """The first (or next) revisit of a URL whose article was just stored (``state``: the URL's
        state before this fetch)."""
        if not self.policy.enabled:
            return None
        changed = outcome.status != "unchanged"
        if outcome.status == "new":
            state = None  # a first sighting: the schedule's age counts from now
        known = state is not None and state.revisit_state is not None
        first_seen = state.first_seen_at if known else checked_at  # type: ignore[union-attr]
        last_changed = checked_at if changed else (state.last_changed_at if state is not None else None)
        next_check = self.policy.next_check(
            first_seen=first_seen, last_changed=last_changed, checked_at=checked_at, watched=False
        )
        return RevisitPlan(outcome.article_id, checked_at, next_check, changed, None if known else first_seen)

    def revisit(self, due: RevisitDue) -> None:
        """Check a known article again: cheap when unchanged, a new version when it changed."""
        result, state = self.fetch(due.url, "revisit")
        summary, checked_at = self.summary, self.clock()
        summary.revisited += 1
        changed = False
        if result.status in GONE_STATUSES or (result.ok and self._moved(due, result)):
            ended = GONE if result.status in GONE_STATUSES else MOVED
            log.info("%s: %s; no longer revisited", due.url, ended)
            self.stores.urls.end_revisits(due.url, self.source.name, state=ended, checked_at=checked_at)
            return
        if result.not_modified or (state is not None and state.repeats(result)):
            summary.revisit_not_modified += 1
        elif not result.ok:
            log.warning("%s: revisit: %s: %s", due.url, result.error_kind, result.error_message)
            self.fail(result.error_kind or "unknown")
            return  # still due: the next cycle tries it first (most overdue)
        else:
            item = DiscoveredUrl(due.url, self.source.name)
            article, outcome = process_page(self.stores, self.source, item, result, self.settings, checked_at)
            summary.note_gaps(article)
            if outcome is None:
                self.fail(EXTRACTION_EMPTY)
            else:
                changed = outcome.status == "updated"
                summary.count(outcome.status)
                if changed:
                    summary.revisit_changed += 1
        next_check = self.policy.next_check(
            first_seen=due.first_seen_at,
            last_changed=checked_at if changed else due.last_changed_at,
            checked_at=checked_at,
            watched=due.watched,
        )
        plan = RevisitPlan(due.article_id, checked_at, next_check, changed)
        self.stores.urls.record_visit(result, self.source.name, listing_marker=None, revisit=plan)

    def _moved(self, due: RevisitDue, result: FetchResult) -> bool:
        """The URL now redirects to a page that is not this article."""
        final = result.final_url
        if not final or final == due.url:
            return False
        try:
            canonical = canonicalize_url(final)
        except ValueError:
            return True
        return article_id_at(self.engine, canonical=canonical, seen_at=[final, canonical]) != due.article_id


def _given_up(stores: Stores, item: DiscoveredUrl, kind: str, settings: Settings) -> bool:
    """Count a failed try of the URL; True once it failed ``max_url_attempts`` times in a row."""
    attempts = stores.urls.note_failure(item.url, item.source, kind)
    if attempts >= settings.max_url_attempts:
        log.warning("%s: giving up after %d failed tries (%s)", item.url, attempts, kind)
        return True
    return False
