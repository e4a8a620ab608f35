"""Fixtures for the alert tests: a real SMTP server on loopback that can misbehave on demand,
and helpers that store articles the way the pipeline does (stories, articles, versions).

``smtp_server.script(["451 4.3.0 Try again later", "550 5.7.1 No", "DROP"])`` makes the next
DATA commands answer with those replies (then 250 again); ``DROP`` keeps the message but cuts
the connection before replying; ``smtp_server.handler.refuse[address] = "550 …"`` refuses a
recipient; ``smtp_server.stop()`` / ``start()`` take the server down and back up on its port.
"""

from __future__ import annotations

import email
import email.policy
import smtplib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from newswatch.demo.cluster import free_port
from newswatch.settings import Settings, load_settings
from newswatch.store.schema import article_versions, articles, stories
from newswatch.topics.config import Topic
from newswatch.topics.query import parse_query
from sqlalchemy import Engine, Row, Table, func, insert, select, update

DROP = "DROP"  # script() entry: accept the message, then drop the connection before replying


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[return-value]


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # recipient -> reply to RCPT TO
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            reply = self.replies.pop(0) if self.replies else "250 2.0.0 OK queued"
            if reply == DROP or reply.startswith("2"):
                content = envelope.original_content
                self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), content))
        if reply == DROP:  # took the message, then the line went dead before the reply
            server.transport.close()
            return "250 2.0.0 OK (never seen by the client)"
        return reply


class SmtpServer:
    """A real aiosmtpd server on 127.0.0.1 with scripted failures and down/up control."""

    def __init__(self) -> None:
        self.host, self.port = "127.0.0.1", free_port()
        self.handler = _Handler()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def script(self, replies: list[str]) -> None:
        with self.handler.lock:
            self.handler.replies[:] = list(replies)

    @property
    def received(self) -> list[Received]:
        return list(self.handler.received)

    def connect(self) -> smtplib.SMTP:
        return smtplib.SMTP(self.host, self.port, timeout=10)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return load_settings(
        environ={
            "NEWSWATCH_DATABASE_URL": db_url,
            "NEWSWATCH_MAIL_FROM": "newswatch@example.org",
            "NEWSWATCH_ALERT_RETRY_BASE_SECONDS": "60",
        }
    )


NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


class Store:
    """Writes stories, articles and versions with SQLAlchemy Core, as the storage layer will, and
    reads tables back for the assertions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def story(self, headline: str, at: datetime = NOW) -> int:
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    insert(stories).values(
                        headline=headline, first_seen_at=at, last_seen_at=at, article_count=1
                    )
                ).inserted_primary_key[0]
            )

    def article(self, url: str, outlet: str, story_id: int | None, at: datetime = NOW) -> int:
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    insert(articles).values(
                        canonical_url=url,
                        outlet=outlet,
                        story_id=story_id,
                        first_seen_at=at,
                        last_seen_at=at,
                        version_count=0,
                    )
                ).inserted_primary_key[0]
            )

    def version(
        self,
        article_id: int,
        headline: str,
        body: str,
        *,
        version_no: int = 1,
        language: str = "en",
        fetched_at: datetime = NOW,
        published_at: datetime | None = NOW,
        updated_at: datetime | None = None,
    ) -> int:
        with self.engine.begin() as conn:
            vid = int(
                conn.execute(
                    insert(article_versions).values(
                        article_id=article_id,
                        version_no=version_no,
                        content_hash=f"h{article_id}-{version_no}",
                        headline=headline,
                        body=body,
                        language=language,
                        published_at=published_at,
                        updated_at=updated_at,
                        fetched_at=fetched_at,
                    )
                ).inserted_primary_key[0]
            )
            conn.execute(
                update(articles)
                .where(articles.c.id == article_id)
                .values(latest_version_id=vid, version_count=version_no)
            )
        return vid

    def publish(
        self, url: str, outlet: str, headline: str, body: str, story_id: int | None = None, **kw: Any
    ) -> tuple[int, int]:
        """One article with its first version; returns (article id, version id)."""
        article_id = self.article(url, outlet, story_id)
        return article_id, self.version(article_id, headline, body, **kw)

    def rows(self, table: Table, *order: Any) -> list[Row[Any]]:
        """Every row of ``table``, by ``order`` or else by its primary key."""
        key = order or tuple(table.primary_key.columns)
        with self.engine.connect() as conn:
            return list(conn.execute(select(table).order_by(*key)))

    def count(self, table: Table) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.fixture
def store(engine: Engine) -> Store:
    return Store(engine)


@pytest.fixture
def connect(smtp_server: SmtpServer) -> Callable[[], smtplib.SMTP]:
    return smtp_server.connect


@pytest.fixture
def now() -> datetime:
    return NOW


def _make_topic(
    name: str = "Arms", query: str = '(russia OR moscow) NEAR/10 "north korea" AND missile*', **kw: Any
) -> Topic:
    kw.setdefault("recipients", ("analysts@example.com",))
    return Topic(name=name, query=parse_query(query), **kw)


@pytest.fixture
def make_topic() -> Callable[..., Topic]:
    """Build a Topic in code: ``make_topic("Name", "query", delivery="hourly")``."""
    return _make_topic


@pytest.fixture
def settings_(settings: Settings) -> Settings:
    """The same settings under a name that does not clash with hypothesis's ``settings``."""
    return settings
