"""``newswatch topics test`` dry-runs a topic or an inline query against stored articles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from newswatch.cli import main
from newswatch.store.schema import alerts, article_versions, articles, stories, topic_matches
from sqlalchemy import func, insert, select, update

DATA = Path(__file__).parent / "data"


def _store(engine, name: str, url: str, outlet: str, story_id: int | None, fetched_at: datetime) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    with engine.begin() as conn:
        aid = conn.execute(
            insert(articles).values(
                canonical_url=url,
                outlet=outlet,
                story_id=story_id,
                first_seen_at=fetched_at,
                last_seen_at=fetched_at,
                version_count=1,
            )
        ).inserted_primary_key[0]
        vid = conn.execute(
            insert(article_versions).values(
                article_id=aid,
                version_no=1,
                content_hash=url,
                headline=text.splitlines()[2],
                body=text,
                language="en",
                published_at=fetched_at,
                fetched_at=fetched_at,
            )
        ).inserted_primary_key[0]
        conn.execute(update(articles).where(articles.c.id == aid).values(latest_version_id=vid))


@pytest.fixture
def stored(engine, db_url, monkeypatch):
    now = datetime.now(UTC)
    with engine.begin() as conn:
        story = conn.execute(
            insert(stories).values(headline="Kim", first_seen_at=now, last_seen_at=now, article_count=2)
        ).inserted_primary_key[0]
        other = conn.execute(
            insert(stories).values(headline="Sport", first_seen_at=now, last_seen_at=now, article_count=1)
        ).inserted_primary_key[0]
    _store(engine, "sample-kim-russia-trip.txt", "https://a.example/kim", "a.example", story, now)
    _store(engine, "wire-copy-kim-russia-trip.txt", "https://b.example/kim", "b.example", story, now)
    _store(engine, "near-miss-sport.txt", "https://c.example/sport", "c.example", other, now)
    _store(
        engine, "near-miss-weather.txt", "https://c.example/old", "c.example", None, now - timedelta(days=40)
    )
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", db_url)
    return engine


def test_topic_by_name_shows_one_story_with_both_outlets_and_evidence(stored, capsys) -> None:
    assert main(["topics", "test", "Russia–North Korea military ties", "--since", "30d"]) == 0
    out = capsys.readouterr().out
    assert "1 story would alert" in out
    assert "a.example" in out and "b.example" in out and "c.example" not in out
    assert "[North Korea" in out or "[North Korean" in out
    with stored.connect() as conn:  # a dry run writes nothing
        assert conn.execute(select(func.count()).select_from(topic_matches)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(alerts)).scalar_one() == 0


def test_inline_query_and_since(stored, capsys) -> None:
    assert main(["topics", "test", "headline:(football OR cold)", "--since", "30d"]) == 0
    out = capsys.readouterr().out
    assert "1 story would alert" in out and "football" in out
    assert main(["topics", "test", "headline:(football OR cold)", "--since", "60d"]) == 0
    assert "2 stories would alert" in capsys.readouterr().out


def test_bad_query_and_bad_since_are_one_line_errors(stored, capsys) -> None:
    assert main(["topics", "test", "russia AND (korea"]) == 2
    err = capsys.readouterr().err
    assert "not a valid query" in err and "position 17" in err
    assert main(["topics", "test", "russia", "--since", "forever"]) == 2
    assert "--since" in capsys.readouterr().err


def test_check_reports_errors(tmp_path, capsys) -> None:
    bad = tmp_path / "topics.yaml"
    bad.write_text("topics:\n  - name: x\n    query: 'a AND'\n    recipients: [a@example.com]\n")
    assert main(["topics", "check", "--topics-file", str(bad)]) == 1
    assert "ERROR" in capsys.readouterr().out
    assert main(["topics", "check"]) == 0


def test_the_vocabulary_entries_that_matched_are_shown(stored, capsys) -> None:
    assert main(["topics", "test", "Russia–North Korea military ties", "--since", "30d"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "vocabulary matched:" in x)
    assert "@russia: russia*" in line and '@north_korea: "north korea*"' in line and "@military:" in line
    assert "language: en" in out


def test_an_inline_query_may_use_the_files_vocabularies(stored, capsys) -> None:
    assert main(["topics", "test", "@north_korea NEAR/5 football", "--since", "30d"]) == 0
    out = capsys.readouterr().out
    assert "1 story would alert" in out and "c.example" in out
