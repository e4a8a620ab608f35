"""The one time-range reader: durations before now, ISO dates and datetimes, clear refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from newswatch.errors import NewswatchError
from newswatch.timerange import TimeRangeError, parse_duration, parse_time

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("12h", timedelta(hours=12)),
        ("7d", timedelta(days=7)),
        ("2w", timedelta(weeks=2)),
        (" 3 D ", timedelta(days=3)),
        ("0h", timedelta(0)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected
    assert parse_time(text, now=NOW) == NOW - expected


def test_iso_dates_and_datetimes_come_back_in_utc() -> None:
    assert parse_time("2026-11-01", now=NOW) == datetime(2026, 11, 1, tzinfo=UTC)
    assert parse_time("2026-11-01T08:30", now=NOW) == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    shifted = parse_time("2026-11-01T08:30+02:00", now=NOW)
    assert shifted == datetime(2026, 11, 1, 6, 30, tzinfo=UTC) and shifted.tzinfo == UTC


@pytest.mark.parametrize(
    "text", ["forever", "", "2 weeks", "7y", "-3d", "1.5h", "d7", "9" * 40, "\x00", "2026-13-01"]
)
def test_anything_else_is_a_bad_time_range(text: str) -> None:
    with pytest.raises(TimeRangeError) as caught:
        parse_time(text, now=NOW)
    assert caught.value.kind == "bad_time_range" and repr(text) in str(caught.value)
    assert isinstance(caught.value, NewswatchError) and isinstance(caught.value, ValueError)


@pytest.mark.parametrize("text", ["999999999999d", "9999999999w", "99999999999m"])
def test_durations_out_of_range_are_refused_not_crashes(text: str) -> None:
    with pytest.raises(TimeRangeError):
        parse_time(text, now=NOW)


def test_a_duration_is_not_a_date() -> None:
    with pytest.raises(TimeRangeError):
        parse_duration("2026-11-01")
