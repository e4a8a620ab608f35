"""Re-extract archived raw pages after the extractor improves.

Only the page behind each article's *latest* version is re-extracted: re-reading an older page
would record stale content as the newest version. Articles are read in id order in small batches
(keyset pagination, so memory stays flat however large the archive) and go through the same
extract → store path as fresh fetches. The store makes a new version only where the extracted
article really changed, so reprocessing twice changes nothing the second time.
"""

from __future__ import annotations

import gzip
from collections import Counter
from datetime import datetime

from sqlalchemy import Engine, select

from newswatch.extract import extract_article
from newswatch.fetch.decode import decode_body
from newswatch.settings import Settings
from newswatch.sources.config import Source
from newswatch.store.repository import Repository
from newswatch.store.schema import article_versions, articles, pages

BATCH = 200


def reprocess_pages(
    engine: Engine,
    *,
    since: datetime | None = None,
    source: str | None = None,
    sources: dict[str, Source] | None = None,
    settings: Settings | None = None,
) -> dict[str, int]:
    """Re-extract every archived page (optionally since a time / of one source); count outcomes."""
    repo = Repository(engine, settings=settings)
    counts: Counter[str] = Counter()
    last_id = 0
    while True:
        query = (
            select(articles.c.id.label("article_id"), pages)
            .join(article_versions, article_versions.c.id == articles.c.latest_version_id)
            .join(pages, pages.c.id == article_versions.c.page_id)
            .where(articles.c.id > last_id, pages.c.content_gz.is_not(None))
        )
        if since is not None:
            query = query.where(pages.c.fetched_at >= since)
        if source is not None:
            query = query.where(articles.c.source_name == source)
        with engine.connect() as conn:
            batch = conn.execute(query.order_by(articles.c.id).limit(BATCH)).mappings().all()
        if not batch:
            break
        for page in batch:
            last_id = page["article_id"]
            counts[_reprocess_one(repo, dict(page), sources or {})] += 1
    return dict(counts)


def _reprocess_one(repo: Repository, page: dict, sources: dict[str, Source]) -> str:
    text, _ = decode_body(gzip.decompress(page["content_gz"]), page["content_type"])
    configured = sources.get(page["source_name"] or "")
    overrides = dict(configured.extract) if configured and configured.extract else None
    article = extract_article(
        text, url=page["final_url"] or page["url"], overrides=overrides,
        settings=repo.settings, now=page["fetched_at"],
    )
    if not article.body.strip():
        return "empty"
    outcome = repo.store_article(
        article,
        url=page["url"],
        final_url=page["final_url"],
        source_name=page["source_name"] or "reprocess",
        fetched_at=page["fetched_at"],
        page_id=page["id"],
    )
    return outcome.status
