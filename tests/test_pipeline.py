"""One source's ingest through its stages, against a real fixture server and both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_server import start_server
from newswatch.fetch import Fetcher
from newswatch.models import RUN_COUNTERS
from newswatch.pipeline import SourceSummary, ingest_source
from newswatch.settings import Settings
from newswatch.sources.config import DiscoveryMethod, Source
from newswatch.store.schema import article_versions, fetches
from seed import loopback_settings
from sqlalchemy import Engine, func, select

PROSE = (
    "<p>The harbour authority said on Monday that ships would be rerouted while the old quay is "
    "repaired, a job expected to last well into the next year, officials told reporters.</p>"
)
STORY = (
    "<html><head><title>Quay</title></head><body><article><h1>Quay</h1>"
    + PROSE * 4
    + "</article></body></html>"
)
EMPTY = "<html><head><title>Gallery</title></head><body><div><img src='a.jpg'></div></body></html>"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    (tmp_path / "story.html").write_text(STORY)
    (tmp_path / "gallery.html").write_text(EMPTY)
    with start_server("--root", str(tmp_path)) as info:
        base = str(info["url"]).rstrip("/")
        (tmp_path / "feed.xml").write_text(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
            f"<item><title>Quay</title><link>{base}/files/story.html</link></item>"
            f"<item><title>Gallery</title><link>{base}/files/gallery.html</link></item>"
            f"<item><title>Down</title><link>{base}/status/503</link></item>"
            "</channel></rss>"
        )
        yield base, tmp_path


def _cycle(base: str, settings: Settings, engine: Engine, run: int) -> SourceSummary:
    source = Source(name="harbour", methods=(DiscoveryMethod("feed", base + "/files/feed.xml"),))
    with Fetcher(settings) as fetcher:
        return ingest_source(source, settings=settings, engine=engine, fetcher=fetcher, run_id=f"run-{run}")


def _fetches_of(engine: Engine, suffix: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(fetches).where(fetches.c.url.like(f"%{suffix}"))
            ).scalar_one()
        )


def test_the_summary_carries_every_run_counter() -> None:
    assert set(RUN_COUNTERS) <= set(SourceSummary(source="s").as_dict())


def test_a_page_that_keeps_failing_is_given_up_after_max_url_attempts(
    site: tuple[str, Path], engine: Engine, db_url: str
) -> None:
    base, _ = site
    settings = loopback_settings(db_url, NEWSWATCH_MAX_URL_ATTEMPTS="2")
    first = _cycle(base, settings, engine, 1)
    assert (first.new, first.errors) == (1, {"extraction_empty": 1, "http_5xx": 1}), first
    second = _cycle(base, settings, engine, 2)  # both failures tried again: the second try is the last
    assert second.errors == {"extraction_empty": 1, "http_5xx": 1}, second
    third = _cycle(base, settings, engine, 3)
    assert (third.discovered, third.fetched, third.failed) == (0, 0, 0), third
    assert _fetches_of(engine, "/gallery.html") == 2
    assert _fetches_of(engine, "/status/503") == 2


def test_a_page_that_recovers_starts_counting_again(
    site: tuple[str, Path], engine: Engine, db_url: str
) -> None:
    base, root = site
    settings = loopback_settings(db_url, NEWSWATCH_MAX_URL_ATTEMPTS="2")
    _cycle(base, settings, engine, 1)  # gallery: first failure
    (root / "gallery.html").write_text(STORY.replace("Quay", "Gallery reopened"))
    recovered = _cycle(base, settings, engine, 2)
    assert recovered.new == 1, recovered
    with engine.connect() as conn:
        headlines = set(conn.execute(select(article_versions.c.headline)).scalars())
    assert "Gallery reopened" in headlines
