"""Put articles and pages into a test database through the real identify and store stages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from newswatch.models import Article
from newswatch.pipeline import identify_and_store
from newswatch.settings import Settings, load_settings
from newswatch.store.articles import ArticleStore, StoreOutcome
from newswatch.store.health import record_source_run
from newswatch.store.pages import PageArchive
from newswatch.store.schema import topic_matches
from sqlalchemy import Engine

SETTINGS = load_settings(environ={})


def store_article(
    engine: Engine,
    article: Article,
    *,
    url: str,
    final_url: str | None = None,
    source_name: str = "s1",
    fetched_at: datetime,
    page_id: int | None = None,
    settings: Settings = SETTINGS,
) -> StoreOutcome:
    """Identify and store one extracted article, as the ingest does."""
    return identify_and_store(
        ArticleStore(engine, settings=settings),
        article,
        url=url,
        final_url=final_url,
        source_name=source_name,
        fetched_at=fetched_at,
        page_id=page_id,
        settings=settings,
    )


def archive_page(
    engine: Engine,
    *,
    url: str,
    html: str,
    fetched_at: datetime,
    source_name: str,
    settings: Settings = SETTINGS,
) -> int:
    """Archive a fetched HTML page (UTF-8), as the ingest does before extracting it."""
    return PageArchive(engine, settings=settings).archive(
        url=url,
        final_url=url,
        status=200,
        content_type="text/html; charset=utf-8",
        encoding="utf-8",
        headers={},
        body=html.encode("utf-8"),
        fetched_at=fetched_at,
        source_name=source_name,
    )


class Seeder:
    """Seeds one test database through the real stages: identify → store, the page archive, runs."""

    def __init__(self, engine: Engine, *, settings: Settings = SETTINGS) -> None:
        self.engine = engine
        self.settings = settings

    def store_article(
        self,
        article: Article,
        *,
        url: str,
        final_url: str | None = None,
        source_name: str = "s1",
        fetched_at: datetime,
        page_id: int | None = None,
    ) -> StoreOutcome:
        return store_article(
            self.engine,
            article,
            url=url,
            final_url=final_url,
            source_name=source_name,
            fetched_at=fetched_at,
            page_id=page_id,
            settings=self.settings,
        )

    def archive_page(self, **page: Any) -> int:
        return PageArchive(self.engine, settings=self.settings).archive(**page)

    def record_source_run(self, source_name: str, run_id: str, summary: Mapping[str, Any]) -> None:
        record_source_run(self.engine, self.settings, source_name, run_id, summary)


def loopback_settings(db_url: str, **extra: str) -> Settings:
    """Settings for a run against the fixture servers on 127.0.0.1: no delay, no retries."""
    env = {
        "NEWSWATCH_DATABASE_URL": db_url,
        "NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.0/8",
        "NEWSWATCH_PER_DOMAIN_DELAY": "0",
        "NEWSWATCH_MAX_RETRIES": "0",
        **extra,
    }
    return load_settings(env, environ={})


def watch(engine: Engine, version_id: int, article_id: int, at: datetime) -> None:
    """Record that a watched topic matched this version (what the alerts stage writes)."""
    with engine.begin() as conn:
        conn.execute(
            topic_matches.insert().values(
                topic_name="t",
                version_id=version_id,
                article_id=article_id,
                score=1.0,
                evidence=[],
                evidence_hash="x",
                matched_at=at,
            )
        )
