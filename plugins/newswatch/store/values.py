"""Values as the databases keep them: UTC datetimes, text without NUL, URLs that fit their keys.

SQLite returns naive datetimes and PostgreSQL aware ones; PostgreSQL refuses NUL in text; the URL
key columns hold 2048 characters. Every store module converts through these, so the two
databases read and write the same values.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from newswatch.store.schema import articles

URL_KEY_LENGTH = int(articles.c.canonical_url.type.length or 2048)  # the key columns' width
MAX_ID = 2**63 - 1  # ids are 64-bit integers on both databases
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def utc(value: datetime | None) -> datetime | None:
    """Aware UTC datetime; naive values are taken as UTC (SQLite returns them naive)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def aware(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row as a dict with every datetime made UTC-aware, whichever database it came from."""
    return {k: utc(v) if isinstance(v, datetime) else v for k, v in row.items()}


def storable(text: str) -> str:
    """Text every database accepts: no NUL or other control characters, no lone surrogates.

    PostgreSQL refuses NUL in text and the drivers refuse unpaired surrogates (left by lenient
    decoding of hostile pages); either would otherwise fail the whole write.
    """
    text = text.encode("utf-8", "replace").decode("utf-8") if _SURROGATE.search(text) else text
    return _CONTROL.sub("", text)


def fit_url(url: str) -> str:
    """A URL that fits the 2048-character key columns: over-long ones keep a prefix and a digest."""
    if len(url) <= URL_KEY_LENGTH:
        return url
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{url[: URL_KEY_LENGTH - len(digest) - 1]}#{digest}"


def json_safe(value: Any) -> Any:
    """A value JSON columns accept: datetimes as ISO strings, mappings and sequences recursively."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [json_safe(v) for v in value]
    return value
