"""Per-URL memory: conditional-GET validators, last body hash, and what discovery last acted on.

Discovery asks it which listed URLs are new or changed; the fetcher's caller stores validators
here so the next cycle can send If-None-Match / If-Modified-Since and skip unchanged pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select

from newswatch.models import FetchResult, Validators
from newswatch.store import dialect, transactions
from newswatch.store.schema import url_state

_LOOKUP_BATCH = 500  # URLs per IN (...) query: well under every driver's parameter limit


@dataclass(frozen=True)
class UrlState:
    url: str
    source_name: str | None
    first_seen_at: datetime
    last_fetched_at: datetime | None
    listing_marker: str | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    last_status: int | None
    failed_attempts: int = 0
    last_error_kind: str | None = None


def _state(row: object) -> UrlState:
    m = row._mapping  # type: ignore[attr-defined]
    return UrlState(
        url=m["url"],
        source_name=m["source_name"],
        first_seen_at=m["first_seen_at"],
        last_fetched_at=m["last_fetched_at"],
        listing_marker=m["listing_marker"],
        etag=m["etag"],
        last_modified=m["last_modified"],
        body_hash=m["body_hash"],
        last_status=m["last_status"],
        failed_attempts=int(m["failed_attempts"] or 0),
        last_error_kind=m["last_error_kind"],
    )


class UrlStateStore:
    """Reads and upserts ``url_state`` rows; every write is one short transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, url: str) -> UrlState | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(url_state).where(url_state.c.url == url)).first()
        return _state(row) if row is not None else None

    def get_many(self, urls: Iterable[str]) -> dict[str, UrlState]:
        """States of the given URLs that have one, keyed by URL."""
        wanted = list(dict.fromkeys(urls))
        found: dict[str, UrlState] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), _LOOKUP_BATCH):
                batch = wanted[start : start + _LOOKUP_BATCH]
                for row in conn.execute(select(url_state).where(url_state.c.url.in_(batch))):
                    state = _state(row)
                    found[state.url] = state
        return found

    def validators(self, url: str) -> Validators | None:
        """What to send for a conditional GET of ``url``, or None when nothing is known."""
        state = self.get(url)
        if state is None or not (state.etag or state.last_modified):
            return None
        return Validators(etag=state.etag, last_modified=state.last_modified)

    def unchanged(self, result: FetchResult) -> bool:
        """True when ``result`` is a 304 or repeats the body last recorded for its URL."""
        if result.not_modified:
            return True
        state = self.get(result.url)
        return bool(result.ok and state is not None and state.body_hash == result.body_hash)

    def _upsert(self, values: dict[str, object], update: Iterable[str]) -> None:
        row = {"first_seen_at": datetime.now(UTC), **values}
        with self.engine.begin() as conn:
            conn.execute(dialect.upsert(conn, url_state, row, ["url"], list(update)))

    def remember_listing(self, url: str, source: str | None, marker: str | None) -> None:
        """Record that ``url`` was acted on as listed with ``marker`` (entry date, lastmod, GUID)."""
        self._upsert({"url": url, "source_name": source, "listing_marker": marker}, ["listing_marker"])

    def record_fetch_result(self, result: FetchResult, source_name: str | None) -> None:
        """Keep the validators and body hash of a fetch; failures keep the previous validators."""
        values: dict[str, object] = {
            "url": result.url,
            "source_name": source_name,
            "last_fetched_at": datetime.now(UTC),
            "last_status": result.status,
        }
        if result.ok:
            values.update(failed_attempts=0, last_error_kind=None)
        if result.ok and not result.not_modified:
            values.update(etag=result.etag, last_modified=result.last_modified, body_hash=result.body_hash)
        elif result.not_modified:
            fresh = {"etag": result.etag, "last_modified": result.last_modified}
            values.update({k: v for k, v in fresh.items() if v})
        self._upsert(values, [k for k in values if k not in ("url", "source_name")])

    def note_failure(self, url: str, source: str | None, kind: str) -> int:
        """Count one more failed try of ``url`` (in a row); return how many there are now."""

        def work(conn: Connection) -> int:
            known = conn.execute(select(url_state.c.failed_attempts).where(url_state.c.url == url)).scalar()
            attempts = int(known or 0) + 1
            row = {
                "url": url,
                "source_name": source,
                "first_seen_at": datetime.now(UTC),
                "failed_attempts": attempts,
                "last_error_kind": kind[:40],
            }
            kept = ["failed_attempts", "last_error_kind"]
            conn.execute(dialect.upsert(conn, url_state, row, ["url"], kept))
            return attempts

        return transactions.write(self.engine, work, attempts=3)
