"""Dates as feeds and sitemaps write them (RFC 822, W3C/ISO 8601), always returned in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

_MAX_DATE_CHARS = 64  # a date longer than this is not a date; don't hand it to a parser


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_listing_date(text: str | None) -> datetime | None:
    """Parse a feed/sitemap date; None when absent or unreadable (never raises)."""
    if not text:
        return None
    text = text.strip()
    if not text or len(text) > _MAX_DATE_CHARS:
        return None
    try:
        return _utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return _utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return _utc(dateutil_parser.parse(text))
    except (ValueError, OverflowError, TypeError):
        return None
