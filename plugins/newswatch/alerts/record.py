"""Record one match and apply what it means for the outbox (shared by the matching run and the
backfill of new or changed topics).

One alert per (topic, story): the first matching article of a story creates it; wire copies of
the same story add their outlet to it while it is unsent; a later version re-alerts (UPDATED)
only when the matched passages changed, or as the topic's ``realert`` policy says. Digest topics
only record matches; :mod:`newswatch.alerts.digest` mails them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from newswatch.alerts import outbox
from newswatch.models import story_key
from newswatch.settings import Settings
from newswatch.store import matches
from newswatch.store import outbox as outbox_table
from newswatch.topics.config import Topic
from newswatch.topics.index import TopicIndex
from newswatch.topics.matcher import Doc, Evidence, Match


@dataclass(frozen=True)
class Hit:
    topic: Topic
    match: Match
    evidence: list[Evidence]  # what is stored and shown (capped)


def accept(topic: Topic, found: Match | None, row: Any, settings: Settings) -> Hit | None:
    """A match that passes the topic's language and score filters, with its evidence capped."""
    if found is None or not topic.accepts(found, row.language):
        return None
    return Hit(topic, found, list(found.evidence[: settings.alert_stored_evidence]))


def hits_for(index: TopicIndex[Topic], row: Any, settings: Settings) -> list[Hit]:
    """Every topic of ``index`` that ``row`` (a version with its article) satisfies."""
    found = (accept(topic, m, row, settings) for topic, m in index.match(Doc.of_row(row)))
    return [hit for hit in found if hit is not None]


def record(conn: Connection, row: Any, hit: Hit, now: datetime, settings: Settings) -> str:
    """Store the match and decide (and apply) what it means for the outbox; return that decision."""
    topic, fingerprint = hit.topic, hit.match.fingerprint()
    previous = matches.previous_match(conn, topic.name, row.article_id, row.version_id)
    changed = previous is None or previous.evidence_hash != fingerprint
    if topic.delivery != "immediate":
        disposition = "digest" if changed or topic.realert == "always" else "unchanged"
    else:
        disposition = _immediate(conn, row, hit, previous, fingerprint, now, settings)
    matches.insert_match(
        conn,
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
    )
    return disposition


def _immediate(
    conn: Connection,
    row: Any,
    hit: Hit,
    previous: Any | None,
    fingerprint: str,
    now: datetime,
    settings: Settings,
) -> str:
    topic = hit.topic
    skey = story_key(row.story_id, row.article_id)
    existing = outbox_table.story_alerts(conn, topic.name, skey)
    if not existing:
        if _enqueue(
            conn, "new", row, hit, skey, outbox.alert_key("new", topic.name, skey), None, None, now, settings
        ):
            return "new"
        existing = outbox_table.story_alerts(conn, topic.name, skey)  # a concurrent run created it just now
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
    changes = outbox.evidence_changes(before, hit.evidence, settings.alert_max_evidence)
    suffix = fingerprint[:16] if topic.realert != "always" else f"v{row.version_id}"
    key = outbox.alert_key("updated", topic.name, skey, suffix)
    _enqueue(conn, "updated", row, hit, skey, key, changes, existing[0].message_id, now, settings)
    return "updated"


def _enqueue(
    conn: Connection,
    kind: str,
    row: Any,
    hit: Hit,
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
        "evidence": [e.as_dict() for e in hit.evidence[: settings.alert_max_evidence]],
        "items": [outbox.article_item(row)],
        "lead_article_id": int(row.article_id),
        "changes": changes,
        "in_reply_to": in_reply_to,
    }
    row_values = outbox.new_row(
        key=key,
        kind=kind,
        topic_name=hit.topic.name,
        recipients=hit.topic.recipients,
        subject=outbox.subject(kind, hit.topic.name, row.headline, settings.alert_subject_max_chars),
        payload=payload,
        mail_from=settings.mail_from,
        now=now,
        story_id=row.story_id,
        story_key=skey,
    )
    return outbox_table.insert_if_absent(conn, row_values)


def _published_earlier(item: dict[str, Any], lead: dict[str, Any]) -> bool:
    """Whether ``item`` was published before ``lead`` (unknown dates count as latest)."""
    mine, theirs = item.get("published_at"), lead.get("published_at")
    if mine is None:
        return False
    if theirs is None:
        return True
    return (datetime.fromisoformat(mine), item["article_id"]) < (
        datetime.fromisoformat(theirs),
        lead["article_id"],
    )


def _add_item(
    conn: Connection, alert: Any, row: Any, hit: Hit, settings: Settings, replace_evidence: bool = False
) -> None:
    """Add (or refresh) this article on an unsent alert; a no-op once a sender has claimed it.

    With ``replace_evidence`` (a newer version of an article arrived before the alert was sent)
    the alert shows the newer headline and passages instead, so one e-mail carries the latest.
    An earlier-published copy of the story takes over the headline and passages too, so the
    subject names the original whichever outlet happened to be stored first.
    """
    payload = dict(alert.payload)
    items = [i for i in payload.get("items", []) if i.get("article_id") != row.article_id]
    item = outbox.article_item(row)
    items.append(item)
    payload["items"] = items
    values: dict[str, Any] = {"payload": payload}
    lead = next((i for i in items if i.get("article_id") == payload.get("lead_article_id")), None)
    if replace_evidence or (lead is not None and _published_earlier(item, lead)):
        # A newer version of an article, or an earlier-published copy of the story (the original,
        # as a rule): the e-mail is headed by it, whatever order the outlets were fetched in.
        payload["evidence"] = [e.as_dict() for e in hit.evidence[: settings.alert_max_evidence]]
        payload["headline"] = row.headline
        payload["score"] = hit.match.score
        payload["lead_article_id"] = int(row.article_id)
        values["subject"] = outbox.subject(
            alert.kind, hit.topic.name, row.headline, settings.alert_subject_max_chars
        )
    outbox_table.update_pending(conn, alert.id, values)
