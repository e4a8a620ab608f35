"""Outbox vocabulary: alert keys, Message-IDs, subjects and payload pieces.

Keys are deterministic functions of (topic, story, what changed), so a rerun, a retried task or a
concurrent run computes the same key and the unique index turns the second insert into a no-op.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newswatch.store.values import utc
from newswatch.topics.matcher import Evidence
from newswatch.topics.text import passage_key

_SPACES = re.compile(r"\s+")
SUBJECT_PREFIX = "[newswatch]"


def _topic_tag(topic_name: str) -> str:
    return hashlib.sha256(topic_name.encode("utf-8")).hexdigest()[:16]


def alert_key(kind: str, topic_name: str, skey: str, suffix: str = "") -> str:
    """``new:s42:<topic>`` or ``updated:s42:<topic>:<evidence hash>`` (short, unique per event)."""
    return ":".join(part for part in (kind, skey, _topic_tag(topic_name), suffix) if part)


def message_id(key: str, mail_from: str) -> str:
    """A Message-ID derived from the alert key: the same alert is always the same message."""
    domain = mail_from.rpartition("@")[2].strip(" >") or "newswatch.localhost"
    domain = re.sub(r"[^A-Za-z0-9.-]", "", domain) or "newswatch.localhost"
    return f"<{hashlib.sha256(key.encode('utf-8')).hexdigest()[:40]}@{domain}>"


def new_row(
    *,
    key: str,
    kind: str,
    topic_name: str,
    recipients: Sequence[str],
    subject: str,
    payload: dict[str, Any],
    mail_from: str,
    now: datetime,
    story_id: int | None = None,
    story_key: str | None = None,
) -> dict[str, Any]:
    """The one shape of a new outbox row (topic alert, digest or operator notice): pending, due
    at ``now``, with the Message-ID its key implies, so the sender treats every kind alike."""
    return {
        "alert_key": key,
        "topic_name": topic_name,
        "story_id": story_id,
        "story_key": story_key,
        "kind": kind,
        "status": "pending",
        "recipients": list(recipients),
        "subject": subject,
        "message_id": message_id(key, mail_from),
        "payload": payload,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def one_line(text: str | None, limit: int) -> str:
    """Text safe for a header: control/format characters and line breaks become spaces."""
    cleaned = "".join(" " if unicodedata.category(ch)[0] in ("C", "Z") else ch for ch in text or "")
    cleaned = _SPACES.sub(" ", cleaned).strip()
    return cleaned if len(cleaned) <= limit else cleaned[: max(limit - 1, 0)].rstrip() + "…"


def subject(kind: str, topic_name: str, headline: str | None, limit: int) -> str:
    label = {"updated": "UPDATED: ", "digest": ""}.get(kind, "")
    return one_line(f"{SUBJECT_PREFIX} {label}{topic_name}: {headline or '(no headline)'}", limit)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC; SQLite returns the stored UTC times without a zone."""
    aware = utc(value)
    return aware.isoformat() if aware is not None else None


def article_item(row: Any) -> dict[str, Any]:
    """What an e-mail shows about one outlet's copy of the story."""
    return {
        "article_id": int(row.article_id),
        "version_id": int(row.version_id),
        "version_no": int(row.version_no),
        "outlet": row.outlet,
        "source": getattr(row, "source_name", None),
        "url": row.url or row.canonical_url,
        "headline": row.headline,
        "published_at": iso(row.published_at),
        "updated_at": iso(row.updated_at),
        "language": row.language,
    }


def evidence_changes(
    before: list[Evidence], after: list[Evidence], limit: int
) -> dict[str, list[dict[str, Any]]]:
    """Matched passages added and removed between two versions (compared by their folded words),
    at most ``limit`` of each."""
    old = {passage_key(e.text) for e in before}
    new = {passage_key(e.text) for e in after}
    return {
        "added": [e.as_dict() for e in after if passage_key(e.text) not in old][:limit],
        "removed": [e.as_dict() for e in before if passage_key(e.text) not in new][:limit],
    }
