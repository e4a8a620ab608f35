"""Articles, aliases, versions and story membership on both databases (identify → store)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from newswatch.models import Article
from newswatch.store.articles import StoreOutcome
from newswatch.store.schema import article_aliases, article_versions, articles, stories
from seed import store_article
from sqlalchemy import Engine, func, select

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
VOCAB = [f"word{i}" for i in range(3000)]


def body_text(seed: int, n: int = 300) -> str:
    rng = random.Random(seed)
    sentences = []
    for _ in range(n // 15):
        sentences.append(" ".join(rng.choice(VOCAB) for _ in range(15)).capitalize() + ".")
    return "\n".join(sentences)


def store(
    engine: Engine,
    url: str,
    headline: str,
    body: str,
    *,
    at: datetime = T0,
    source: str = "s1",
    final_url: str | None = None,
    canonical: str | None = None,
) -> StoreOutcome:
    article = Article(
        headline=headline,
        body=body,
        canonical_url=canonical,
        language="en",
        published_at=at - timedelta(hours=1),
        published_source="meta",
    )
    return store_article(engine, article, url=url, final_url=final_url, source_name=source, fetched_at=at)


def count(engine: Engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def versions(engine: Engine, article_id: int) -> list[dict]:  # type: ignore[type-arg]
    with engine.connect() as conn:
        rows = conn.execute(
            select(article_versions)
            .where(article_versions.c.article_id == article_id)
            .order_by(article_versions.c.version_no)
        ).mappings()
        return [dict(r) for r in rows]


def article_row(engine: Engine, article_id: int) -> dict:  # type: ignore[type-arg]
    with engine.connect() as conn:
        return dict(conn.execute(select(articles).where(articles.c.id == article_id)).mappings().one())


def aliased(engine: Engine, url: str) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(article_aliases.c.article_id).where(article_aliases.c.url == url)).scalar()


def test_first_sight_then_unchanged_then_updated(engine: Engine) -> None:
    body = body_text(1)
    first = store(engine, "https://www.news.test/a/1?utm_source=x", "Drone strike", body)
    assert (first.status, first.version_no) == ("new", 1)
    again = store(
        engine,
        "https://news.test/a/1/",
        "Drone strike",
        body + "\nUpdated 3 minutes ago",
        at=T0 + timedelta(minutes=15),
    )
    assert (again.status, again.article_id, again.version_id) == (
        "unchanged",
        first.article_id,
        first.version_id,
    )
    edited = store(
        engine, "https://m.news.test/a/1", "Drone strike kills two", body, at=T0 + timedelta(hours=1)
    )
    assert (edited.status, edited.version_no, edited.article_id) == ("updated", 2, first.article_id)
    assert edited.story_id == first.story_id
    assert count(engine, articles) == 1 and count(engine, article_versions) == 2
    history = versions(engine, first.article_id)
    assert history[1]["diff"].startswith("headline: … Drone strike {+kills two+} …")
    assert history[1]["fetched_at"].replace(tzinfo=UTC) == T0 + timedelta(hours=1)
    article = article_row(engine, first.article_id)
    assert article["latest_version_id"] == edited.version_id and article["version_count"] == 2
    assert article["last_seen_at"].replace(tzinfo=UTC) == T0 + timedelta(hours=1)


def test_every_url_seen_is_an_alias(engine: Engine) -> None:
    body = body_text(2)
    a = store(
        engine,
        "https://feeds.news.test/r/123",
        "H",
        body,
        final_url="https://news.test/world/x?ref=rss",
        canonical="https://news.test/world/x",
    )
    b = store(engine, "https://news.test/world/x?utm_campaign=y", "H", body)
    assert a.article_id == b.article_id
    with engine.connect() as conn:
        urls = set(conn.execute(select(article_aliases.c.url)).scalars())
    assert {
        "https://feeds.news.test/r/123",
        "https://news.test/world/x?ref=rss",
        "https://news.test/world/x",
    } <= urls
    assert aliased(engine, "https://feeds.news.test/r/123") == a.article_id


def test_republished_identical_copy_is_not_a_version(engine: Engine) -> None:
    body = body_text(3)
    store(engine, "https://news.test/a", "Same", body)
    for minutes in (5, 10, 20):
        assert (
            store(engine, "https://news.test/a", "Same", body, at=T0 + timedelta(minutes=minutes)).status
            == "unchanged"
        )
    assert count(engine, article_versions) == 1


def test_wire_copies_across_outlets_form_one_story(engine: Engine) -> None:
    wire = body_text(4)
    lines = wire.split("\n")
    rewrite = "\n".join(["Our correspondent adds context here.", *lines[:10], *lines[11:]])
    a = store(engine, "https://one.test/x", "Kim watches drone test", wire)
    b = store(engine, "https://two.test/y", "Kim oversees new drone test", rewrite, source="s2")
    c = store(engine, "https://three.test/z", "Football results", body_text(5), source="s3")
    assert a.story_id == b.story_id != c.story_id
    with engine.connect() as conn:
        size = conn.execute(select(stories.c.article_count).where(stories.c.id == a.story_id)).scalar_one()
        outlets = set(
            conn.execute(select(articles.c.outlet).where(articles.c.story_id == a.story_id)).scalars()
        )
    assert size == 2 and outlets == {"one.test", "two.test"}
    assert count(engine, stories) == 2


def test_story_is_kept_when_the_article_changes(engine: Engine) -> None:
    a = store(engine, "https://one.test/x", "Kim", body_text(6))
    b = store(engine, "https://one.test/x", "Kim", body_text(7), at=T0 + timedelta(hours=2))
    assert b.status == "updated" and b.story_id == a.story_id


def test_article_without_text_gets_its_own_story(engine: Engine) -> None:
    a = store(engine, "https://one.test/empty", None, "")  # type: ignore[arg-type]
    b = store(engine, "https://two.test/empty", None, "")  # type: ignore[arg-type]
    assert a.status == "new" and a.story_id != b.story_id


def test_overlong_url_is_stored(engine: Engine) -> None:
    url = "https://news.test/" + "x" * 5000
    first = store(engine, url, "Long", body_text(8))
    assert store(engine, url, "Long", body_text(8)).article_id == first.article_id


def test_hostile_text_is_stored_not_fatal(engine: Engine) -> None:
    """NUL bytes, control characters and lone surrogates (lenient decoding) must not fail a write."""
    article = Article(
        headline="Bad\x00 headline\ud800",
        body="Body with NUL\x00 and \x1b[31m escapes\udc80.",
        authors=["Jane\x00 Doe"],
        language="en\x00-GB-extremely-long-tag",
    )
    outcome = store_article(engine, article, url="https://news.test/bad\x00", fetched_at=T0)
    (version,) = versions(engine, outcome.article_id)
    assert version["headline"] == "Bad headline?" and "\x00" not in version["body"]
    assert version["authors"] == ["Jane Doe"] and len(version["language"]) <= 16


def test_a_shortened_copy_joins_the_wire_story(engine: Engine) -> None:
    """An outlet running only the first paragraphs under its own headline is the same story."""
    wire = body_text(30, 450)
    paragraphs = wire.split("\n")
    short = "\n".join(paragraphs[: len(paragraphs) * 2 // 5])  # the first 40 %
    full = store(engine, "https://wire.test/story", "Talks resume on grain corridor", wire)
    cut = store(engine, "https://local.test/grain", "Grain deal: what we know", short, source="s2")
    other = store(engine, "https://local.test/other", "Council budget", body_text(31, 450), source="s2")
    assert cut.story_id == full.story_id != other.story_id


def test_article_keeps_a_link_readers_can_open(engine: Engine) -> None:
    article = Article(headline="A headline", body="First paragraph of the story.\n\nSecond one.")
    store_article(
        engine,
        article,
        url="http://www.example.com/a/story?utm_source=x",
        fetched_at=datetime(2026, 11, 27, tzinfo=UTC),
    )
    with engine.connect() as conn:
        key, link = conn.execute(select(articles.c.canonical_url, articles.c.url)).one()
    assert key == "https://example.com/a/story"
    assert link == "http://www.example.com/a/story?utm_source=x"
