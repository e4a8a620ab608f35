"""Read one date string (structured data, attributes, URLs) into a timezone-aware datetime.

The stdlib's ``fromisoformat`` handles most machine dates fast; python-dateutil handles the rest.
A date without a zone is taken as UTC but keeps the calendar day written on the page. A value that
names no day ("2019", "May 2019": a release year, an issue month) is not a date of the page: filling
in the 1st would invent a day, so it is not read at all.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta

from dateutil import parser as du_parser

_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?")
_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
# Two fillers for what a value leaves out: a part that differs between the two readings was not written.
_SENTINELS = (datetime(1, 1, 1), datetime(2, 2, 2))


def as_aware(value: datetime) -> datetime:
    """Attach UTC to a naive datetime without moving its wall-clock time."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def make_date(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime | None:
    """A UTC datetime from parts, or None when the parts are not a real date."""
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


def parse_date(value: str) -> datetime | None:
    """Parse a machine-ish date string; None if it is not one."""
    text = value.strip()
    if not text or len(text) > 80:
        return None
    if _EPOCH.match(text):
        seconds = int(text[:10])
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    try:
        return as_aware(datetime.fromisoformat(text.replace(" ", "T", 1) if text[4:5] == "-" else text))
    except ValueError:
        pass
    compact = _COMPACT.match(text)
    if compact and len(text) in (8, 12, 13, 14, 15):
        hour, minute = int(compact.group(4) or 0), int(compact.group(5) or 0)
        return make_date(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)), hour, minute)
    return _parse_loose(text)


def _parse_loose(text: str) -> datetime | None:
    ymd = _YMD.search(text)
    if ymd and not re.search(r"\d{1,2}:\d{2}", text):
        return make_date(int(ymd.group(1)), int(ymd.group(2)), int(ymd.group(3)))
    try:
        with warnings.catch_warnings():
            # Unknown zone names ("CEST") leave the time naive, which as_aware() handles.
            warnings.simplefilter("ignore", du_parser.UnknownTimezoneWarning)
            # Machine fields written day-first (01-11-2023) are far more common than month-first.
            parsed = du_parser.parse(text, default=_SENTINELS[0], dayfirst=True)
            # Only a part equal to the first filler may be the filler: read again with the second.
            if 1 in (parsed.year, parsed.month, parsed.day):
                other = du_parser.parse(text, default=_SENTINELS[1], dayfirst=True)
                if parsed.date() != other.date():  # no year, month or day of its own
                    return None
    except (ValueError, OverflowError, TypeError, du_parser.ParserError):
        return None
    try:
        parsed.utcoffset()
    except ValueError:  # "+99:00" parses into an offset datetime refuses; it would raise later
        return None
    return as_aware(parsed)
