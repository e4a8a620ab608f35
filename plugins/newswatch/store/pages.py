"""The raw-page archive: every fetched page body, compressed, kept for reprocessing.

The same body is stored once (keyed on its SHA-256), whichever URL or cycle fetched it; retention
drops old bodies but keeps their metadata, so versions still say which page they came from.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from newswatch.settings import Settings
from newswatch.store import dialect, transactions
from newswatch.store.schema import article_versions, articles, pages
from newswatch.store.values import storable, utc


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


class PageArchive:
    """Writes and reads of the ``pages`` table."""

    def __init__(self, engine: Engine, *, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings

    def archive(
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
        """Keep the raw page compressed; return its id (the existing one for a known body)."""
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

        return transactions.write(self.engine, work, attempts=self.settings.store_write_retries)

    def load(self, page_id: int) -> bytes | None:
        """The archived body, or None when unknown or dropped by retention."""
        with self.engine.connect() as conn:
            blob = conn.execute(select(pages.c.content_gz).where(pages.c.id == page_id)).scalar()
        return gzip.decompress(blob) if blob is not None else None

    def iter_latest(
        self, *, since: datetime | None = None, source: str | None = None, batch: int = 200
    ) -> Iterator[ArchivedPage]:
        """The page behind each article's latest version, still holding a body, in article-id order.

        Reprocessing reads these: re-reading an older page would record stale content as the
        newest version. Keyset batches keep memory flat however large the archive.
        """
        last_article = 0
        while True:
            stmt = (
                select(articles.c.id.label("article_id"), pages)
                .join(article_versions, article_versions.c.id == articles.c.latest_version_id)
                .join(pages, pages.c.id == article_versions.c.page_id)
                .where(articles.c.id > last_article, pages.c.content_gz.is_not(None))
            )
            if since is not None:
                stmt = stmt.where(pages.c.fetched_at >= utc(since))
            if source is not None:
                stmt = stmt.where(articles.c.source_name == source)
            with self.engine.connect() as conn:
                rows = conn.execute(stmt.order_by(articles.c.id).limit(batch)).mappings().all()
            if not rows:
                return
            for r in rows:
                yield _archived(r)
            last_article = int(rows[-1]["article_id"])

    def expire(self, now: datetime | None = None) -> int:
        """Drop raw bodies older than the retention period (metadata stays); returns the count."""
        cutoff = utc(now or datetime.now(UTC)) - timedelta(days=self.settings.raw_page_retention_days)

        def work(conn: Connection) -> int:
            result = conn.execute(
                update(pages)
                .where(pages.c.fetched_at < cutoff, pages.c.content_gz.is_not(None))
                .values(content_gz=None)
            )
            return int(result.rowcount or 0)

        return transactions.write(self.engine, work, attempts=self.settings.store_write_retries)


def _archived(r: Mapping[str, Any]) -> ArchivedPage:
    return ArchivedPage(
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
