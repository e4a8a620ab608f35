"""Reprocessing re-extracts the latest archived page of each article, on both databases."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from newswatch.demo.content import articles_for_phase
from newswatch.demo.site import render_article
from newswatch.extract import extract_article
from newswatch.reprocess import reprocess_pages
from newswatch.settings import load_settings
from newswatch.store.schema import article_versions
from seed import archive_page, store_article
from sqlalchemy import Engine, select

BASE = "http://127.0.0.1:8701"
T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
SETTINGS = load_settings(environ={})


def _archive_and_store(
    engine: Engine, html: str, url: str, when: datetime, *, truncate: bool = False
) -> None:
    page_id = archive_page(engine, url=url, html=html, fetched_at=when, source_name="straits-daily")
    article = extract_article(html, url=url, settings=SETTINGS, now=when)
    if truncate:  # what an older, weaker extractor might have produced from the same page
        article = replace(article, body=article.body.split("\n\n")[0])
    store_article(engine, article, url=url, final_url=url, source_name="straits-daily", fetched_at=when,
                  page_id=page_id)


def _bodies(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(article_versions.c.body).order_by(article_versions.c.id)).scalars())


def test_reprocess_adds_a_version_only_where_extraction_changed(engine: Engine) -> None:
    sample, copy = articles_for_phase(1)[:2]
    _archive_and_store(engine, render_article(sample, BASE), BASE + sample.path, T0, truncate=True)
    _archive_and_store(engine, render_article(copy, BASE), BASE + copy.path, T0)

    assert reprocess_pages(engine, settings=SETTINGS) == {"updated": 1, "unchanged": 1}
    bodies = _bodies(engine)
    assert len(bodies) == 3
    expected = extract_article(
        render_article(sample, BASE), url=BASE + sample.path, settings=SETTINGS, now=T0
    ).body
    assert bodies[-1].split() == expected.split()

    assert reprocess_pages(engine, settings=SETTINGS) == {"unchanged": 2}  # a second pass changes nothing


def test_reprocess_never_brings_back_an_older_page(engine: Engine) -> None:
    original = articles_for_phase(1)[0]
    updated = articles_for_phase(2)[0]
    url = BASE + original.path
    _archive_and_store(engine, render_article(original, BASE), url, T0)
    _archive_and_store(engine, render_article(updated, BASE), url, T0 + timedelta(hours=8))
    assert len(_bodies(engine)) == 2

    assert reprocess_pages(engine, settings=SETTINGS) == {"unchanged": 1}
    assert len(_bodies(engine)) == 2


def test_reprocess_judges_dates_against_the_page_fetch_time(engine: Engine) -> None:
    """A date days after the page was fetched is implausible for that page, however long ago
    the fetch was: re-extraction bounds dates by the archived fetch time, not by today."""
    later = T0 + timedelta(days=5)  # past today, but days after the fetch
    paragraphs = "".join(
        f"<p>The harbour authority said on Monday that ships would be rerouted, part {n}, "
        "while the old quay is repaired over the coming months.</p>" for n in range(4)
    )
    html = (
        f'<html><head><title>Harbour works</title><meta property="article:published_time" '
        f'content="{later.isoformat()}"></head><body><article><h1>Harbour works</h1>{paragraphs}'
        "</article></body></html>"
    )
    _archive_and_store(engine, html, BASE + "/news/harbour", T0, truncate=True)

    assert reprocess_pages(engine, settings=SETTINGS) == {"updated": 1}
    with engine.connect() as conn:
        published = conn.execute(
            select(article_versions.c.published_at).order_by(article_versions.c.id.desc()).limit(1)
        ).scalar_one()
    assert published is None
