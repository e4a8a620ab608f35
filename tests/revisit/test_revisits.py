"""Revisits find the updates no listing announces, on schedule, for every kind of listing.

Real fixture server (``/files/`` answers conditional GETs with 304, ``/files-plain/`` sends no
validators), real databases, the real ingest with an injected clock: nothing sleeps.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hostile_server import start_server
from newswatch.fetch import Fetcher
from newswatch.pipeline import SourceSummary, ingest_source
from newswatch.settings import Settings
from newswatch.sources.config import DiscoveryMethod, Source
from newswatch.store.schema import article_versions, fetches, pages, url_state
from seed import loopback_settings, watch
from sqlalchemy import Engine, func, select

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
CYCLE = timedelta(minutes=15)
PROSE = (
    "<p>The harbour authority said on Monday that ships would be rerouted while the old quay is "
    "repaired, a job expected to last well into the next year, officials told reporters.</p>"
)
NEW_EVIDENCE = "<p>Officials later confirmed that a naval patrol boat will guard the closed quay.</p>"


def article_html(headline: str, extra: str = "", modified: str = "2026-12-01T07:30:00Z") -> str:
    return (
        f"<html><head><title>{headline}</title>"
        f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{headline}", '
        f'"datePublished": "2026-12-01T07:00:00Z", "dateModified": "{modified}"}}</script>'
        f"</head><body><article><h1>{headline}</h1>{PROSE * 4 + extra}</article></body></html>"
    )


def listing(kind: str, link: str) -> tuple[str, str, str | None]:
    """(file name, content, link pattern) of a listing that says nothing when the page changes."""
    urlset = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    if kind == "feed-dated":
        date = "<pubDate>Tue, 01 Dec 2026 07:00:00 GMT</pubDate>"
        item = f"<item><title>Quay closed</title><link>{link}</link>{date}</item>"
    elif kind == "feed-undated":
        item = f"<item><title>Quay closed</title><link>{link}</link><guid>quay-1</guid></item>"
    if kind.startswith("feed"):
        return (
            "feed.xml",
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{item}</channel></rss>',
            None,
        )
    if kind == "news-sitemap":
        news = (
            "<news:news><news:publication><news:name>Harbour</news:name><news:language>en</news:language>"
            "</news:publication><news:publication_date>2026-12-01T07:00:00Z</news:publication_date>"
            "<news:title>Quay closed</news:title></news:news>"
        )
        body = f'{urlset} xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>{link}</loc>{news}</url></urlset>'
        return "sitemap.xml", body, None
    if kind == "sitemap":
        return "sitemap.xml", f"{urlset}><url><loc>{link}</loc></url></urlset>", None
    return "index.html", f'<html><body><a href="{link}">Quay closed</a></body></html>', r"/story\.html"


METHOD = {
    "feed-dated": "feed",
    "feed-undated": "feed",
    "news-sitemap": "sitemap",
    "sitemap": "sitemap",
    "section": "section",
}
KINDS = list(METHOD)


@dataclass
class Newsroom:
    root: Path
    base: str
    engine: Engine
    settings: Settings
    source: Source

    def cycle(self, at: datetime, run: str) -> SourceSummary:
        with Fetcher(self.settings) as fetcher:
            return ingest_source(
                self.source,
                settings=self.settings,
                engine=self.engine,
                fetcher=fetcher,
                run_id=run,
                clock=lambda: at,
            )

    def count(self, table, *where) -> int:  # type: ignore[no-untyped-def]
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    with start_server("--root", str(tmp_path)) as info:
        yield tmp_path, str(info["url"]).rstrip("/")


def newsroom(
    server: tuple[Path, str], engine: Engine, db_url: str, kind: str, served: str = "files"
) -> Newsroom:
    root, base = server
    link = f"{base}/{served}/story.html"
    name, content, pattern = listing(kind, link)
    (root / "story.html").write_text(article_html("Quay closed"))
    (root / name).write_text(content)
    method = DiscoveryMethod(METHOD[kind], f"{base}/files/{name}", pattern)  # type: ignore[arg-type]
    return Newsroom(root, base, engine, loopback_settings(db_url), Source(name="harbour", methods=(method,)))


@pytest.mark.parametrize("kind", KINDS)
def test_a_change_no_listing_announces_is_stored_once_by_a_revisit(
    server: tuple[Path, str], engine: Engine, db_url: str, kind: str
) -> None:
    room = newsroom(server, engine, db_url, kind)
    assert room.cycle(T0, "r1").new == 1
    (room.root / "story.html").write_text(
        article_html("Quay closed as navy moves in", NEW_EVIDENCE, modified="2026-12-01T08:10:00Z")
    )
    second = room.cycle(T0 + CYCLE, "r2")
    assert (second.discovered, second.revisited, second.revisit_changed, second.updated) == (0, 1, 1, 1), (
        second
    )
    with engine.connect() as conn:
        latest = conn.execute(
            select(article_versions.c.headline, article_versions.c.updated_at, article_versions.c.body)
            .order_by(article_versions.c.version_no.desc())
            .limit(1)
        ).one()
    assert latest.headline == "Quay closed as navy moves in" and "naval patrol" in latest.body
    assert latest.updated_at.replace(tzinfo=UTC) == datetime(2026, 12, 1, 8, 10, tzinfo=UTC)
    third = room.cycle(T0 + 2 * CYCLE, "r3")  # checked again (young story), unchanged now: no new version
    assert (third.revisited, third.revisit_not_modified, third.revisit_changed) == (1, 1, 0), third
    assert room.count(article_versions) == 2 and room.count(fetches, fetches.c.purpose == "revisit") == 2


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("served", ["files", "files-plain"])  # with validators (304) and without (same bytes)
def test_an_unchanged_page_costs_no_extraction_and_writes_no_version(
    server: tuple[Path, str], engine: Engine, db_url: str, kind: str, served: str
) -> None:
    room = newsroom(server, engine, db_url, kind, served)
    room.cycle(T0, "r1")
    again = room.cycle(T0 + CYCLE, "r2")
    assert (again.revisited, again.revisit_not_modified, again.fetched) == (1, 1, 0), again
    assert room.count(article_versions) == 1 and room.count(pages) == 1
    statuses = {
        r
        for (r,) in room.engine.connect().execute(
            select(fetches.c.status).where(fetches.c.purpose == "revisit")
        )
    }
    assert statuses == ({304} if served == "files" else {200})


@pytest.mark.parametrize("kind", KINDS)
def test_a_gone_page_is_recorded_and_never_revisited(
    server: tuple[Path, str], engine: Engine, db_url: str, kind: str
) -> None:
    room = newsroom(server, engine, db_url, kind)
    room.cycle(T0, "r1")
    (room.root / "story.html").unlink()
    gone = room.cycle(T0 + CYCLE, "r2")
    assert gone.revisited == 1 and room.count(url_state, url_state.c.revisit_state == "gone") == 1
    later = room.cycle(T0 + 2 * CYCLE, "r3")
    assert later.revisited == 0 and room.count(fetches, fetches.c.purpose == "revisit") == 1
    assert room.count(article_versions) == 1


def test_a_page_now_redirecting_to_another_article_is_no_longer_revisited(
    server: tuple[Path, str], engine: Engine, db_url: str
) -> None:
    root, base = server
    (root / "target.txt").write_text(f"{base}/files/story.html")
    (root / "story.html").write_text(article_html("Quay closed"))
    (root / "feed.xml").write_text(listing("feed-undated", f"{base}/redirect-file/target.txt")[1])
    source = Source(name="harbour", methods=(DiscoveryMethod("feed", f"{base}/files/feed.xml"),))
    room = Newsroom(root, base, engine, loopback_settings(db_url), source)
    assert room.cycle(T0, "r1").new == 1
    assert room.cycle(T0 + CYCLE, "r2").revisit_not_modified == 1  # the same redirect: same article
    (root / "elsewhere.html").write_text(article_html("Another story entirely"))
    (root / "target.txt").write_text(f"{base}/files/elsewhere.html")
    moved = room.cycle(T0 + 2 * CYCLE, "r3")
    assert moved.revisited == 1 and moved.new == 0
    assert room.count(url_state, url_state.c.revisit_state == "moved") == 1
    assert room.cycle(T0 + 3 * CYCLE, "r4").revisited == 0
    assert room.count(article_versions) == 1


def test_the_schedule_grows_with_age_and_a_change_resets_it(
    server: tuple[Path, str], engine: Engine, db_url: str
) -> None:
    room = newsroom(server, engine, db_url, "feed-undated")
    room.cycle(T0, "r0")
    revisits = []
    at = T0
    while at < T0 + timedelta(hours=6):  # every cycle for 3 hours, then hourly
        at += CYCLE
        revisits.append(room.cycle(at, f"r{at:%H%M}").revisited)
    assert revisits[:11] == [1] * 11  # until 3h of age: every cycle
    assert sum(revisits[12:]) == 3  # from 3h to 6h: hourly
    (room.root / "story.html").write_text(article_html("Quay closed for good", NEW_EVIDENCE))
    later = [room.cycle(at + CYCLE * i, f"x{i}") for i in range(1, 9)]
    assert sum(s.revisit_changed for s in later) == 1
    assert [s.revisited for s in later[-4:]] == [1, 1, 1, 1]  # changed: every cycle again


def test_a_source_with_revisits_off_is_never_revisited(
    server: tuple[Path, str], engine: Engine, db_url: str
) -> None:
    room = newsroom(server, engine, db_url, "feed-undated")
    from newswatch.revisit.schedule import RevisitSchedule

    room.source = Source(name="harbour", methods=room.source.methods, revisit=RevisitSchedule())
    room.cycle(T0, "r1")
    assert room.cycle(T0 + CYCLE, "r2").revisited == 0


def test_watched_articles_are_revisited_every_cycle_for_a_day(
    server: tuple[Path, str], engine: Engine, db_url: str
) -> None:
    room = newsroom(server, engine, db_url, "feed-undated")
    room.cycle(T0, "r1")
    with engine.connect() as conn:
        version_id, article_id = conn.execute(
            select(article_versions.c.id, article_versions.c.article_id)
        ).one()
    watch(engine, version_id, article_id, T0)
    at = T0 + timedelta(hours=5)
    checks = [room.cycle(at + CYCLE * i, f"w{i}").revisited for i in range(4)]
    assert checks == [1, 1, 1, 1]


def _feed(base: str, names: list[str]) -> str:
    items = "".join(
        f"<item><title>{n}</title><link>{base}/files/{n}.html</link><guid>{n}</guid></item>" for n in names
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'


def test_new_urls_first_then_a_capped_number_of_revisits_most_overdue_first_and_politely(
    server: tuple[Path, str], engine: Engine, db_url: str
) -> None:
    root, base = server
    old = [f"old{i}" for i in range(5)]
    for name in [*old, "fresh0", "fresh1"]:
        (root / f"{name}.html").write_text(article_html(f"Story {name}"))
    (root / "feed.xml").write_text(_feed(base, old))
    settings = loopback_settings(
        db_url, NEWSWATCH_REVISIT_MAX_PER_SOURCE="2", NEWSWATCH_PER_DOMAIN_DELAY="0.2"
    )
    source = Source(name="harbour", methods=(DiscoveryMethod("feed", f"{base}/files/feed.xml"),))
    room = Newsroom(root, base, engine, settings, source)
    assert room.cycle(T0, "r1").new == 5
    (root / "feed.xml").write_text(_feed(base, [*old, "fresh0", "fresh1"]))
    mixed = room.cycle(T0 + CYCLE, "r2")
    assert (mixed.new, mixed.revisited) == (2, 2), mixed
    with engine.connect() as conn:
        rows = conn.execute(
            select(fetches.c.url, fetches.c.purpose, fetches.c.requested_at)
            .where(fetches.c.run_id == "r2", fetches.c.purpose.in_(["new", "revisit"]))
            .order_by(fetches.c.id)
        ).all()
    assert [r.purpose for r in rows] == ["new", "new", "revisit", "revisit"]
    gaps = [(b.requested_at - a.requested_at).total_seconds() for a, b in itertools.pairwise(rows)]
    assert min(gaps) >= 0.19, gaps  # one domain: the per-domain interval holds across both kinds
    first_revisits = {r.url for r in rows if r.purpose == "revisit"}
    nxt = room.cycle(T0 + 2 * CYCLE, "r3")  # the three left waiting come first (most overdue)
    with engine.connect() as conn:
        later = [
            u
            for (u,) in conn.execute(
                select(fetches.c.url)
                .where(fetches.c.run_id == "r3", fetches.c.purpose == "revisit")
                .order_by(fetches.c.id)
            )
        ]
    assert nxt.revisited == 2 and not first_revisits & set(later)


def test_a_listing_entry_whose_title_changed_is_due_at_once_a_section_teaser_is_not(
    server: tuple[Path, str], engine: Engine, db_url: str
) -> None:
    root, base = server
    (root / "story.html").write_text(article_html("Quay closed"))
    off = "off"
    settings = loopback_settings(db_url, NEWSWATCH_REVISIT_SCHEDULE=off)
    feed = Source(name="feed", methods=(DiscoveryMethod("feed", f"{base}/files/feed.xml"),))
    section = Source(
        name="front", methods=(DiscoveryMethod("section", f"{base}/files/index.html", r"/story\.html"),)
    )
    (root / "feed.xml").write_text(listing("feed-undated", f"{base}/files/story.html")[1])
    (root / "index.html").write_text(listing("section", f"{base}/files/story.html")[1])
    room = Newsroom(root, base, engine, settings, feed)
    assert room.cycle(T0, "f1").discovered == 1
    (root / "feed.xml").write_text(
        listing("feed-undated", f"{base}/files/story.html")[1].replace("Quay closed", "Quay shut")
    )
    assert room.cycle(T0 + CYCLE, "f2").discovered == 1  # same GUID, no date: the new title alone
    room.source = section
    room.cycle(T0 + 2 * CYCLE, "s1")
    (root / "index.html").write_text(
        listing("section", f"{base}/files/story.html")[1].replace("Quay closed", "Quay: latest")
    )
    assert room.cycle(T0 + 3 * CYCLE, "s2").discovered == 0


def test_rerunning_a_cycle_converges(server: tuple[Path, str], engine: Engine, db_url: str) -> None:
    room = newsroom(server, engine, db_url, "news-sitemap")
    room.cycle(T0, "r1")
    (room.root / "story.html").write_text(article_html("Quay closed as navy moves in", NEW_EVIDENCE))
    room.cycle(T0 + CYCLE, "r2")
    room.cycle(T0 + CYCLE, "r2")  # the task retried: the same cycle again
    assert room.count(article_versions) == 2
    with engine.connect() as conn:
        (state,) = conn.execute(
            select(url_state.c.revisit_state, url_state.c.last_changed_at).where(
                url_state.c.url.like("%/story.html")
            )
        ).all()
    assert state.revisit_state == "active" and state.last_changed_at.replace(tzinfo=UTC) == T0 + CYCLE


def test_an_article_says_when_it_was_last_checked_and_when_it_is_next_due(
    server: tuple[Path, str],
    engine: Engine,
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newswatch.airflow.ui.pages import article_detail, source_health
    from newswatch.cli import main

    room = newsroom(server, engine, db_url, "feed-undated")
    room.cycle(T0, "r1")
    room.cycle(T0 + timedelta(hours=5), "r2")  # 5 h old: checked, next due an hour later
    with engine.connect() as conn:
        (article_id,) = conn.execute(select(article_versions.c.article_id)).one()
    detail = article_detail(engine, room.settings, article_id)
    assert detail is not None
    assert detail["revisits"]["state"] == "due"
    assert detail["revisits"]["last_checked_at"] == T0 + timedelta(hours=5)
    assert detail["revisits"]["next_check_at"] == T0 + timedelta(hours=6)
    health = source_health(engine, room.settings, now=T0 + timedelta(hours=5))
    runs = {r["run_id"]: r for source in health for r in source["runs"]}
    assert (runs["r2"]["revisited"], runs["r2"]["revisit_not_modified"]) == (1, 1)
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", db_url)
    assert main(["show", str(article_id)]) == 0
    shown = capsys.readouterr().out
    assert "next check 2026-12-01 14:00" in shown, shown
    (room.root / "story.html").unlink()
    room.cycle(T0 + timedelta(hours=6), "r3")
    assert article_detail(engine, room.settings, article_id)["revisits"]["state"] == "gone"  # type: ignore[index]
