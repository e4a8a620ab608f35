"""Per-URL memory: conditional-GET validators, last body hash, and what discovery last acted on.

Discovery asks it which listed URLs are new or changed; the fetcher's caller stores validators
here so the next cycle can send If-None-Match / If-Modified-Since and skip unchanged pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, exists, select

from newswatch.models import FetchResult, Validators
from newswatch.store import dialect, transactions
from newswatch.store.schema import topic_matches, url_state
from newswatch.store.values import utc

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
    article_id: int | None = None
    last_checked_at: datetime | None = None
    next_check_at: datetime | None = None
    last_changed_at: datetime | None = None
    revisit_state: str | None = None

    def validators(self) -> Validators | None:
        """What to send for a conditional GET of the URL, or None when nothing is known."""
        if not (self.etag or self.last_modified):
            return None
        return Validators(etag=self.etag, last_modified=self.last_modified)

    def repeats(self, result: FetchResult) -> bool:
        """True when ``result`` is a 304 or repeats the body last recorded for the URL."""
        return result.not_modified or (result.ok and self.body_hash == result.body_hash)


@dataclass(frozen=True)
class RevisitDue:
    """A known article's URL whose next check is due, with what its next schedule depends on."""

    url: str
    article_id: int | None
    first_seen_at: datetime
    last_changed_at: datetime | None
    next_check_at: datetime
    watched: bool  # the article matched a watched topic


@dataclass(frozen=True)
class RevisitPlan:
    """A check of a URL that has an article, and when it is due again (None: never).

    ``first_seen_at`` (a first sighting) sets the time the schedule's age counts from.
    """

    article_id: int | None
    checked_at: datetime
    next_check_at: datetime | None
    changed: bool
    first_seen_at: datetime | None = None


# Revisit states: still checked; found gone (404/410); now redirects to another article.
ACTIVE, GONE, MOVED = "active", "gone", "moved"


def _state(row: object) -> UrlState:
    m = row._mapping  # type: ignore[attr-defined]
    return UrlState(
        url=m["url"],
        source_name=m["source_name"],
        first_seen_at=utc(m["first_seen_at"]),  # type: ignore[arg-type]
        last_fetched_at=utc(m["last_fetched_at"]),
        listing_marker=m["listing_marker"],
        etag=m["etag"],
        last_modified=m["last_modified"],
        body_hash=m["body_hash"],
        last_status=m["last_status"],
        failed_attempts=int(m["failed_attempts"] or 0),
        last_error_kind=m["last_error_kind"],
        article_id=m["article_id"],
        last_checked_at=utc(m["last_checked_at"]),
        next_check_at=utc(m["next_check_at"]),
        last_changed_at=utc(m["last_changed_at"]),
        revisit_state=m["revisit_state"],
    )


def _fetch_values(result: FetchResult, source_name: str | None) -> dict[str, object]:
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
    return values


def _revisit_values(plan: RevisitPlan) -> dict[str, object]:
    values: dict[str, object] = {
        "last_checked_at": plan.checked_at,
        "next_check_at": plan.next_check_at,
        "revisit_state": ACTIVE,
    }
    if plan.article_id is not None:
        values["article_id"] = plan.article_id
    if plan.changed:
        values["last_changed_at"] = plan.checked_at
    if plan.first_seen_at is not None:
        values["first_seen_at"] = plan.first_seen_at
    return values


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
        return state.validators() if state is not None else None

    def unchanged(self, result: FetchResult) -> bool:
        """True when ``result`` is a 304 or repeats the body last recorded for its URL."""
        if result.not_modified:
            return True
        state = self.get(result.url)
        return state is not None and state.repeats(result)

    def _upsert(self, values: dict[str, object], update: Iterable[str]) -> None:
        row = {"first_seen_at": datetime.now(UTC), **values}
        with self.engine.begin() as conn:
            conn.execute(dialect.upsert(conn, url_state, row, ["url"], list(update)))

    def remember_listing(self, url: str, source: str | None, marker: str | None) -> None:
        """Record that ``url`` was acted on as listed with ``marker`` (entry date, lastmod, GUID)."""
        self._upsert({"url": url, "source_name": source, "listing_marker": marker}, ["listing_marker"])

    def record_fetch_result(self, result: FetchResult, source_name: str | None) -> None:
        """Keep the validators and body hash of a fetch; failures keep the previous validators."""
        values = _fetch_values(result, source_name)
        self._upsert(values, [k for k in values if k not in ("url", "source_name")])

    def record_visit(
        self,
        result: FetchResult,
        source_name: str | None,
        *,
        listing_marker: str | None,
        revisit: RevisitPlan | None = None,
    ) -> None:
        """A URL is done for this cycle: its fetch, the listing marker acted on and, when it has an
        article, its revisit plan — one write (``record_fetch_result`` + ``remember_listing`` +
        the revisit plan)."""
        values = _fetch_values(result, source_name)
        if listing_marker is not None:  # None: a revisit, which leaves the listing marker alone
            values["listing_marker"] = listing_marker
        if revisit is not None:
            values.update(_revisit_values(revisit))
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

    def end_revisits(self, url: str, source: str | None, *, state: str, checked_at: datetime) -> None:
        """The URL is gone or now leads elsewhere: record why, and never revisit it again."""
        values = {
            "url": url,
            "source_name": source,
            "last_checked_at": checked_at,
            "next_check_at": None,
            "revisit_state": state,
        }
        self._upsert(values, ["last_checked_at", "next_check_at", "revisit_state"])

    def due_revisits(self, source: str, now: datetime, *, limit: int) -> list[RevisitDue]:
        """The source's URLs due for a revisit at ``now``: watched articles first, then most overdue."""
        if limit <= 0:
            return []
        watched = exists().where(topic_matches.c.article_id == url_state.c.article_id).label("watched")
        stmt = (
            select(
                url_state.c.url,
                url_state.c.article_id,
                url_state.c.first_seen_at,
                url_state.c.last_changed_at,
                url_state.c.next_check_at,
                watched,
            )
            .where(
                url_state.c.source_name == source,
                url_state.c.next_check_at <= now,
                url_state.c.revisit_state == ACTIVE,
            )
            .order_by(watched.desc(), url_state.c.next_check_at, url_state.c.url)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            RevisitDue(
                r.url,
                r.article_id,
                utc(r.first_seen_at),  # type: ignore[arg-type]
                utc(r.last_changed_at),
                utc(r.next_check_at),  # type: ignore[arg-type]
                bool(r.watched),
            )
            for r in rows
        ]
