"""Hourly and daily digests: one e-mail per topic and period listing its stories, best first.

A digest takes every recorded match of the topic that no digest has taken yet and that was made
before the end of the period just closed, and marks them with the digest's key in the same
transaction that inserts the digest into the outbox. A rerun finds the key already present and
changes nothing; a match recorded late simply goes into the next digest, never into none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, Engine

from newswatch.alerts import outbox
from newswatch.models import story_key
from newswatch.settings import Settings
from newswatch.store import matches
from newswatch.store import outbox as outbox_table
from newswatch.store.dialect import begin_write
from newswatch.store.values import utc
from newswatch.topics.config import Topic

Period = Literal["hourly", "daily"]
PERIODS: dict[str, timedelta] = {"hourly": timedelta(hours=1), "daily": timedelta(days=1)}


def window(period: Period, now: datetime) -> tuple[datetime, datetime]:
    """The last complete period before ``now`` (UTC hours or UTC days)."""
    now = utc(now)  # type: ignore[assignment]
    end = now.replace(minute=0, second=0, microsecond=0)
    if period == "daily":
        end = end.replace(hour=0)
    return end - PERIODS[period], end


def group_stories(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """One entry per story: every outlet's latest version, the best-scoring evidence; best first.

    Stories in every language of the topic go in one digest; each lists its languages."""
    stories: dict[str, dict[str, Any]] = {}
    for row in rows:  # in version order, so later versions replace earlier ones
        key = story_key(row.story_id, row.article_id)
        story = stories.setdefault(key, {"story_key": key, "score": -1.0, "items": {}, "latest": None})
        story["items"][row.article_id] = outbox.article_item(row)
        if row.score >= story["score"]:
            story.update(score=row.score, headline=row.headline, evidence=row.evidence)
        story["latest"] = max(filter(None, [story["latest"], outbox.iso(row.published_at)]), default=None)
    ordered = sorted(
        stories.values(), key=lambda s: (s["score"], len(s["items"]), s["latest"] or ""), reverse=True
    )
    return [
        {
            **{k: v for k, v in s.items() if k != "latest"},
            "items": list(s["items"].values()),
            "languages": sorted({i["language"] for i in s["items"].values() if i.get("language")}),
        }
        for s in ordered
    ]


def languages_line(stories: Sequence[dict[str, Any]]) -> str:
    """`` in 3 languages (ko 2, en 1, ru 1)`` for a digest whose stories span several languages."""
    counts: dict[str, int] = {}
    for story in stories:
        for code in story.get("languages") or []:
            counts[code] = counts.get(code, 0) + 1
    if len(counts) < 2:
        return ""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return f" in {len(counts)} languages ({', '.join(f'{code} {n}' for code, n in ordered)})"


def enqueue_digests(
    engine: Engine,
    topics: Sequence[Topic],
    *,
    period: Period,
    now: datetime,
    settings: Settings,
) -> dict[str, int]:
    """Queue one digest per ``period`` topic that has undigested matches; return counts."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    start, end = window(period, now)
    summary = {"topics": 0, "digests": 0, "stories": 0, "matches": 0}
    for topic in (t for t in topics if t.delivery == period):
        summary["topics"] += 1
        with engine.connect() as conn:
            begin_write(conn)
            rows = matches.undigested_matches(conn, topic.name, end)
            stories = _enqueue(conn, topic, period, start, end, rows, now, settings) if rows else 0
            if stories:
                summary["digests"] += 1
                summary["matches"] += len(rows)
                summary["stories"] += stories
            conn.commit()
    return summary


def _enqueue(
    conn: Connection,
    topic: Topic,
    period: Period,
    start: datetime,
    end: datetime,
    rows: list[Any],
    now: datetime,
    settings: Settings,
) -> int:
    """Queue the digest of ``rows``; how many stories it holds (0: this window's digest exists)."""
    stories = group_stories(rows)
    shown = [
        {**s, "evidence": s["evidence"][: settings.alert_max_evidence]}
        for s in stories[: settings.digest_max_stories]
    ]
    key = outbox.alert_key("digest", topic.name, f"{period}-{end:%Y%m%dT%H%MZ}")
    payload = {
        "kind": "digest",
        "topic": topic.name,
        "topic_description": topic.description,
        "period": period,
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "stories": shown,
        "more": len(stories) - len(shown),
    }
    count = f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'}"
    title = f"{period} digest, {count}{languages_line(stories)}, to {end:%Y-%m-%d %H:%M} UTC"
    row = outbox.new_row(
        key=key,
        kind="digest",
        topic_name=topic.name,
        recipients=topic.recipients,
        subject=outbox.subject("digest", topic.name, title, settings.alert_subject_max_chars),
        payload=payload,
        mail_from=settings.mail_from,
        now=now,
    )
    created = outbox_table.insert_if_absent(conn, row)
    if not created:
        return 0
    matches.mark_digested(conn, [r.match_id for r in rows], key)
    return len(stories)
