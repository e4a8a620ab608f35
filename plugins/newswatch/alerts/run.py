"""Match new article versions against the topics and turn matches into outbox rows.

One alert per (topic, story): the first matching article of a story creates it; wire copies of
the same story add their outlet to it while it is unsent; a later version re-alerts (UPDATED)
only when the matched passages changed, or as the topic's ``realert`` policy says. Digest topics
only record matches; :mod:`newswatch.alerts.digest` mails them.

Every version is claimed by inserting its ``topic_evaluations`` row in the same transaction that
writes its matches and alerts, so reruns and concurrent runs never evaluate it twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, select, update

from newswatch.alerts import outbox
from newswatch.alerts.db import as_utc
from newswatch.settings import Settings, load_settings
from newswatch.store import schema as tables
from newswatch.store.dialect import begin_write, insert_ignore
from newswatch.store.schema import alerts, article_versions, articles, topic_evaluations, topic_matches
from newswatch.topics.config import Topic
from newswatch.topics.index import TopicIndex
from newswatch.topics.matcher import Doc, Evidence, Match


@dataclass(frozen=True)
class _Hit:
    topic: Topic
    match: Match
    evidence: list[Evidence]  # what is stored and shown (capped)


def _candidates(conn: Connection, since: datetime, limit: int) -> list[Any]:
    evaluated = select(topic_evaluations.c.version_id).where(
        topic_evaluations.c.version_id == article_versions.c.id
    )
    query = (
        select(
            article_versions.c.id.label("version_id"),
            article_versions.c.article_id,
            article_versions.c.version_no,
            article_versions.c.headline,
            article_versions.c.body,
            article_versions.c.language,
            article_versions.c.published_at,
            article_versions.c.updated_at,
            articles.c.outlet,
            articles.c.canonical_url,
            articles.c.story_id,
        )
        .join(articles, articles.c.id == article_versions.c.article_id)
        .where(article_versions.c.fetched_at >= since, ~evaluated.exists())
        .order_by(article_versions.c.id)
        .limit(limit)
    )
    return list(conn.execute(query))


def _doc(row: Any) -> Doc:
    return Doc.from_parts(headline=row.headline, body=row.body, source=row.outlet, language=row.language)


def _hits(index: TopicIndex[Topic], row: Any, settings: Settings) -> list[_Hit]:
    out: list[_Hit] = []
    for topic, found in index.match(_doc(row)):
        if not topic.accepts_language(row.language) or found.score < topic.min_score:
            continue
        out.append(_Hit(topic, found, list(found.evidence[: settings.alert_max_evidence])))
    return out


def match_and_enqueue(
    engine: Engine, topics: Sequence[Topic], *, now: datetime, settings: Settings | None = None
) -> dict[str, int]:
    """Evaluate every not-yet-evaluated recent version; return counts of what happened.

    With no topics at all (say, a topics file that failed to load) nothing is evaluated: marking
    versions as evaluated then would lose their alerts for good once the file is fixed.
    """
    settings = settings or load_settings()
    now = as_utc(now)  # type: ignore[assignment]
    since = now - timedelta(hours=settings.alert_lookback_hours)
    index = TopicIndex(list(topics))
    summary: dict[str, int] = {
        "versions": 0,
        "matches": 0,
        "new": 0,
        "copy": 0,
        "updated": 0,
        "merged": 0,
        "unchanged": 0,
        "digest": 0,
    }
    if not topics:
        return summary
    sync_topics(engine, topics, now)
    while True:
        with engine.connect() as conn:
            rows = _candidates(conn, since, settings.alert_match_batch)
        if not rows:
            return summary
        hits = {row.version_id: _hits(index, row, settings) for row in rows}
        with engine.connect() as conn:
            begin_write(conn)
            claimed = _claim(conn, rows, hits, now)
            for row in rows:
                if row.version_id not in claimed:
                    continue
                summary["versions"] += 1
                for hit in hits[row.version_id]:
                    summary["matches"] += 1
                    summary[_record(conn, row, hit, now, settings)] += 1
            conn.commit()


def prune_evaluations(engine: Engine, *, now: datetime, settings: Settings | None = None) -> int:
    """Forget evaluations older than twice the lookback window; return how many rows went.

    A version is evaluated after it is fetched, so by then it is long outside the window and can
    never be selected again; the second window is margin for clock skew between workers.
    """
    settings = settings or load_settings()
    cutoff = as_utc(now) - 2 * timedelta(hours=settings.alert_lookback_hours)  # type: ignore[operator]
    with engine.begin() as conn:
        result = conn.execute(delete(topic_evaluations).where(topic_evaluations.c.evaluated_at < cutoff))
        return int(result.rowcount)


def _topic_config(topic: Topic) -> dict[str, Any]:
    return {
        "recipients": list(topic.recipients),
        "delivery": topic.delivery,
        "min_score": topic.min_score,
        "languages": list(topic.languages),
        "realert": topic.realert,
        "description": topic.description,
    }


def sync_topics(engine: Engine, topics: Sequence[Topic], now: datetime) -> int:
    """Mirror the configured topics into the ``topics`` table (for analysts' views); return changes."""
    wanted = {t.name: (t.query.text, _topic_config(t)) for t in topics}
    changed = 0
    with engine.connect() as conn:
        begin_write(conn)
        stored = {r.name: (r.query, r.config) for r in conn.execute(select(tables.topics))}
        for name, (query, config) in wanted.items():
            if stored.get(name) == (query, config):
                continue
            changed += 1
            if name in stored:
                conn.execute(
                    update(tables.topics)
                    .where(tables.topics.c.name == name)
                    .values(query=query, config=config, updated_at=now)
                )
            else:
                row = {"name": name, "query": query, "config": config, "updated_at": now}
                conn.execute(insert_ignore(conn, tables.topics, row, ["name"]))
        conn.commit()
    return changed


def _claim(conn: Connection, rows: list[Any], hits: dict[int, list[_Hit]], now: datetime) -> set[int]:
    values = [
        {"version_id": r.version_id, "evaluated_at": now, "matched": len(hits[r.version_id])} for r in rows
    ]
    stmt = insert_ignore(conn, topic_evaluations, values, ["version_id"]).returning(
        topic_evaluations.c.version_id
    )
    return {int(v) for v in conn.execute(stmt).scalars()}


def _previous(conn: Connection, topic: str, article_id: int, version_id: int) -> Any | None:
    query = (
        select(topic_matches.c.evidence, topic_matches.c.evidence_hash)
        .where(
            topic_matches.c.topic_name == topic,
            topic_matches.c.article_id == article_id,
            topic_matches.c.version_id < version_id,
        )
        .order_by(topic_matches.c.version_id.desc())
        .limit(1)
    )
    return conn.execute(query).first()


def _record(conn: Connection, row: Any, hit: _Hit, now: datetime, settings: Settings) -> str:
    """Store the match and decide (and apply) what it means for the outbox; return that decision."""
    topic, fingerprint = hit.topic, hit.match.fingerprint()
    previous = _previous(conn, topic.name, row.article_id, row.version_id)
    changed = previous is None or previous.evidence_hash != fingerprint
    if topic.delivery != "immediate":
        disposition = "digest" if changed or topic.realert == "always" else "unchanged"
    else:
        disposition = _immediate(conn, row, hit, previous, fingerprint, now, settings)
    conn.execute(
        insert_ignore(
            conn,
            topic_matches,
            {
                "topic_name": topic.name,
                "version_id": row.version_id,
                "article_id": row.article_id,
                "story_id": row.story_id,
                "score": hit.match.score,
                "evidence": [e.as_dict() for e in hit.evidence],
                "evidence_hash": fingerprint,
                "matched_at": now,
                "disposition": disposition,
            },
            ["topic_name", "version_id"],
        )
    )
    return disposition


def _story_alerts(conn: Connection, topic: str, skey: str) -> list[Any]:
    query = (
        select(alerts.c.id, alerts.c.status, alerts.c.payload, alerts.c.message_id, alerts.c.kind)
        .where(alerts.c.topic_name == topic, alerts.c.story_key == skey)
        .order_by(alerts.c.id)
    )
    return list(conn.execute(query))


def _immediate(
    conn: Connection,
    row: Any,
    hit: _Hit,
    previous: Any | None,
    fingerprint: str,
    now: datetime,
    settings: Settings,
) -> str:
    topic = hit.topic
    skey = outbox.story_key(row.story_id, row.article_id)
    existing = _story_alerts(conn, topic.name, skey)
    if not existing:
        if _enqueue(
            conn, "new", row, hit, skey, outbox.alert_key("new", topic.name, skey), None, None, now, settings
        ):
            return "new"
        existing = _story_alerts(conn, topic.name, skey)  # a concurrent run created it just now
    pending = next((a for a in reversed(existing) if a.status == "pending"), None)
    if previous is None:
        # Another outlet's copy of a story already alerted: list it on the unsent alert, if any.
        if pending is not None:
            _add_item(conn, pending, row, hit, settings)
        return "copy"
    changed = previous.evidence_hash != fingerprint
    if topic.realert == "never" or (not changed and topic.realert != "always"):
        return "unchanged"
    if pending is not None:
        _add_item(conn, pending, row, hit, settings, replace_evidence=True)
        return "merged"
    before = [Evidence.from_dict(e) for e in previous.evidence]
    changes = outbox.evidence_changes(before, hit.evidence)
    suffix = fingerprint[:16] if topic.realert != "always" else f"v{row.version_id}"
    key = outbox.alert_key("updated", topic.name, skey, suffix)
    _enqueue(conn, "updated", row, hit, skey, key, changes, existing[0].message_id, now, settings)
    return "updated"


def _enqueue(
    conn: Connection,
    kind: str,
    row: Any,
    hit: _Hit,
    skey: str,
    key: str,
    changes: dict | None,
    in_reply_to: str | None,
    now: datetime,
    settings: Settings,
) -> bool:
    """Insert the alert unless its key exists; True when this call created it."""
    payload = {
        "kind": kind,
        "topic": hit.topic.name,
        "topic_description": hit.topic.description,
        "story_key": skey,
        "headline": row.headline,
        "score": hit.match.score,
        "evidence": [e.as_dict() for e in hit.evidence],
        "items": [outbox.article_item(row)],
        "changes": changes,
        "in_reply_to": in_reply_to,
    }
    created = conn.execute(
        insert_ignore(
            conn,
            alerts,
            {
                "alert_key": key,
                "topic_name": hit.topic.name,
                "story_id": row.story_id,
                "story_key": skey,
                "kind": kind,
                "status": "pending",
                "recipients": list(hit.topic.recipients),
                "subject": outbox.subject(
                    kind, hit.topic.name, row.headline, settings.alert_subject_max_chars
                ),
                "message_id": outbox.message_id(key, settings.mail_from),
                "payload": payload,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            },
            ["alert_key"],
        )
    )
    return created.rowcount == 1


def _add_item(
    conn: Connection, alert: Any, row: Any, hit: _Hit, settings: Settings, replace_evidence: bool = False
) -> None:
    """Add (or refresh) this article on an unsent alert; a no-op once a sender has claimed it.

    With ``replace_evidence`` (a newer version of an article arrived before the alert was sent)
    the alert shows the newer headline and passages instead, so one e-mail carries the latest.
    """
    payload = dict(alert.payload)
    items = [i for i in payload.get("items", []) if i.get("article_id") != row.article_id]
    items.append(outbox.article_item(row))
    payload["items"] = items
    values: dict[str, Any] = {"payload": payload}
    if replace_evidence:
        payload["evidence"] = [e.as_dict() for e in hit.evidence]
        payload["headline"] = row.headline
        payload["score"] = hit.match.score
        values["subject"] = outbox.subject(
            alert.kind, hit.topic.name, row.headline, settings.alert_subject_max_chars
        )
    conn.execute(
        update(alerts).where(and_(alerts.c.id == alert.id, alerts.c.status == "pending")).values(**values)
    )
