"""The one reading of a point in time typed by a person: ``30m``, ``12h``, ``7d``, ``2w`` ago, or
an ISO date or datetime. The CLI's ``--since``/``--until`` and the DAGs' params all go through
here, so every place accepts the same forms and refuses the same way.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from newswatch.errors import NewswatchError

_DURATION = re.compile(r"\s*(\d+)\s*([mhdw])\s*", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
FORMS = "a number and a unit (30m, 12h, 7d, 2w) or an ISO date (2026-11-01, 2026-11-01T08:00)"


class TimeRangeError(NewswatchError, ValueError):
    """Text that is neither a duration nor an ISO date/datetime (or is out of range)."""

    kind = "bad_time_range"


def parse_duration(text: str) -> timedelta:
    """``30m``, ``12h``, ``7d``, ``2w`` (any case, spaces allowed) → a timedelta."""
    found = _DURATION.fullmatch(text) if isinstance(text, str) else None
    if found is None:
        raise TimeRangeError(f"{text!r} is not a duration: use {FORMS}")
    try:
        return timedelta(**{_UNITS[found.group(2).lower()]: int(found.group(1))})
    except OverflowError:
        raise TimeRangeError(f"{text!r} is too long a duration") from None


def parse_time(text: str, *, now: datetime | None = None) -> datetime:
    """A duration before ``now``, or an ISO date/datetime; always aware, in UTC (naive means UTC)."""
    now = now or datetime.now(UTC)
    if isinstance(text, str) and _DURATION.fullmatch(text):
        try:
            return now - parse_duration(text)
        except OverflowError:
            raise TimeRangeError(f"{text!r} reaches before the year 1") from None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except (AttributeError, ValueError):
        raise TimeRangeError(f"cannot read {text!r} as a time: use {FORMS}") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
