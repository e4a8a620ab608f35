"""Revisit schedules: parsed from text, growing with age, reset by a change, tighter when watched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from newswatch.revisit.schedule import RevisitPolicy, RevisitSchedule, ScheduleError

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
H = timedelta(hours=1)
NEWS = RevisitSchedule.parse("3h=0, 1d=1h, 3d=4h, 7d=1d")
WATCHED = RevisitSchedule.parse("1d=0")
POLICY = RevisitPolicy(NEWS, WATCHED)


def test_parse_reads_steps_and_off() -> None:
    assert [(s.until, s.every) for s in NEWS.steps][:2] == [(3 * H, timedelta(0)), (24 * H, H)]
    assert NEWS.horizon == timedelta(days=7)
    assert RevisitSchedule.parse("off").steps == ()


@pytest.mark.parametrize("bad", ["3h", "3h=soon", "1d=1h, 3h=0", "x=1h"])
def test_parse_refuses_what_it_cannot_read(bad: str) -> None:
    with pytest.raises(ScheduleError):
        RevisitSchedule.parse(bad)


@pytest.mark.parametrize(
    ("age", "every"),
    [
        (timedelta(0), timedelta(0)),
        (2 * H, timedelta(0)),
        (5 * H, H),
        (30 * H, 4 * H),
        (4 * 24 * H, 24 * H),
        (8 * 24 * H, None),
    ],
)
def test_intervals_grow_with_age_and_end_at_the_horizon(age: timedelta, every: timedelta | None) -> None:
    assert NEWS.interval(age) == every


def test_next_check_grows_with_age() -> None:
    def due(age: timedelta) -> timedelta | None:
        at = POLICY.next_check(first_seen=T0, last_changed=None, checked_at=T0 + age, watched=False)
        return None if at is None else at - (T0 + age)

    assert due(H) == timedelta(0)
    assert due(10 * H) == H
    assert due(50 * H) == 4 * H
    assert due(8 * 24 * H) is None


def test_a_change_resets_the_clock_but_not_past_the_horizon() -> None:
    checked = T0 + 30 * H
    fresh = POLICY.next_check(first_seen=T0, last_changed=checked - H, checked_at=checked, watched=False)
    assert fresh == checked  # changed an hour ago: every cycle again
    late = T0 + 7 * 24 * H + H
    assert POLICY.next_check(first_seen=T0, last_changed=late - H, checked_at=late, watched=False) is None


def test_watched_articles_follow_the_tighter_schedule() -> None:
    checked = T0 + 10 * H
    assert POLICY.next_check(first_seen=T0, last_changed=None, checked_at=checked, watched=True) == checked
    assert (
        POLICY.next_check(first_seen=T0, last_changed=None, checked_at=checked, watched=False) == checked + H
    )
    off = RevisitPolicy(RevisitSchedule(), RevisitSchedule())
    assert not off.enabled
    assert off.next_check(first_seen=T0, last_changed=None, checked_at=checked, watched=True) is None
