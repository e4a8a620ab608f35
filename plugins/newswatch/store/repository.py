"""The article database's write and read API: identity, versions, stories, raw pages, source health.

Every write is an idempotent upsert on a natural key (canonical URL, body hash, (article,
version number), (source, run)), done in one short transaction, and retried when a concurrent
writer wins a unique-key race — so two tasks storing the same article neither fail nor
duplicate, and a task retried after a partial write converges to the same rows.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import Connection, Engine, TextClause, case, func, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from newswatch.identify.diff import version_diff
from newswatch.identify.fingerprint import Fingerprint, containment, fingerprint, similarity
from newswatch.identify.normalize import NormalisedContent, normalise, storable
from newswatch.identify.urls import canonicalize_url, choose_canonical, choose_link, outlet_of
from newswatch.models import Article
from newswatch.settings import Settings, load_settings
from newswatch.store import dialect
from newswatch.store.schema import (
    article_aliases,
    article_versions,
    articles,
    pages,
    source_runs,
    sources,
    stories,
    story_bands,
)
from newswatch.store.search import SearchQuery

log = logging.getLogger(__name__)

Status = Literal["new", "updated", "unchanged"]
URL_KEY_LENGTH = int(articles.c.canonical_url.type.length or 2048)
MAX_ID = 2**63 - 1  # ids are 64-bit integers on both databases
_RUN_COUNTERS = ("discovered", "fetched", "not_modified", "new", "updated", "unchanged", "failed")


@dataclass(frozen=True)
class StoreOutcome:
    """What ``store_article`` did: the article's ids and whether it wrote a new version."""

    article_id: int
    version_id: int
    story_id: int | None
    status: Status
    version_no: int


@dataclass(frozen=True)
class ArchivedPage:
    """A raw page kept for reprocessing, with what is needed to extract and store it again."""

    page_id: int
    url: str
    final_url: str | None
    fetched_at: datetime
    source_name: str | None
    status: int | None
    content_type: str | None
    encoding: str | None
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class SearchHit:
    """One matching article version, with a snippet whose matches are marked ``[like this]``."""

    article_id: int
    version_id: int
    version_no: int
    canonical_url: str
    outlet: str
    source_name: str | None
    story_id: int | None
    headline: str | None
    published_at: datetime | None
    fetched_at: datetime
    language: str | None
    snippet: str | None


def utc(value: datetime | None) -> datetime | None:
    """Aware UTC datetime; naive values are taken as UTC (SQLite returns them naive)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def fit_url(url: str) -> str:
    """A URL that fits the 2048-character key columns: over-long ones keep a prefix and a digest."""
    if len(url) <= URL_KEY_LENGTH:
        return url
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{url[: URL_KEY_LENGTH - len(digest) - 1]}#{digest}"


def aware(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row as a dict with every datetime made UTC-aware, whichever database it came from."""
    return {k: utc(v) if isinstance(v, datetime) else v for k, v in row.items()}


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    return value


@lru_cache(maxsize=8)
def _band_probe(keys: int) -> TextClause:
    """Newest stories per band key, one bounded index range scan per key (SQL built once per size).

    Written as text because building 30 Core subqueries for every new article cost more Python
    time than the database spent answering them.
    """
    parts = [
        f"SELECT story_id FROM (SELECT story_id FROM story_bands WHERE band_key = :k{i} "  # noqa: S608
        f"ORDER BY story_id DESC LIMIT :fanout) AS b{i}"
        for i in range(keys)
    ]
    return text(" UNION ALL ".join(parts))


@dataclass
class _ArticleWrite:
    """Everything one ``store_article`` call writes, computed once before the transaction."""

    article: Article
    content: NormalisedContent
    canonical: str
    aliases: list[str]
    source_name: str
    link: str
    fetched: datetime
    page_id: int | None
    fp: Fingerprint | None = None


class Repository:
    """All reads and writes of articles, versions, stories, pages and source health."""

    def __init__(self, engine: Engine, *, settings: Settings | None = None) -> None:
        self.engine = engine
        self.settings = settings or load_settings()

    # ------------------------------------------------------------------ transactions

    @staticmethod
    def _retryable(exc: Exception) -> bool:
        if isinstance(exc, IntegrityError):
            return True
        message = str(getattr(exc, "orig", exc)).lower()
        return "deadlock" in message or "could not serialize" in message or "database is locked" in message

    def _write(self, work: Any) -> Any:
        """Run ``work(conn)`` in one write transaction, retrying lost unique-key races."""
        attempts = max(self.settings.store_write_retries, 1)
        for attempt in range(1, attempts + 1):
            try:
                with self.engine.connect() as conn:
                    dialect.begin_write(conn)
                    result = work(conn)
                    conn.commit()
                    return result
            except (IntegrityError, OperationalError) as exc:
                if attempt == attempts or not self._retryable(exc):
                    raise
                log.info("write lost a race (attempt %d/%d): %s", attempt, attempts, exc.__class__.__name__)
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ raw pages

    def archive_page(
        self,
        *,
        url: str,
        final_url: str | None,
        status: int | None,
        content_type: str | None,
        encoding: str | None,
        headers: Mapping[str, str],
        body: bytes,
        fetched_at: datetime,
        source_name: str | None,
    ) -> int:
        """Keep the raw page compressed for reprocessing; the same body is stored once."""
        body_hash = hashlib.sha256(body).hexdigest()
        row = {
            "url": url,
            "final_url": final_url,
            "body_hash": body_hash,
            "fetched_at": utc(fetched_at),
            "status": status,
            "content_type": content_type,
            "encoding": encoding,
            "headers": {storable(str(k)): storable(str(v)) for k, v in dict(headers).items()},
            "content_gz": gzip.compress(body, compresslevel=self.settings.page_compress_level, mtime=0),
            "source_name": source_name,
        }

        def work(conn: Connection) -> int:
            inserted = conn.execute(
                dialect.insert_ignore(conn, pages, row, ["body_hash"]).returning(pages.c.id)
            ).scalar()
            if inserted is not None:
                return int(inserted)
            return int(conn.execute(select(pages.c.id).where(pages.c.body_hash == body_hash)).scalar_one())

        return int(self._write(work))

    def load_page(self, page_id: int) -> bytes | None:
        """The archived body, or None when unknown or dropped by retention."""
        with self.engine.connect() as conn:
            blob = conn.execute(select(pages.c.content_gz).where(pages.c.id == page_id)).scalar()
        return gzip.decompress(blob) if blob is not None else None

    def iter_pages(
        self, *, since: datetime | None = None, source: str | None = None, batch: int = 100
    ) -> Iterator[ArchivedPage]:
        """Archived pages still holding a body, oldest first, in keyset batches (for reprocessing).

        Feeding each through extraction and :meth:`store_article` (with ``fetched_at`` and
        ``page_id`` from here) creates a version only where the extractor's result changed.
        """
        last_id = 0
        while True:
            stmt = (
                select(pages)
                .where(pages.c.id > last_id, pages.c.content_gz.is_not(None))
                .order_by(pages.c.id)
                .limit(batch)
            )
            if since is not None:
                stmt = stmt.where(pages.c.fetched_at >= utc(since))
            if source is not None:
                stmt = stmt.where(pages.c.source_name == source)
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).mappings().all()
            if not rows:
                return
            for r in rows:
                yield ArchivedPage(
                    int(r["id"]),
                    r["url"],
                    r["final_url"],
                    utc(r["fetched_at"]),  # type: ignore[arg-type]
                    r["source_name"],
                    r["status"],
                    r["content_type"],
                    r["encoding"],
                    dict(r["headers"] or {}),
                    gzip.decompress(r["content_gz"]),
                )
            last_id = int(rows[-1]["id"])

    def expire_pages(self, now: datetime | None = None) -> int:
        """Drop raw bodies older than the retention period (metadata stays); returns the count."""
        cutoff = utc(now or datetime.now(UTC)) - timedelta(days=self.settings.raw_page_retention_days)

        def work(conn: Connection) -> int:
            result = conn.execute(
                update(pages)
                .where(pages.c.fetched_at < cutoff, pages.c.content_gz.is_not(None))
                .values(content_gz=None)
            )
            return int(result.rowcount or 0)

        return int(self._write(work))

    # ------------------------------------------------------------------ articles and versions

    def store_article(
        self,
        article: Article,
        *,
        url: str,
        final_url: str | None,
        source_name: str,
        fetched_at: datetime,
        page_id: int | None,
    ) -> StoreOutcome:
        """Record one extraction: identity, a new version only on real change, story on first sight."""
        fetched = utc(fetched_at)
        assert fetched is not None
        canonical = fit_url(storable(choose_canonical(url, final_url, article.canonical_url)))
        aliases = sorted({fit_url(storable(u)) for u in (url, final_url, article.url) if u} | {canonical})
        link = storable(choose_link(url, final_url, article.canonical_url))
        write = _ArticleWrite(
            article,
            normalise(article.headline, article.body),
            canonical,
            aliases,
            source_name,
            link,
            fetched,
            page_id,
        )
        return self._write(lambda conn: self._store_once(conn, write))  # type: ignore[no-any-return]

    def _store_once(self, conn: Connection, w: _ArticleWrite) -> StoreOutcome:
        article_id, created = self._article_id(conn, w)
        # Row lock (PostgreSQL; SQLite already holds the write lock) before the alias rows: their
        # foreign key takes a share lock on the article, and upgrading from it while another
        # writer holds one too would deadlock.
        state = (
            None
            if created
            else conn.execute(
                select(articles.c.story_id, articles.c.latest_version_id)
                .where(articles.c.id == article_id)
                .with_for_update(key_share=True)  # PostgreSQL: FOR NO KEY UPDATE
            ).one()
        )
        dialect.insert_ignore_many(
            conn,
            article_aliases,
            [{"url": a, "article_id": article_id, "first_seen_at": w.fetched} for a in w.aliases],
            ["url"],
        )
        latest = (
            None
            if state is None or state.latest_version_id is None
            else conn.execute(
                select(
                    article_versions.c.id,
                    article_versions.c.version_no,
                    article_versions.c.content_hash,
                    article_versions.c.headline,
                    article_versions.c.body,
                ).where(article_versions.c.id == state.latest_version_id)
            ).one()
        )
        story_id = state.story_id if state is not None else None
        assigned = story_id is None
        if assigned:
            story_id = self._assign_story(conn, self._fingerprint(w), w.content.headline, w.fetched)
        elif latest is None or latest.content_hash != w.content.content_hash:
            self._touch_story(conn, int(story_id), w.fetched)  # type: ignore[arg-type]
        if latest is not None and latest.content_hash == w.content.content_hash:
            kept = {"story_id": story_id} if assigned else {}
            self._touch_article(conn, article_id, w.fetched, {**kept, "url": w.link})
            return StoreOutcome(article_id, int(latest.id), story_id, "unchanged", int(latest.version_no))
        version_id, version_no = self._insert_version(conn, article_id, latest, w)
        self._touch_article(
            conn,
            article_id,
            w.fetched,
            {
                "story_id": story_id,
                "latest_version_id": version_id,
                "version_count": version_no,
                "url": w.link,
            },
        )
        status: Status = "new" if latest is None else "updated"
        return StoreOutcome(article_id, version_id, story_id, status, version_no)

    def _article_id(self, conn: Connection, w: _ArticleWrite) -> tuple[int, bool]:
        """(article id, created now): by canonical URL, else by any alias, else a new row."""
        by_canonical = select(articles.c.id).where(articles.c.canonical_url == w.canonical)
        found = conn.execute(by_canonical).scalar()
        if found is None:
            candidates = sorted(set(w.aliases) | {canonicalize_url(a) for a in w.aliases})
            found = conn.execute(
                select(article_aliases.c.article_id).where(article_aliases.c.url.in_(candidates)).limit(1)
            ).scalar()
        if found is not None:
            return int(found), False
        row = {
            "canonical_url": w.canonical,
            "url": w.link,
            "outlet": outlet_of(w.canonical),
            "source_name": w.source_name,
            "first_seen_at": w.fetched,
            "last_seen_at": w.fetched,
            "version_count": 0,
        }
        inserted = conn.execute(
            dialect.insert_ignore(conn, articles, row, ["canonical_url"]).returning(articles.c.id)
        ).scalar()
        if inserted is not None:
            return int(inserted), True
        return int(conn.execute(by_canonical).scalar_one()), False

    def _fingerprint(self, w: _ArticleWrite) -> Fingerprint:
        """Computed once per call even when a lost race makes the transaction run again."""
        if w.fp is None:
            s = self.settings
            w.fp = fingerprint(
                w.content.headline,
                w.content.body,
                shingle_words=s.story_shingle_words,
                bands=s.story_lsh_bands,
                rows=s.story_lsh_rows,
            )
        return w.fp

    @staticmethod
    def _touch_story(conn: Connection, story_id: int, fetched: datetime) -> None:
        conn.execute(
            update(stories)
            .where(stories.c.id == story_id, stories.c.last_seen_at < fetched)
            .values(last_seen_at=fetched)
        )

    @staticmethod
    def _touch_article(conn: Connection, article_id: int, fetched: datetime, values: dict[str, Any]) -> None:
        """Update the article row; ``last_seen_at`` only ever moves forward."""
        later = case((articles.c.last_seen_at < fetched, fetched), else_=articles.c.last_seen_at)
        conn.execute(update(articles).where(articles.c.id == article_id).values(last_seen_at=later, **values))

    def _assign_story(
        self, conn: Connection, fp: Fingerprint, headline: str | None, fetched: datetime
    ) -> int:
        """Join the most similar candidate story sharing an LSH band, or found a new one."""
        dialect.lock_bands(conn, fp.band_keys)
        best = self._best_story(conn, fp, fetched) if fp.band_keys else None
        if best is not None:
            conn.execute(
                update(stories).where(stories.c.id == best).values(article_count=stories.c.article_count + 1)
            )
            conn.execute(
                update(stories)
                .where(stories.c.id == best, stories.c.last_seen_at < fetched)
                .values(last_seen_at=fetched)
            )
            return best
        story_id = int(
            conn.execute(
                stories.insert()
                .values(
                    headline=headline,
                    first_seen_at=fetched,
                    last_seen_at=fetched,
                    article_count=1,
                    signature={"minhash": list(fp.signature), "size": fp.size} if fp.signature else None,
                )
                .returning(stories.c.id)
            ).scalar_one()
        )
        if fp.band_keys:
            dialect.insert_ignore_many(
                conn,
                story_bands,
                [{"band_key": k, "story_id": story_id} for k in fp.band_keys],
                ["band_key", "story_id"],
            )
        return story_id

    def _best_story(self, conn: Connection, fp: Fingerprint, fetched: datetime) -> int | None:
        """The live story (within the time window) sharing most bands whose signature is close enough.

        Cost is bounded whatever the database size: per band key at most ``story_band_fanout`` of
        the newest stories are read (an index range scan backwards), so a band that boilerplate
        made common across years of stories costs no more than a rare one.
        """
        s = self.settings
        window = timedelta(days=s.story_window_days)
        params: dict[str, Any] = {f"k{i}": key for i, key in enumerate(fp.band_keys)}
        params["fanout"] = s.story_band_fanout
        shared = Counter(conn.execute(_band_probe(len(fp.band_keys)), params).scalars())
        if not shared:
            return None
        live = conn.execute(
            select(stories.c.id).where(
                stories.c.id.in_(sorted(shared)),
                stories.c.last_seen_at >= fetched - window,
                stories.c.first_seen_at <= fetched + window,
            )
        ).scalars()
        top = sorted(live, key=lambda sid: (-shared[sid], sid))[: s.story_max_candidates]
        if not top:
            return None
        candidates = conn.execute(
            select(stories.c.id, stories.c.signature).where(stories.c.id.in_(top))
        ).all()
        scored = [(self._story_score(fp, c.signature), int(c.id)) for c in candidates]
        good = [(score, sid) for score, sid in scored if score > 0]
        return max(good, key=lambda item: (item[0], -item[1]))[1] if good else None

    def _story_score(self, fp: Fingerprint, stored: Any) -> float:
        """Estimated Jaccard if it passes the threshold, else containment if a long enough text is
        (almost) inside the other — a shortened copy of a wire story; 0 when neither holds."""
        s = self.settings
        signature = stored.get("minhash", ()) if isinstance(stored, dict) else (stored or ())
        size = int(stored.get("size", 0)) if isinstance(stored, dict) else 0
        jaccard = similarity(fp.signature, tuple(signature))
        if jaccard >= s.story_similarity_threshold:
            return jaccard
        if min(fp.size, size) >= s.story_containment_min_shingles:
            if containment(jaccard, fp.size, size) >= s.story_containment_threshold:
                return jaccard
        return 0.0

    def _insert_version(
        self, conn: Connection, article_id: int, latest: Any, w: _ArticleWrite
    ) -> tuple[int, int]:
        """Insert the next version (with its word diff to ``latest``); return (id, number)."""
        version_no = 1 if latest is None else int(latest.version_no) + 1
        diff = (
            None
            if latest is None
            else version_diff(
                latest.headline,
                latest.body,
                w.content.headline,
                w.content.body,
                self.settings.diff_context_words,
            )
        )
        a = w.article
        version_id = conn.execute(
            article_versions.insert()
            .values(
                article_id=article_id,
                version_no=version_no,
                content_hash=w.content.content_hash,
                headline=w.content.headline,
                body=w.content.body,
                authors=[storable(str(author)) for author in a.authors or []],
                language=storable(a.language)[:16] if a.language else None,
                published_at=utc(a.published_at),
                published_source=a.published_source,
                updated_at=utc(a.updated_at),
                updated_source=a.updated_source,
                fetched_at=w.fetched,
                page_id=w.page_id,
                diff=diff,
            )
            .returning(article_versions.c.id)
        ).scalar_one()
        return int(version_id), version_no

    # ------------------------------------------------------------------ sources

    def record_source_run(self, source_name: str, run_id: str, summary: Mapping[str, Any]) -> None:
        """Upsert the run's row and recompute the source's health from its run history."""
        now = datetime.now(UTC)
        started = utc(summary.get("started_at")) or now
        finished = utc(summary.get("finished_at")) or now
        ok = bool(summary.get("ok", not summary.get("error_kind")))
        run = {
            "source_name": source_name,
            "run_id": run_id,
            "started_at": started,
            "finished_at": finished,
            "ok": ok,
            "errors": _json_safe(summary.get("errors") or {}),
            "extraction_gaps": _json_safe(summary.get("extraction_gaps") or {}),
        }
        run.update({name: int(summary.get(name) or 0) for name in _RUN_COUNTERS})

        def work(conn: Connection) -> None:
            conn.execute(
                dialect.upsert(
                    conn,
                    source_runs,
                    run,
                    ["source_name", "run_id"],
                    [k for k in run if k not in ("source_name", "run_id")],
                )
            )
            conn.execute(
                dialect.insert_ignore(
                    conn, sources, {"name": source_name, "enabled": True, "consecutive_failures": 0}, ["name"]
                )
            )
            self._refresh_health(conn, source_name, summary, _json_safe(dict(summary)))

        self._write(work)

    def _refresh_health(
        self, conn: Connection, source_name: str, summary: Mapping[str, Any], safe_summary: Any
    ) -> None:
        """Health derived from source_runs, so recording a run twice changes nothing."""
        runs = source_runs.c
        mine = runs.source_name == source_name
        last_ok = conn.execute(select(func.max(runs.finished_at)).where(mine, runs.ok.is_(True))).scalar()
        failures = select(func.count()).where(mine, runs.ok.is_(False))
        if last_ok is not None:
            failures = failures.where(runs.started_at > last_ok)
        last_yield = conn.execute(
            select(func.max(runs.finished_at)).where(mine, (runs.new + runs.updated) > 0)
        ).scalar()
        last = conn.execute(
            select(runs.finished_at, runs.ok, runs.errors)
            .where(mine)
            .order_by(runs.started_at.desc(), runs.id.desc())
            .limit(1)
        ).first()
        error_kind, error_message = None, None
        if last is not None and not last.ok:
            errors = last.errors or {}
            error_kind = summary.get("error_kind") or (max(errors, key=errors.get) if errors else "failed")
            error_message = storable(str(summary.get("error_message") or "")) or None
        conn.execute(
            update(sources)
            .where(sources.c.name == source_name)
            .values(
                last_run_at=last.finished_at if last is not None else None,
                last_success_at=last_ok,
                last_yield_at=last_yield,
                consecutive_failures=int(conn.execute(failures).scalar_one()),
                last_error_kind=str(error_kind)[:40] if error_kind else None,
                last_error_message=str(error_message) if error_message else None,
                last_summary=safe_summary,
            )
        )

    # ------------------------------------------------------------------ reads

    def find_article(self, ref: str | int) -> dict[str, Any] | None:
        """An article by id, canonical URL or any alias URL (canonicalised), with its latest version."""
        with self.engine.connect() as conn:
            article_id = self._resolve(conn, ref)
            if article_id is None:
                return None
            row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
            latest = (
                conn.execute(
                    select(article_versions).where(article_versions.c.id == row["latest_version_id"])
                )
                .mappings()
                .first()
                if row
                else None
            )
        if row is None:
            return None
        result = aware(row)
        result["latest"] = aware(latest) if latest else None
        return result

    def _resolve(self, conn: Connection, ref: str | int) -> int | None:
        text_ref = str(ref).strip()
        if text_ref.isdigit():
            if int(text_ref) > MAX_ID:  # no such row, and SQLite cannot even bind the number
                return None
            found = conn.execute(select(articles.c.id).where(articles.c.id == int(text_ref))).scalar()
            return int(found) if found is not None else None
        if "://" not in text_ref:
            return None
        try:
            canonical = canonicalize_url(text_ref)
        except ValueError:  # not a URL after all (a bad port, an unclosed '[')
            return None
        found = conn.execute(select(articles.c.id).where(articles.c.canonical_url == canonical)).scalar()
        if found is None:
            found = conn.execute(
                select(article_aliases.c.article_id)
                .where(article_aliases.c.url.in_([text_ref, canonical]))
                .limit(1)
            ).scalar()
        return int(found) if found is not None else None

    def versions(self, article_id: int) -> list[dict[str, Any]]:
        """Every version of an article, oldest first, with diffs."""
        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    select(article_versions)
                    .where(article_versions.c.article_id == article_id)
                    .order_by(article_versions.c.version_no)
                )
                .mappings()
                .all()
            )
        return [aware(r) for r in rows]

    def story(self, story_id: int) -> dict[str, Any] | None:
        """A story with its member articles (outlet, URL, latest headline), earliest first."""
        if story_id > MAX_ID:
            return None
        with self.engine.connect() as conn:
            head = (
                conn.execute(
                    select(
                        stories.c.id,
                        stories.c.headline,
                        stories.c.first_seen_at,
                        stories.c.last_seen_at,
                        stories.c.article_count,
                    ).where(stories.c.id == story_id)
                )
                .mappings()
                .first()
            )
            if head is None:
                return None
            members = (
                conn.execute(
                    select(
                        articles.c.id.label("article_id"),
                        articles.c.outlet,
                        articles.c.canonical_url,
                        articles.c.source_name,
                        articles.c.first_seen_at,
                        articles.c.version_count,
                        article_versions.c.headline,
                        article_versions.c.published_at,
                    )
                    .select_from(
                        articles.outerjoin(
                            article_versions, article_versions.c.id == articles.c.latest_version_id
                        )
                    )
                    .where(articles.c.story_id == story_id)
                    .order_by(articles.c.first_seen_at, articles.c.id)
                )
                .mappings()
                .all()
            )
        return {**aware(head), "members": [aware(m) for m in members]}

    def search(
        self,
        query: SearchQuery,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        source: str | None = None,
        limit: int | None = None,
        all_versions: bool = False,
    ) -> list[SearchHit]:
        """Full-text search, newest first: current versions (or every version) fetched in the window."""
        params: dict[str, Any] = {"limit": int(limit or self.settings.search_default_limit)}
        filters = []
        if since is not None:
            filters.append("v.fetched_at >= :since")
            params["since"] = utc(since)
        if until is not None:
            filters.append("v.fetched_at < :until")
            params["until"] = utc(until)
        if source and "\x00" in source:
            return []  # no source name holds a NUL, and PostgreSQL refuses one in a parameter
        if source:
            filters.append("a.source_name = :source")
            params["source"] = source
        with self.engine.connect() as conn:
            stmt = dialect.search_statement(conn, query, filters, params, latest_only=not all_versions)
            rows = conn.execute(stmt, params).mappings().all()
        return [SearchHit(**aware(r)) for r in rows]

    def iter_versions(
        self, *, since: datetime | None = None, until: datetime | None = None, batch: int = 500
    ) -> Iterator[dict[str, Any]]:
        """Versions with their article, oldest first, fetched in keyset pages so exports stream."""
        last_id = 0
        cols = [
            article_versions,
            articles.c.canonical_url,
            articles.c.outlet,
            articles.c.source_name,
            articles.c.story_id,
        ]
        while True:
            stmt = (
                select(*cols)
                .select_from(article_versions.join(articles, articles.c.id == article_versions.c.article_id))
                .where(article_versions.c.id > last_id)
                .order_by(article_versions.c.id)
                .limit(batch)
            )
            if since is not None:
                stmt = stmt.where(article_versions.c.fetched_at >= utc(since))
            if until is not None:
                stmt = stmt.where(article_versions.c.fetched_at < utc(until))
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).mappings().all()
            if not rows:
                return
            for row in rows:
                yield aware(row)
            last_id = int(rows[-1]["id"])

    def stats(self) -> dict[str, Any]:
        """Row counts and time range, for ``newswatch stats``."""
        with self.engine.connect() as conn:
            counts = {
                name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for name, table in (
                    ("articles", articles),
                    ("versions", article_versions),
                    ("stories", stories),
                    ("aliases", article_aliases),
                    ("pages", pages),
                    ("sources", sources),
                )
            }
            first, last = conn.execute(
                select(func.min(article_versions.c.fetched_at), func.max(article_versions.c.fetched_at))
            ).one()
            multi = conn.execute(
                select(func.count()).select_from(stories).where(stories.c.article_count > 1)
            ).scalar_one()
            failing = conn.execute(
                select(func.count()).select_from(sources).where(sources.c.consecutive_failures > 0)
            ).scalar_one()
        return {
            **counts,
            "stories_with_several_articles": int(multi),
            "failing_sources": int(failing),
            "first_fetch": utc(first),
            "last_fetch": utc(last),
        }
