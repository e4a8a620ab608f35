"""Dates as feeds and sitemaps write them, read into UTC; anything else is None, never an error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from newswatch.sources.listing_dates import parse_listing_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05T10:20:30Z", datetime(2024, 3, 5, 10, 20, 30, tzinfo=UTC)),  # W3C / sitemap
        ("2024-03-05T12:20:30+02:00", datetime(2024, 3, 5, 10, 20, 30, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 10:20:30 GMT", datetime(2024, 3, 5, 10, 20, 30, tzinfo=UTC)),  # RFC 822
        ("Tue, 05 Mar 2024 05:20:30 -0500", datetime(2024, 3, 5, 10, 20, 30, tzinfo=UTC)),
        ("2024-03-05", datetime(2024, 3, 5, tzinfo=UTC)),  # a date alone is taken as UTC midnight
        ("  March 5, 2024 10:20 UTC ", datetime(2024, 3, 5, 10, 20, tzinfo=UTC)),  # free text
    ],
)
def test_listing_date_formats_come_out_in_utc(text: str, expected: datetime) -> None:
    parsed = parse_listing_date(text)
    assert parsed == expected and parsed is not None and parsed.utcoffset() is not None
    assert parsed.tzinfo == UTC


@pytest.mark.parametrize("text", [None, "", "   ", "not a date", "2024-13-45", "9" * 40, "x" * 65])
def test_missing_or_unreadable_dates_are_none(text: str | None) -> None:
    assert parse_listing_date(text) is None
