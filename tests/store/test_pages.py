"""The raw-page archive on both databases: stored once, compressed, expired, read back for reprocessing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newswatch.models import Article
from newswatch.settings import load_settings
from newswatch.store.pages import PageArchive
from seed import store_article
from sqlalchemy import Engine

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
SETTINGS = load_settings(environ={})


def _page(url: str, body: bytes, at: datetime = T0) -> dict:  # type: ignore[type-arg]
    return dict(
        url=url,
        final_url=None,
        status=200,
        content_type="text/html",
        encoding="utf-8",
        headers={"ETag": '"1"'},
        body=body,
        fetched_at=at,
        source_name="s1",
    )


def test_archive_page_is_idempotent_and_compressed(engine: Engine) -> None:
    archive = PageArchive(engine, settings=SETTINGS)
    body = ("<html><body>" + "news " * 2000 + "</body></html>").encode()
    first = archive.archive(**_page("https://news.test/a", body))
    assert archive.archive(**_page("https://news.test/a", body)) == first
    assert archive.load(first) == body
    assert archive.expire(now=T0 + timedelta(days=1)) == 0
    assert archive.expire(now=T0 + timedelta(days=SETTINGS.raw_page_retention_days + 1)) == 1
    assert archive.load(first) is None


def test_iter_latest_gives_the_page_behind_each_articles_latest_version(engine: Engine) -> None:
    archive = PageArchive(engine, settings=SETTINGS)
    old = archive.archive(**_page("https://news.test/a", b"<html>old</html>"))
    store_article(
        engine, Article(headline="A", body="old text"), url="https://news.test/a", fetched_at=T0, page_id=old
    )
    new = archive.archive(**_page("https://news.test/a", b"<html>new</html>", T0 + timedelta(hours=1)))
    store_article(
        engine,
        Article(headline="A", body="new text"),
        url="https://news.test/a",
        fetched_at=T0 + timedelta(hours=1),
        page_id=new,
    )
    other = archive.archive(**_page("https://news.test/b", b"<html>b</html>"))
    store_article(
        engine, Article(headline="B", body="b text"), url="https://news.test/b", fetched_at=T0, page_id=other
    )
    latest = list(archive.iter_latest(batch=1))
    assert [p.page_id for p in latest] == [new, other]
    assert [p.page_id for p in archive.iter_latest(since=T0 + timedelta(minutes=30))] == [new]
