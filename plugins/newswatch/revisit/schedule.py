"""When to check a known article again: intervals that grow with its age and shrink after a change.

The practice of NewsDiffs and diffengine: a story changes most in its first hours, so it is
checked every cycle at first, then hourly, then every few hours, then daily, then never. A change
found on a check resets the clock — a story being updated is checked as often as a fresh one —
but never past the schedule's horizon from first sight. Articles that matched a watched topic
follow a tighter schedule too (the faster of the two wins): their updates are the ones alerts
are about.

A schedule is written ``"3h=0, 1d=1h, 3d=4h, 7d=1d"``: while the article is younger than 3 hours,
check every cycle (``0``); younger than a day, hourly; and so on; past the last bound, never.
``off`` is the empty schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from newswatch.errors import NewswatchError
from newswatch.timerange import TimeRangeError, parse_duration

EVERY_CYCLE = timedelta(0)


class ScheduleError(NewswatchError, ValueError):
    """A revisit schedule that cannot be read; the message shows the expected form."""

    kind = "bad_config"


@dataclass(frozen=True)
class Step:
    """While an article is younger than ``until``, check it every ``every`` (0: every cycle)."""

    until: timedelta
    every: timedelta


@dataclass(frozen=True)
class RevisitSchedule:
    steps: tuple[Step, ...] = ()

    @property
    def horizon(self) -> timedelta:
        """Age past which the schedule checks nothing."""
        return self.steps[-1].until if self.steps else timedelta(0)

    def interval(self, age: timedelta) -> timedelta | None:
        """The interval for an article of this age, or None when it is past the horizon."""
        for step in self.steps:
            if age < step.until:
                return step.every
        return None

    @classmethod
    def parse(cls, text: str) -> RevisitSchedule:
        """Read ``"3h=0, 1d=1h, 7d=1d"`` (bounds increasing) or ``off``."""
        spec = str(text).strip().lower()
        if spec in ("off", "never", "none", ""):
            return cls()
        steps: list[Step] = []
        for part in spec.split(","):
            bound, sep, every = part.partition("=")
            if not sep:
                raise ScheduleError(f"revisit step {part.strip()!r}: write AGE=INTERVAL, e.g. '3h=0, 1d=1h'")
            try:
                until = parse_duration(bound.strip())
                interval = EVERY_CYCLE if every.strip() in ("0", "cycle") else parse_duration(every.strip())
            except TimeRangeError as exc:
                raise ScheduleError(f"revisit step {part.strip()!r}: {exc}") from None
            if steps and until <= steps[-1].until:
                raise ScheduleError(f"revisit step {part.strip()!r}: ages must increase")
            steps.append(Step(until, interval))
        return cls(tuple(steps))


@dataclass(frozen=True)
class RevisitPolicy:
    """The schedule for every article of a source, and the tighter one for watched articles."""

    schedule: RevisitSchedule
    watched: RevisitSchedule

    @property
    def enabled(self) -> bool:
        return bool(self.schedule.steps or self.watched.steps)

    def next_check(
        self,
        *,
        first_seen: datetime,
        last_changed: datetime | None,
        checked_at: datetime,
        watched: bool,
    ) -> datetime | None:
        """When the article is due again after a check at ``checked_at``; None: never again."""
        since_first = checked_at - first_seen
        since_change = checked_at - max(first_seen, last_changed or first_seen)
        intervals = []
        if since_first < self.schedule.horizon:
            intervals.append(self.schedule.interval(since_change))
        if watched:
            intervals.append(self.watched.interval(since_first))
        found = [i for i in intervals if i is not None]
        return checked_at + min(found) if found else None
