"""The migrations build the schema the code declares, on both databases."""

from newswatch.store.engine import make_engine
from newswatch.store.migrate import upgrade
from newswatch.store.schema import metadata
from sqlalchemy import inspect


def test_migrations_create_every_declared_table_and_are_rerunnable(db_url: str) -> None:
    upgrade(db_url)  # a second run is a no-op, not an error
    engine = make_engine(db_url)
    try:
        present = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(metadata.tables) <= present


def test_text_stored_with_invisible_characters_is_cleaned_rehashed_and_findable(empty_db_url: str) -> None:
    from datetime import UTC, datetime

    from newswatch.identify.normalize import normalise
    from newswatch.store.fulltext import parse_query
    from newswatch.store.reads.hits import search
    from newswatch.store.schema import article_versions, articles, stories
    from sqlalchemy import insert, select, update

    upgrade(empty_db_url, "s008")
    at = datetime(2026, 12, 1, tzinfo=UTC)
    headline = "Nord\u00adkorea liefert Gra\u00adnaten"
    body = "Pjöng\u00adjang und Mos\u00adkau.\nKim\u200b reiste ab."
    engine = make_engine(empty_db_url)
    try:
        with engine.begin() as conn:
            story = conn.execute(
                insert(stories).values(headline=headline, first_seen_at=at, last_seen_at=at, article_count=1)
            ).inserted_primary_key[0]
            article = conn.execute(
                insert(articles).values(
                    canonical_url="https://example.org/a", outlet="example.org", story_id=story,
                    first_seen_at=at, last_seen_at=at, version_count=1,
                )
            ).inserted_primary_key[0]
            version_id = conn.execute(
                insert(article_versions).values(
                    article_id=article, version_no=1, content_hash="stale", headline=headline, body=body,
                    fetched_at=at,
                )
            ).inserted_primary_key[0]
            conn.execute(update(articles).values(latest_version_id=version_id))
        upgrade(empty_db_url)
        with engine.connect() as conn:
            version = conn.execute(select(article_versions)).mappings().one()
            story_headline = conn.execute(select(stories.c.headline)).scalar_one()
        fresh = normalise(headline, body)  # what the identify stage stores for the same page now
        assert (version["headline"], version["body"]) == (fresh.headline, fresh.body)
        assert version["content_hash"] == fresh.content_hash
        assert story_headline == "Nordkorea liefert Granaten"
        assert len(search(engine, parse_query("Nordkorea Pjöngjang"), limit=5)) == 1
    finally:
        engine.dispose()
