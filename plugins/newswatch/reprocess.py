"""Re-extract archived raw pages after the extractor improves.

Only the page behind each article's *latest* version is re-extracted (see
``PageArchive.iter_latest``), and it goes through the same extract → identify → store stages as a
fresh fetch, bounded by the page's own fetch time. The store makes a new version only where the
extracted article really changed, so reprocessing twice changes nothing the second time.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import Engine

from newswatch.extract import extract_article
from newswatch.fetch.decode import decode_body
from newswatch.pipeline import identify_and_store
from newswatch.settings import Settings
from newswatch.sources.config import Source
from newswatch.store.articles import ArticleStore
from newswatch.store.pages import ArchivedPage, PageArchive


def reprocess_pages(
    engine: Engine,
    *,
    settings: Settings,
    since: datetime | None = None,
    source: str | None = None,
    sources: dict[str, Source] | None = None,
) -> dict[str, int]:
    """Re-extract every archived latest page (optionally since a time / of one source); count outcomes."""
    archive = PageArchive(engine, settings=settings)
    store = ArticleStore(engine, settings=settings)
    counts: Counter[str] = Counter()
    for page in archive.iter_latest(since=since, source=source):
        counts[_reprocess_one(store, page, sources or {}, settings)] += 1
    return dict(counts)


def _reprocess_one(
    store: ArticleStore, page: ArchivedPage, sources: dict[str, Source], settings: Settings
) -> str:
    text, _ = decode_body(page.body, page.content_type)
    configured = sources.get(page.source_name or "")
    overrides = dict(configured.extract) if configured and configured.extract else None
    article = extract_article(
        text, url=page.final_url or page.url, overrides=overrides, settings=settings, now=page.fetched_at
    )
    if not article.body.strip():
        return "empty"
    outcome = identify_and_store(
        store,
        article,
        url=page.url,
        final_url=page.final_url,
        source_name=page.source_name or "reprocess",
        fetched_at=page.fetched_at,
        page_id=page.page_id,
        settings=settings,
    )
    return outcome.status
