"""The repository on both databases: identity, versions, stories, pages, source health."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from newswatch.models import Article
from newswatch.store.repository import Repository, utc
from newswatch.store.schema import article_aliases, article_versions, articles, sources, stories
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
    repo: Repository,
    url: str,
    headline: str,
    body: str,
    *,
    at: datetime = T0,
    source: str = "s1",
    final_url: str | None = None,
    canonical: str | None = None,
):  # type: ignore[no-untyped-def]
    article = Article(
        headline=headline,
        body=body,
        canonical_url=canonical,
        language="en",
        published_at=at - timedelta(hours=1),
        published_source="meta",
    )
    return repo.store_article(
        article, url=url, final_url=final_url, source_name=source, fetched_at=at, page_id=None
    )


def count(engine: Engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.fixture
def repo(engine: Engine) -> Repository:
    return Repository(engine)


def test_first_sight_then_unchanged_then_updated(repo: Repository, engine: Engine) -> None:
    body = body_text(1)
    first = store(repo, "https://www.news.test/a/1?utm_source=x", "Drone strike", body)
    assert (first.status, first.version_no) == ("new", 1)
    again = store(
        repo,
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
        repo, "https://m.news.test/a/1", "Drone strike kills two", body, at=T0 + timedelta(hours=1)
    )
    assert (edited.status, edited.version_no, edited.article_id) == ("updated", 2, first.article_id)
    assert edited.story_id == first.story_id
    assert count(engine, articles) == 1 and count(engine, article_versions) == 2
    versions = repo.versions(first.article_id)
    assert versions[1]["diff"].startswith("headline: … Drone strike {+kills two+} …")
    assert versions[1]["fetched_at"] == T0 + timedelta(hours=1)
    article = repo.find_article(first.article_id)
    assert article is not None
    assert article["latest_version_id"] == edited.version_id and article["version_count"] == 2
    assert article["last_seen_at"] == T0 + timedelta(hours=1)


def test_every_url_seen_is_an_alias(repo: Repository, engine: Engine) -> None:
    body = body_text(2)
    a = store(
        repo,
        "https://feeds.news.test/r/123",
        "H",
        body,
        final_url="https://news.test/world/x?ref=rss",
        canonical="https://news.test/world/x",
    )
    b = store(repo, "https://news.test/world/x?utm_campaign=y", "H", body)
    assert a.article_id == b.article_id
    with engine.connect() as conn:
        urls = set(conn.execute(select(article_aliases.c.url)).scalars())
    assert {
        "https://feeds.news.test/r/123",
        "https://news.test/world/x?ref=rss",
        "https://news.test/world/x",
    } <= urls
    assert repo.find_article("https://feeds.news.test/r/123")["id"] == a.article_id  # type: ignore[index]
    assert repo.find_article("http://www.news.test/world/x/#top")["id"] == a.article_id  # type: ignore[index]


def test_republished_identical_copy_is_not_a_version(repo: Repository, engine: Engine) -> None:
    body = body_text(3)
    store(repo, "https://news.test/a", "Same", body)
    for minutes in (5, 10, 20):
        assert (
            store(repo, "https://news.test/a", "Same", body, at=T0 + timedelta(minutes=minutes)).status
            == "unchanged"
        )
    assert count(engine, article_versions) == 1


def test_wire_copies_across_outlets_form_one_story(repo: Repository, engine: Engine) -> None:
    wire = body_text(4)
    lines = wire.split("\n")
    rewrite = "\n".join(["Our correspondent adds context here.", *lines[:10], *lines[11:]])
    a = store(repo, "https://one.test/x", "Kim watches drone test", wire)
    b = store(repo, "https://two.test/y", "Kim oversees new drone test", rewrite, source="s2")
    c = store(repo, "https://three.test/z", "Football results", body_text(5), source="s3")
    assert a.story_id == b.story_id != c.story_id
    story = repo.story(a.story_id)  # type: ignore[arg-type]
    assert story is not None and story["article_count"] == 2
    assert {m["outlet"] for m in story["members"]} == {"one.test", "two.test"}
    assert count(engine, stories) == 2


def test_story_is_kept_when_the_article_changes(repo: Repository) -> None:
    a = store(repo, "https://one.test/x", "Kim", body_text(6))
    b = store(repo, "https://one.test/x", "Kim", body_text(7), at=T0 + timedelta(hours=2))
    assert b.status == "updated" and b.story_id == a.story_id


def test_article_without_text_gets_its_own_story(repo: Repository) -> None:
    a = store(repo, "https://one.test/empty", None, "")  # type: ignore[arg-type]
    b = store(repo, "https://two.test/empty", None, "")  # type: ignore[arg-type]
    assert a.status == "new" and a.story_id != b.story_id


def test_overlong_url_is_stored(repo: Repository) -> None:
    url = "https://news.test/" + "x" * 5000
    first = store(repo, url, "Long", body_text(8))
    assert store(repo, url, "Long", body_text(8)).article_id == first.article_id


def test_archive_page_is_idempotent_and_compressed(repo: Repository) -> None:
    body = ("<html><body>" + "news " * 2000 + "</body></html>").encode()
    kwargs = dict(
        url="https://news.test/a",
        final_url=None,
        status=200,
        content_type="text/html",
        encoding="utf-8",
        headers={"ETag": '"1"'},
        body=body,
        fetched_at=T0,
        source_name="s1",
    )
    first = repo.archive_page(**kwargs)  # type: ignore[arg-type]
    assert repo.archive_page(**kwargs) == first  # type: ignore[arg-type]
    assert repo.load_page(first) == body
    assert repo.expire_pages(now=T0 + timedelta(days=1)) == 0
    assert repo.expire_pages(now=T0 + timedelta(days=repo.settings.raw_page_retention_days + 1)) == 1
    assert repo.load_page(first) is None


def _health(engine: Engine) -> dict:  # type: ignore[type-arg]
    with engine.connect() as conn:
        return dict(conn.execute(select(sources).where(sources.c.name == "s1")).mappings().one())


def test_source_health_follows_runs_and_is_idempotent(repo: Repository, engine: Engine) -> None:
    failed = {"ok": False, "started_at": T0, "finished_at": T0, "errors": {"timeout": 3, "http_5xx": 1}}
    repo.record_source_run("s1", "r1", failed)
    repo.record_source_run("s1", "r1", failed)  # a retried task records the same run again
    health = _health(engine)
    assert health["consecutive_failures"] == 1 and health["last_error_kind"] == "timeout"
    repo.record_source_run(
        "s1",
        "r2",
        {
            **failed,
            "started_at": T0 + timedelta(minutes=15),
            "finished_at": T0 + timedelta(minutes=15),
            "error_kind": "dns",
            "error_message": "no such host",
        },
    )
    health = _health(engine)
    assert health["consecutive_failures"] == 2
    assert (health["last_error_kind"], health["last_error_message"]) == ("dns", "no such host")
    assert health["last_success_at"] is None
    done = T0 + timedelta(minutes=31)
    repo.record_source_run(
        "s1",
        "r3",
        {
            "ok": True,
            "started_at": T0 + timedelta(minutes=30),
            "finished_at": done,
            "fetched": 5,
            "new": 2,
            "updated": 1,
        },
    )
    health = _health(engine)
    assert health["consecutive_failures"] == 0 and health["last_error_kind"] is None
    assert utc(health["last_success_at"]) == done
    assert utc(health["last_yield_at"]) == done


def test_reprocessing_archived_pages_versions_only_what_changed(repo: Repository) -> None:
    """A reprocess run re-extracts archived pages; an unchanged result adds nothing."""
    body_a, body_b = body_text(20), body_text(21)
    for n, body in enumerate((body_a, body_b)):
        html = f"<html><h1>Headline {n}</h1><p>{body}</p></html>".encode()
        page_id = repo.archive_page(
            url=f"https://news.test/p{n}",
            final_url=None,
            status=200,
            content_type="text/html",
            encoding="utf-8",
            headers={},
            body=html,
            fetched_at=T0 + timedelta(minutes=n),
            source_name="s1",
        )
        first = store(repo, f"https://news.test/p{n}", f"Headline {n}", body, at=T0 + timedelta(minutes=n))
        assert first.status == "new" and page_id
    archived = list(repo.iter_pages(since=T0, batch=1))
    assert [p.url for p in archived] == ["https://news.test/p0", "https://news.test/p1"]
    assert archived[1].body.startswith(b"<html><h1>Headline 1")
    assert list(repo.iter_pages(source="other")) == []
    outcomes = []
    for page in archived:  # a "better extractor" now also finds a byline in the second page only
        n = int(page.url[-1])
        extracted = (body_a, body_b + "\nBy Jane Doe, Reuters")[n]
        outcomes.append(
            repo.store_article(
                Article(headline=f"Headline {n}", body=extracted),
                url=page.url,
                final_url=page.final_url,
                source_name="s1",
                fetched_at=page.fetched_at,
                page_id=page.page_id,
            ).status
        )
    assert outcomes == ["unchanged", "updated"]


def test_hostile_text_is_stored_not_fatal(repo: Repository) -> None:
    """NUL bytes, control characters and lone surrogates (lenient decoding) must not fail a write."""
    article = Article(
        headline="Bad\x00 headline\ud800",
        body="Body with NUL\x00 and \x1b[31m escapes\udc80.",
        authors=["Jane\x00 Doe"],
        language="en\x00-GB-extremely-long-tag",
    )
    outcome = repo.store_article(
        article,
        url="https://news.test/bad\x00",
        final_url=None,
        source_name="s1",
        fetched_at=T0,
        page_id=None,
    )
    (version,) = repo.versions(outcome.article_id)
    assert version["headline"] == "Bad headline?" and "\x00" not in version["body"]
    assert version["authors"] == ["Jane Doe"] and len(version["language"]) <= 16


def test_a_shortened_copy_joins_the_wire_story(repo: Repository) -> None:
    """An outlet running only the first paragraphs under its own headline is the same story."""
    wire = body_text(30, 450)
    paragraphs = wire.split("\n")
    short = "\n".join(paragraphs[: len(paragraphs) * 2 // 5])  # the first 40 %
    full = store(repo, "https://wire.test/story", "Talks resume on grain corridor", wire)
    cut = store(repo, "https://local.test/grain", "Grain deal: what we know", short, source="s2")
    other = store(repo, "https://local.test/other", "Council budget", body_text(31, 450), source="s2")
    assert cut.story_id == full.story_id != other.story_id


def test_iter_versions_pages_through_everything_in_order(repo: Repository) -> None:
    """Exports stream in keyset pages: every version once, oldest id first, window applied."""
    for i in range(7):
        store(repo, f"https://news.test/e{i % 3}", f"H{i}", body_text(40 + i), at=T0 + timedelta(hours=i))
    rows = list(repo.iter_versions(batch=3))
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows) and len(rows) == 7
    assert len({(r["article_id"], r["version_no"]) for r in rows}) == 7
    window = list(repo.iter_versions(since=T0 + timedelta(hours=2), until=T0 + timedelta(hours=5), batch=2))
    assert [r["headline"] for r in window] == ["H2", "H3", "H4"]
    assert all(r["fetched_at"].tzinfo is not None for r in window)


def test_article_keeps_a_link_readers_can_open(engine) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from newswatch.models import Article
    from newswatch.store.repository import Repository
    from newswatch.store.schema import articles
    from sqlalchemy import select

    repo = Repository(engine)
    article = Article(headline="A headline", body="First paragraph of the story.\n\nSecond one.")
    repo.store_article(article, url="http://www.example.com/a/story?utm_source=x", final_url=None,
                       source_name="s", fetched_at=datetime(2026, 11, 27, tzinfo=UTC), page_id=None)
    with engine.connect() as conn:
        key, link = conn.execute(select(articles.c.canonical_url, articles.c.url)).one()
    assert key == "https://example.com/a/story"
    assert link == "http://www.example.com/a/story?utm_source=x"
