"""The synthetic many-outlet newsroom: what the cycle benchmark and the Celery test rely on.

Real uvicorn sockets on loopback addresses, the real pipeline against them, both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from newswatch.demo.synthetic import (
    SiteConfig,
    SyntheticSite,
    expected_topic_stories,
    listing_kind,
    listing_path,
    make_article,
    sources_yaml,
)
from newswatch.settings import load_settings
from newswatch.store import schema
from sqlalchemy import func, select

CONFIG = SiteConfig(outlets=4, articles=8, latency=0.0, wire_stories=3, wire_share=0.25, topic_stories=1)


@pytest.fixture
def site() -> Iterator[SyntheticSite]:
    with SyntheticSite(CONFIG) as running:
        yield running


def test_every_outlet_has_its_own_loopback_host_and_lists_all_its_articles(site: SyntheticSite) -> None:
    hosts = {url.split("//")[1].split(":")[0] for url in site.base_urls}
    assert len(hosts) == CONFIG.outlets and all(h.startswith("127.") for h in hosts)
    for outlet, base in enumerate(site.base_urls):
        listing = requests.get(base + listing_path(listing_kind(outlet)), timeout=5)
        assert listing.status_code == 200
        for article in site.articles(outlet):
            assert article.path in listing.text
    assert {listing_kind(o) for o in range(CONFIG.outlets)} == {"rss", "news-sitemap", "section"}


def test_pages_answer_conditional_gets_and_a_new_edition_updates_them(site: SyntheticSite) -> None:
    article = site.articles(1)[0]
    url = site.base_urls[1] + article.path
    first = requests.get(url, timeout=5)
    assert first.status_code == 200 and article.headline in first.text
    assert requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=5).status_code == 304
    assert requests.get(site.base_urls[2] + article.path, timeout=5).status_code == 404  # other outlet
    site.edition = 2
    again = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=5)
    assert again.status_code == 200 and "Update: " in again.text


def test_content_is_a_pure_function_of_the_seed() -> None:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    one = SiteConfig(seed=1, reference_time=moment)
    assert make_article(one, 3, 4) == make_article(SiteConfig(seed=1, reference_time=moment), 3, 4)
    assert make_article(one, 3, 4) != make_article(SiteConfig(seed=2, reference_time=moment), 3, 4)


def test_the_pipeline_stores_every_article_and_clusters_the_wire_copies(
    site: SyntheticSite, db_url: str, engine, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    from newswatch.fetch import Fetcher
    from newswatch.pipeline import ingest_source
    from newswatch.sources.config import load_sources
    from newswatch.store.leases import DatabaseLeases

    sources_file = tmp_path / "sources.yaml"
    sources_file.write_text(sources_yaml(site.base_urls))
    settings = load_settings({
        "NEWSWATCH_DATABASE_URL": db_url, "NEWSWATCH_SOURCES_FILE": str(sources_file),
        "NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.0/8", "NEWSWATCH_PER_DOMAIN_DELAY": "0",
    })
    loaded = load_sources(sources_file)
    assert loaded.errors == [] and len(loaded.sources) == CONFIG.outlets
    with Fetcher(settings, leases=DatabaseLeases(engine)) as fetcher:
        summaries = [ingest_source(s, settings=settings, engine=engine, fetcher=fetcher, run_id="t")
                     for s in loaded.sources]
    assert all(s.ok and s.new == CONFIG.articles and s.failed == 0 for s in summaries), summaries

    wires = [make_article(CONFIG, o, i).wire for o in range(CONFIG.outlets) for i in range(CONFIG.articles)]
    own = sum(w is None for w in wires)
    with engine.connect() as conn:
        articles = conn.execute(select(func.count()).select_from(schema.articles)).scalar_one()
        stories = conn.execute(select(func.count(func.distinct(schema.articles.c.story_id)))).scalar_one()
    assert articles == CONFIG.outlets * CONFIG.articles
    assert stories == own + len({w for w in wires if w is not None})
    assert expected_topic_stories(CONFIG) == 1
