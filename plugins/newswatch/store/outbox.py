"""The alerts outbox table: insert-if-absent, claim, state changes, requeue and listing.

Plain statements over a caller's connection (the caller owns the transaction, so a match and its
alert commit together). Which state follows which, and when, is decided in ``newswatch.alerts``;
here every change is a compare-and-set on the row's current state, identical on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, or_, select, update

from newswatch.store.dialect import insert_ignore
from newswatch.store.schema import alerts


def insert_if_absent(conn: Connection, row: Mapping[str, Any]) -> bool:
    """Insert the alert unless its ``alert_key`` exists; True when this call created it.

    The Message-ID is unique too and derived from the key, so a clash on either index means the
    same alert was queued already (by a concurrent run, possibly still uncommitted)."""
    return conn.execute(insert_ignore(conn, alerts, row, None)).rowcount == 1


def story_alerts(conn: Connection, topic_name: str, story_key: str) -> list[Row]:
    """Alerts of one topic about one story, oldest first (id, status, payload, message_id, kind)."""
    query = (
        select(alerts.c.id, alerts.c.status, alerts.c.payload, alerts.c.message_id, alerts.c.kind)
        .where(alerts.c.topic_name == topic_name, alerts.c.story_key == story_key)
        .order_by(alerts.c.id)
    )
    return list(conn.execute(query))


def update_pending(conn: Connection, alert_id: int, values: Mapping[str, Any]) -> bool:
    """Change an alert no sender has claimed yet; False once it left ``pending``."""
    stmt = update(alerts).where(and_(alerts.c.id == alert_id, alerts.c.status == "pending")).values(**values)
    return conn.execute(stmt).rowcount == 1


def release_claims_before(conn: Connection, cutoff: datetime) -> int:
    """Return ``claimed`` rows claimed before ``cutoff`` to ``pending``; how many."""
    stmt = (
        update(alerts)
        .where(and_(alerts.c.status == "claimed", alerts.c.claimed_at < cutoff))
        .values(status="pending", claimed_by=None, claimed_at=None)
    )
    return int(conn.execute(stmt).rowcount)


def mark_sending_unknown_before(conn: Connection, cutoff: datetime, note: str) -> int:
    """Flag ``sending`` rows claimed before ``cutoff`` as ``unknown`` with ``note``; how many."""
    stmt = (
        update(alerts)
        .where(and_(alerts.c.status == "sending", alerts.c.claimed_at < cutoff))
        .values(status="unknown", last_error=note)
    )
    return int(conn.execute(stmt).rowcount)


def due_ids(conn: Connection, now: datetime, limit: int) -> list[int]:
    """Ids of ``pending`` alerts whose next attempt is due at ``now``, oldest first."""
    due = and_(
        alerts.c.status == "pending", or_(alerts.c.next_attempt_at.is_(None), alerts.c.next_attempt_at <= now)
    )
    ids = conn.execute(select(alerts.c.id).where(due).order_by(alerts.c.id).limit(limit)).scalars()
    return [int(i) for i in ids]


def claim(conn: Connection, alert_id: int, worker_id: str, now: datetime) -> Row | None:
    """Take a ``pending`` alert for ``worker_id``; the whole row, or None when another sender won."""
    won = conn.execute(
        update(alerts)
        .where(and_(alerts.c.id == alert_id, alerts.c.status == "pending"))
        .values(status="claimed", claimed_by=worker_id, claimed_at=now)
    ).rowcount
    return conn.execute(select(alerts).where(alerts.c.id == alert_id)).first() if won == 1 else None


def transition(
    conn: Connection, alert_id: int, worker_id: str, from_status: str, values: Mapping[str, Any]
) -> bool:
    """Apply ``values`` if the alert is still in ``from_status`` and owned by ``worker_id``."""
    stmt = (
        update(alerts)
        .where(
            and_(alerts.c.id == alert_id, alerts.c.status == from_status, alerts.c.claimed_by == worker_id)
        )
        .values(**values)
    )
    return conn.execute(stmt).rowcount == 1


def requeue(conn: Connection, ids: Sequence[int], from_statuses: Sequence[str]) -> int:
    """Put the given alerts that are in one of ``from_statuses`` back to ``pending``; how many."""
    stmt = (
        update(alerts)
        .where(and_(alerts.c.id.in_(list(ids)), alerts.c.status.in_(list(from_statuses))))
        .values(status="pending", next_attempt_at=None, claimed_by=None, claimed_at=None)
    )
    return int(conn.execute(stmt).rowcount)


def newest(conn: Connection, *, status: str | None, limit: int) -> list[Row]:
    """The newest ``limit`` alerts (all columns), optionally only those in ``status``."""
    query = select(alerts).order_by(alerts.c.id.desc()).limit(limit)
    if status:
        query = query.where(alerts.c.status == status)
    return list(conn.execute(query))
