"""The ``topics`` table: the configured topics mirrored for analysts' views, and the query text
each was last backfilled with (the backfill's compare-and-set claim)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, or_, select, update

from newswatch.store.dialect import insert_ignore
from newswatch.store.schema import topics


def stored(conn: Connection) -> dict[str, tuple[str, Any]]:
    """Every stored topic: name → (query text, config)."""
    return {
        r.name: (r.query, r.config)
        for r in conn.execute(select(topics.c.name, topics.c.query, topics.c.config))
    }


def save(conn: Connection, name: str, query: str, config: Any, now: datetime, *, exists: bool) -> None:
    """Write a topic's query and config: update the stored row, or insert it (once) when new."""
    if exists:
        conn.execute(
            update(topics).where(topics.c.name == name).values(query=query, config=config, updated_at=now)
        )
        return
    row = {"name": name, "query": query, "config": config, "updated_at": now}
    conn.execute(insert_ignore(conn, topics, row, ["name"]))


def backfilled_queries(conn: Connection) -> dict[str, str | None]:
    """Every stored topic: name → the query text it was last backfilled with (None: never)."""
    return {name: query for name, query in conn.execute(select(topics.c.name, topics.c.backfilled_query))}


def claim_backfill(conn: Connection, name: str, query: str) -> bool:
    """Record that ``name`` is backfilled with ``query``, unless it already was; True when claimed."""
    stale = or_(topics.c.backfilled_query.is_(None), topics.c.backfilled_query != query)
    claimed = conn.execute(
        update(topics).where(and_(topics.c.name == name, stale)).values(backfilled_query=query)
    )
    return claimed.rowcount == 1
