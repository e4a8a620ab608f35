"""Transitional: the old all-in-one store API, now a facade over the store modules.

Writes live in :mod:`newswatch.store.pages`, :mod:`newswatch.store.articles`,
:mod:`newswatch.store.stories` and :mod:`newswatch.store.health`; identity and story decisions in
:mod:`newswatch.identify`. The reads below move to the read side.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from newswatch.identify.article import identify_article
from newswatch.identify.urls import canonicalize_url
from newswatch.models import Article
from newswatch.settings import Settings, load_settings
from newswatch.store import dialect, health
from newswatch.store.articles import ArticleStore, StoreOutcome
from newswatch.store.pages import ArchivedPage, PageArchive
from newswatch.store.schema import article_aliases, article_versions, articles, pages, sources, stories
from newswatch.store.search import SearchQuery
from newswatch.store.values import MAX_ID, aware, fit_url, utc

__all__ = ["ArchivedPage", "Repository", "SearchHit", "StoreOutcome", "aware", "fit_url", "utc"]


@dataclass(frozen=True)
class SearchHit:
    """One matching article version, with a snippet whose matches are marked ``[like this]``."""

    article_id: int
    version_id: int
    version_no: int
    canonical_url: str
    outlet: str
    source_name: str | None
    story_id: int | None
    headline: str | None
    published_at: datetime | None
    fetched_at: datetime
    language: str | None
    snippet: str | None


class Repository:
    """Transitional facade over the store modules (pages, articles, health) and the reads.

    Writes delegate to :mod:`newswatch.store.pages`, :mod:`newswatch.store.articles` and
    :mod:`newswatch.store.health`; callers move to those modules directly.
    """

    def __init__(self, engine: Engine, *, settings: Settings | None = None) -> None:
        self.engine = engine
        self.settings = settings or load_settings()
        self._pages = PageArchive(engine, settings=self.settings)

    def archive_page(self, **page: Any) -> int:
        return self._pages.archive(**page)

    def load_page(self, page_id: int) -> bytes | None:
        return self._pages.load(page_id)

    def iter_pages(self, **kwargs: Any) -> Iterator[ArchivedPage]:
        return self._pages.iter_pages(**kwargs)

    def expire_pages(self, now: datetime | None = None) -> int:
        return self._pages.expire(now)

    def store_article(
        self,
        article: Article,
        *,
        url: str,
        final_url: str | None,
        source_name: str,
        fetched_at: datetime,
        page_id: int | None,
    ) -> StoreOutcome:
        identified = identify_article(article, url=url, final_url=final_url, settings=self.settings)
        return ArticleStore(self.engine, settings=self.settings).save(
            identified, source_name=source_name, fetched_at=fetched_at, page_id=page_id
        )

    def record_source_run(self, source_name: str, run_id: str, summary: Mapping[str, Any]) -> None:
        health.record_source_run(self.engine, self.settings, source_name, run_id, summary)

    # ------------------------------------------------------------------ reads

    def find_article(self, ref: str | int) -> dict[str, Any] | None:
        """An article by id, canonical URL or any alias URL (canonicalised), with its latest version."""
        with self.engine.connect() as conn:
            article_id = self._resolve(conn, ref)
            if article_id is None:
                return None
            row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
            latest = (
                conn.execute(
                    select(article_versions).where(article_versions.c.id == row["latest_version_id"])
                )
                .mappings()
                .first()
                if row
                else None
            )
        if row is None:
            return None
        result = aware(row)
        result["latest"] = aware(latest) if latest else None
        return result

    def _resolve(self, conn: Connection, ref: str | int) -> int | None:
        text_ref = str(ref).strip()
        if text_ref.isdigit():
            if int(text_ref) > MAX_ID:  # no such row, and SQLite cannot even bind the number
                return None
            found = conn.execute(select(articles.c.id).where(articles.c.id == int(text_ref))).scalar()
            return int(found) if found is not None else None
        if "://" not in text_ref:
            return None
        try:
            canonical = canonicalize_url(text_ref)
        except ValueError:  # not a URL after all (a bad port, an unclosed '[')
            return None
        found = conn.execute(select(articles.c.id).where(articles.c.canonical_url == canonical)).scalar()
        if found is None:
            found = conn.execute(
                select(article_aliases.c.article_id)
                .where(article_aliases.c.url.in_([text_ref, canonical]))
                .limit(1)
            ).scalar()
        return int(found) if found is not None else None

    def versions(self, article_id: int) -> list[dict[str, Any]]:
        """Every version of an article, oldest first, with diffs."""
        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    select(article_versions)
                    .where(article_versions.c.article_id == article_id)
                    .order_by(article_versions.c.version_no)
                )
                .mappings()
                .all()
            )
        return [aware(r) for r in rows]

    def story(self, story_id: int) -> dict[str, Any] | None:
        """A story with its member articles (outlet, URL, latest headline), earliest first."""
        if story_id > MAX_ID:
            return None
        with self.engine.connect() as conn:
            head = (
                conn.execute(
                    select(
                        stories.c.id,
                        stories.c.headline,
                        stories.c.first_seen_at,
                        stories.c.last_seen_at,
                        stories.c.article_count,
                    ).where(stories.c.id == story_id)
                )
                .mappings()
                .first()
            )
            if head is None:
                return None
            members = (
                conn.execute(
                    select(
                        articles.c.id.label("article_id"),
                        articles.c.outlet,
                        articles.c.canonical_url,
                        articles.c.source_name,
                        articles.c.first_seen_at,
                        articles.c.version_count,
                        article_versions.c.headline,
                        article_versions.c.published_at,
                    )
                    .select_from(
                        articles.outerjoin(
                            article_versions, article_versions.c.id == articles.c.latest_version_id
                        )
                    )
                    .where(articles.c.story_id == story_id)
                    .order_by(articles.c.first_seen_at, articles.c.id)
                )
                .mappings()
                .all()
            )
        return {**aware(head), "members": [aware(m) for m in members]}

    def search(
        self,
        query: SearchQuery,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        source: str | None = None,
        limit: int | None = None,
        all_versions: bool = False,
    ) -> list[SearchHit]:
        """Full-text search, newest first: current versions (or every version) fetched in the window."""
        params: dict[str, Any] = {"limit": int(limit or self.settings.search_default_limit)}
        filters = []
        if since is not None:
            filters.append("v.fetched_at >= :since")
            params["since"] = utc(since)
        if until is not None:
            filters.append("v.fetched_at < :until")
            params["until"] = utc(until)
        if source and "\x00" in source:
            return []  # no source name holds a NUL, and PostgreSQL refuses one in a parameter
        if source:
            filters.append("a.source_name = :source")
            params["source"] = source
        with self.engine.connect() as conn:
            stmt = dialect.search_statement(conn, query, filters, params, latest_only=not all_versions)
            rows = conn.execute(stmt, params).mappings().all()
        return [SearchHit(**aware(r)) for r in rows]

    def iter_versions(
        self, *, since: datetime | None = None, until: datetime | None = None, batch: int = 500
    ) -> Iterator[dict[str, Any]]:
        """Versions with their article, oldest first, fetched in keyset pages so exports stream."""
        last_id = 0
        cols = [
            article_versions,
            articles.c.canonical_url,
            articles.c.outlet,
            articles.c.source_name,
            articles.c.story_id,
        ]
        while True:
            stmt = (
                select(*cols)
                .select_from(article_versions.join(articles, articles.c.id == article_versions.c.article_id))
                .where(article_versions.c.id > last_id)
                .order_by(article_versions.c.id)
                .limit(batch)
            )
            if since is not None:
                stmt = stmt.where(article_versions.c.fetched_at >= utc(since))
            if until is not None:
                stmt = stmt.where(article_versions.c.fetched_at < utc(until))
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).mappings().all()
            if not rows:
                return
            for row in rows:
                yield aware(row)
            last_id = int(rows[-1]["id"])

    def stats(self) -> dict[str, Any]:
        """Row counts and time range, for ``newswatch stats``."""
        with self.engine.connect() as conn:
            counts = {
                name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for name, table in (
                    ("articles", articles),
                    ("versions", article_versions),
                    ("stories", stories),
                    ("aliases", article_aliases),
                    ("pages", pages),
                    ("sources", sources),
                )
            }
            first, last = conn.execute(
                select(func.min(article_versions.c.fetched_at), func.max(article_versions.c.fetched_at))
            ).one()
            multi = conn.execute(
                select(func.count()).select_from(stories).where(stories.c.article_count > 1)
            ).scalar_one()
            failing = conn.execute(
                select(func.count()).select_from(sources).where(sources.c.consecutive_failures > 0)
            ).scalar_one()
        return {
            **counts,
            "stories_with_several_articles": int(multi),
            "failing_sources": int(failing),
            "first_fetch": utc(first),
            "last_fetch": utc(last),
        }
