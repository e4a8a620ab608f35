"""Articles and their versions: the identity row, its aliases and every real change of its content.

Persists the identify stage's decisions in one short transaction, retried when a concurrent
writer wins a unique-key race, so two tasks storing the same article neither fail nor duplicate
and a task retried after a partial write converges to the same rows. Which article, which story
and whether the content is new are decided by the ``Identified`` object (see
``newswatch.identify.article``); this module only reads what that decision needs and writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlalchemy import Connection, Engine, case, select, update

from newswatch.models import Article
from newswatch.settings import Settings
from newswatch.store import dialect, stories, transactions
from newswatch.store.schema import article_aliases, article_versions, articles
from newswatch.store.stories import StoryCandidate
from newswatch.store.values import storable, utc

Status = Literal["new", "updated", "unchanged"]


class _Content(Protocol):
    headline: str | None
    body: str
    content_hash: str


class _Fingerprint(Protocol):
    signature: tuple[int, ...]
    band_keys: tuple[str, ...]
    size: int


class _StorySearch(Protocol):
    window_days: float
    band_fanout: int
    max_candidates: int


class Identified(Protocol):
    """What the identify stage hands the store (``newswatch.identify.article.IdentifiedArticle``)."""

    article: Article
    canonical_url: str
    aliases: tuple[str, ...]
    link: str
    content: _Content

    @property
    def outlet(self) -> str: ...
    @property
    def lookup_urls(self) -> tuple[str, ...]: ...
    @property
    def fingerprint(self) -> _Fingerprint: ...
    @property
    def story_search(self) -> _StorySearch: ...
    def choose_story(self, candidates: Sequence[StoryCandidate]) -> int | None: ...
    def is_new_content(self, previous_hash: str | None) -> bool: ...
    def diff_from(self, headline: str | None, body: str) -> str: ...


@dataclass(frozen=True)
class StoreOutcome:
    """What ``ArticleStore.save`` did: the article's ids and whether it wrote a new version."""

    article_id: int
    version_id: int
    story_id: int | None
    status: Status
    version_no: int


class ArticleStore:
    """Writes of ``articles``, ``article_aliases``, ``article_versions`` (and story membership)."""

    def __init__(self, engine: Engine, *, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings

    def save(
        self, identified: Identified, *, source_name: str, fetched_at: datetime, page_id: int | None
    ) -> StoreOutcome:
        """Record one identified extraction: a new version only on real change, a story on first sight."""
        fetched = utc(fetched_at)
        assert fetched is not None
        return transactions.write(
            self.engine,
            lambda conn: self._save_once(conn, identified, source_name, fetched, page_id),
            attempts=self.settings.store_write_retries,
        )

    def _save_once(
        self, conn: Connection, w: Identified, source_name: str, fetched: datetime, page_id: int | None
    ) -> StoreOutcome:
        article_id, created = self._article_id(conn, w, source_name, fetched)
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
            [{"url": a, "article_id": article_id, "first_seen_at": fetched} for a in w.aliases],
            ["url"],
        )
        latest = (
            None
            if state is None or state.latest_version_id is None
            else _version(conn, state.latest_version_id)
        )
        changed = w.is_new_content(latest.content_hash if latest is not None else None)
        story_id = state.story_id if state is not None else None
        assigned = story_id is None
        if assigned:
            story_id = self._place_in_story(conn, w, fetched)
        elif changed:
            stories.touch_story(conn, int(story_id), fetched)  # type: ignore[arg-type]
        if latest is not None and not changed:
            kept = {"story_id": story_id} if assigned else {}
            _touch_article(conn, article_id, fetched, {**kept, "url": w.link})
            return StoreOutcome(article_id, int(latest.id), story_id, "unchanged", int(latest.version_no))
        version_id, version_no = _insert_version(conn, article_id, latest, w, fetched, page_id)
        _touch_article(
            conn,
            article_id,
            fetched,
            {
                "story_id": story_id,
                "latest_version_id": version_id,
                "version_count": version_no,
                "url": w.link,
            },
        )
        status: Status = "new" if latest is None else "updated"
        return StoreOutcome(article_id, version_id, story_id, status, version_no)

    @staticmethod
    def _article_id(conn: Connection, w: Identified, source_name: str, fetched: datetime) -> tuple[int, bool]:
        """(article id, created now): by canonical URL, else by any alias, else a new row."""
        by_canonical = select(articles.c.id).where(articles.c.canonical_url == w.canonical_url)
        found = conn.execute(by_canonical).scalar()
        if found is None:
            found = conn.execute(
                select(article_aliases.c.article_id).where(article_aliases.c.url.in_(w.lookup_urls)).limit(1)
            ).scalar()
        if found is not None:
            return int(found), False
        row = {
            "canonical_url": w.canonical_url,
            "url": w.link,
            "outlet": w.outlet,
            "source_name": source_name,
            "first_seen_at": fetched,
            "last_seen_at": fetched,
            "version_count": 0,
        }
        inserted = conn.execute(
            dialect.insert_ignore(conn, articles, row, ["canonical_url"]).returning(articles.c.id)
        ).scalar()
        if inserted is not None:
            return int(inserted), True
        return int(conn.execute(by_canonical).scalar_one()), False

    @staticmethod
    def _place_in_story(conn: Connection, w: Identified, fetched: datetime) -> int:
        """Join the story identify chooses among the live candidates, or found a new one."""
        fp, search = w.fingerprint, w.story_search
        candidates = stories.lock_and_find_candidates(
            conn,
            fp.band_keys,
            fetched,
            window_days=search.window_days,
            band_fanout=search.band_fanout,
            max_candidates=search.max_candidates,
        )
        chosen = w.choose_story(candidates) if candidates else None
        if chosen is not None:
            stories.join_story(conn, chosen, fetched)
            return chosen
        return stories.found_story(
            conn,
            headline=w.content.headline,
            fetched=fetched,
            signature=fp.signature,
            size=fp.size,
            band_keys=fp.band_keys,
        )


def _version(conn: Connection, version_id: int) -> Any:
    return conn.execute(
        select(
            article_versions.c.id,
            article_versions.c.version_no,
            article_versions.c.content_hash,
            article_versions.c.headline,
            article_versions.c.body,
        ).where(article_versions.c.id == version_id)
    ).one()


def _touch_article(conn: Connection, article_id: int, fetched: datetime, values: dict[str, Any]) -> None:
    """Update the article row; ``last_seen_at`` only ever moves forward."""
    later = case((articles.c.last_seen_at < fetched, fetched), else_=articles.c.last_seen_at)
    conn.execute(update(articles).where(articles.c.id == article_id).values(last_seen_at=later, **values))


def _insert_version(
    conn: Connection, article_id: int, latest: Any, w: Identified, fetched: datetime, page_id: int | None
) -> tuple[int, int]:
    """Insert the next version (with identify's word diff to ``latest``); return (id, number)."""
    version_no = 1 if latest is None else int(latest.version_no) + 1
    diff = None if latest is None else w.diff_from(latest.headline, latest.body)
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
            fetched_at=fetched,
            page_id=page_id,
            diff=diff,
        )
        .returning(article_versions.c.id)
    ).scalar_one()
    return int(version_id), version_no
