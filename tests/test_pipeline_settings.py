"""The settings an ingest run is given reach every stage, extraction included.

The run's settings may come from the ``newswatch_settings`` Airflow Variable rather than the
environment, so a stage that reads its own settings would silently ignore an operator's change.
Real fixture server, real databases, the real pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hostile_server import start_server
from newswatch.fetch import Fetcher
from newswatch.pipeline import ingest_source
from newswatch.settings import load_settings
from newswatch.sources.config import DiscoveryMethod, Source
from newswatch.store.schema import article_versions
from sqlalchemy import Engine, select

PROSE = (
    "<p>The harbour authority said on Monday that ships would be rerouted while the old quay is "
    "repaired, a job expected to last well into the next year, officials told reporters.</p>"
)
PAGE = (
    '<html><head><title>Quay repairs</title><meta property="article:published_time" '
    'content="2015-06-01T09:00:00Z"></head><body><article><h1>Quay repairs</h1>'
    + PROSE * 4
    + "</article></body></html>"
)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "story.html").write_text(PAGE)
    with start_server("--root", str(tmp_path)) as info:
        base = str(info["url"]).rstrip("/") + "/files"
        (tmp_path / "feed.xml").write_text(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
            f"<item><title>Quay repairs</title><link>{base}/story.html</link></item></channel></rss>"
        )
        yield base


@pytest.mark.parametrize(("min_year", "expected"), [("1995", date(2015, 6, 1)), ("2020", None)])
def test_the_runs_date_bounds_reach_extraction(
    site: str, engine: Engine, db_url: str, min_year: str, expected: date | None
) -> None:
    settings = load_settings(
        {"NEWSWATCH_EXTRACT_MIN_YEAR": min_year, "NEWSWATCH_DATABASE_URL": db_url,
         "NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.0/8", "NEWSWATCH_PER_DOMAIN_DELAY": "0"},
        environ={},
    )
    source = Source(name="harbour", methods=(DiscoveryMethod("feed", site + "/feed.xml"),))
    with Fetcher(settings) as fetcher:
        summary = ingest_source(source, settings=settings, engine=engine, fetcher=fetcher, run_id="t")
    assert summary.new == 1, summary
    with engine.connect() as conn:
        published = conn.execute(select(article_versions.c.published_at)).scalar_one()
    assert (published.date() if published else None) == expected
