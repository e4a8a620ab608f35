"""The few database spellings the alert code needs that differ between SQLite and PostgreSQL.

(The storage area keeps the general versions in ``newswatch.store.dialect``; these are the
minimum the outbox needs, kept here so the outbox does not depend on that module's schedule.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignore(
    conn: Connection,
    table: Table,
    rows: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    conflict: Sequence[str],
) -> Any:
    """``INSERT … ON CONFLICT (conflict) DO NOTHING``: the idempotent insert."""
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    return dialect.insert(table).values(rows).on_conflict_do_nothing(index_elements=list(conflict))


def begin_write(conn: Connection) -> None:
    """Take SQLite's write lock up front, so a concurrent writer means a wait, not "locked"."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def as_utc(value: datetime | None) -> datetime | None:
    """Timezone-aware UTC; SQLite hands timestamps back naive (they are stored as UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
