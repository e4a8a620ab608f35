"""Story reads on both databases: one story with its members, and the stories of the newest versions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import ui_seed
from newswatch.store.reads import stories
from newswatch.store.values import MAX_ID
from sqlalchemy import Engine, insert


def test_story_with_members_earliest_first(engine: Engine) -> None:
    ids = ui_seed.seed(engine)
    found = stories.story(engine, ids["story"])
    assert found is not None and found["headline"] == "Kim visits Russia"
    assert [(m["article_id"], m["outlet"]) for m in found["members"]] == [
        (ids["main"], "wire.example"),
        (ids["copy"], "daily.example"),
    ]
    assert found["members"][0]["headline"] == "Kim arrives in Russia for arms talks"  # the latest version's
    assert found["first_seen_at"].tzinfo is not None
    for absent in (424242, MAX_ID + 1, -1):
        assert stories.story(engine, absent) is None


def test_recent_stories_come_from_the_newest_versions(engine: Engine) -> None:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for n in range(4):  # story n's two articles were seen n hours ago (and n hours + 1 minute)
            when = now - timedelta(hours=n)
            story = conn.execute(
                insert(ui_seed.stories).values(
                    headline=f"Story {n}", first_seen_at=when, last_seen_at=when, article_count=2
                )
            ).inserted_primary_key[0]
            for m in range(2):
                seen = when - timedelta(minutes=m)
                version = {"headline": f"A{n}.{m}", "body": "text", "fetched_at": seen}
                ui_seed._article(conn, url=f"https://s.example/{n}/{m}", outlet=f"o{m}.example", source="s",
                                 story_id=story, seen=seen, versions=[version])  # fmt: skip
    found = stories.recent_stories(engine, scan=100, limit=2)
    assert [s["headline"] for s in found] == ["Story 0", "Story 1"]  # each once, newest first
    assert [m["headline"] for m in found[0]["members"]] == ["A0.1", "A0.0"]  # earliest seen first
    assert [s["headline"] for s in stories.recent_stories(engine, scan=3, limit=10)] == ["Story 0", "Story 1"]
    assert stories.recent_stories(engine, scan=0, limit=10) == []
