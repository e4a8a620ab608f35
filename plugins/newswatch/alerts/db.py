"""Time handling for rows the alert code reads back (dialect spellings live in store.dialect)."""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(value: datetime | None) -> datetime | None:
    """Timezone-aware UTC; SQLite hands timestamps back naive (they are stored as UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
