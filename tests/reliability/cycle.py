"""A whole newswatch cycle outside Airflow, and a comparable picture of what it left behind.

The reliability tests inject faults into real runs of the core functions the DAG tasks call
(``pipeline.ingest_source``, ``alerts.run.match_and_enqueue``, ``alerts.sender.send_pending``),
in this process or in a worker subprocess (``worker.py``) they can SIGKILL. :func:`snapshot`
reduces the article database to facts that must not depend on timing or on how many times a
run was retried (no ids, no clocks), so "converged" is an equality test against a clean run.
"""

from __future__ import annotations

import email
import email.policy
import smtplib
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from newswatch.alerts.run import match_and_enqueue
from newswatch.alerts.sender import send_pending
from newswatch.demo.cluster import free_port
from newswatch.fetch import Fetcher
from newswatch.pipeline import SourceSummary, ingest_source
from newswatch.settings import Settings, load_settings
from newswatch.sources.config import load_sources
from newswatch.store import schema
from newswatch.store.engine import make_engine
from newswatch.store.leases import DatabaseLeases
from newswatch.topics.config import load_topics
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

# Broad topics over the demo newsroom, so one cycle queues several alerts (not just the sample's).
TOPICS_YAML = """\
topics:
  - name: "Russia–North Korea military ties"
    query: >
      (russia* OR moscow OR putin) NEAR/25 ("north korea*" OR pyongyang OR kim)
      AND (militar* OR drone* OR weapon* OR missile*)
    recipients: [analysts@example.com]
  - name: "Korea"
    query: 'korea*'
    recipients: [korea@example.com, desk@example.com]
  - name: "Weather"
    query: 'typhoon OR rain'
    recipients: [weather@example.com]
  - name: "Transport"
    query: 'rail OR train* OR station*'
    recipients: [transport@example.com]
"""


def write_sources(path: Path, urls: dict[str, str], extra: str = "") -> Path:
    """The demo newsroom's three outlets (feed, news sitemap, section page), plus ``extra`` YAML."""
    path.write_text(
        "sources:\n"
        f"  - name: straits-daily\n    feed: {urls['straits']}/rss.xml\n"
        f"  - name: pacific-wire-review\n    sitemap: {urls['pacific']}/news-sitemap.xml\n"
        f"  - name: harbour-city-herald\n    section:\n      url: {urls['harbour']}/\n"
        "      link_pattern: '/\\d{4}/\\d{2}/\\d{2}/'\n" + extra
    )
    return path


def environment(db_url: str, sources: Path, topics: Path, **extra: str) -> dict[str, str]:
    """``NEWSWATCH_*`` variables for a run against loopback servers (short limits, no delay)."""
    env = {
        "NEWSWATCH_DATABASE_URL": db_url,
        "NEWSWATCH_SOURCES_FILE": str(sources),
        "NEWSWATCH_TOPICS_FILE": str(topics),
        "NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.1/32",
        "NEWSWATCH_PER_DOMAIN_DELAY": "0",
        "NEWSWATCH_CONNECT_TIMEOUT": "1",
        "NEWSWATCH_READ_TIMEOUT": "1",
        "NEWSWATCH_TOTAL_DEADLINE": "2",
        "NEWSWATCH_MAX_RETRIES": "0",
        "NEWSWATCH_RETRY_AFTER_CAP": "1",
        "NEWSWATCH_ROBOTS_ON_ERROR": "allow",
        "NEWSWATCH_MAIL_FROM": "newswatch@example.org",
        "NEWSWATCH_ALERT_LOOKBACK_HOURS": str(24 * 365 * 10),
    }
    env.update({f"NEWSWATCH_{k.upper()}": v for k, v in extra.items()})
    return env


def settings_from(env: dict[str, str]) -> Settings:
    return load_settings(environ=env)


def ingest(settings: Settings, run_id: str = "run") -> list[SourceSummary]:
    """One ingest cycle over every enabled source, as the ingest DAG's mapped tasks run it."""
    engine = make_engine(settings.database_url)
    try:
        sources = [s for s in load_sources(settings.sources_file).sources if s.enabled]
        with Fetcher(settings, leases=DatabaseLeases(engine)) as fetcher:
            return [
                ingest_source(s, settings=settings, engine=engine, fetcher=fetcher, run_id=run_id)
                for s in sources
            ]
    finally:
        engine.dispose()


def smtp_connector(port: int, timeout: float = 10):  # type: ignore[no-untyped-def]
    return lambda: smtplib.SMTP("127.0.0.1", port, timeout=timeout)


def alerts(settings: Settings, smtp_port: int, now: datetime | None = None, worker: str = "w") -> dict:
    """Match new versions, queue alerts and send them, as the alerts DAG does."""
    now = now or datetime.now(UTC)
    engine = make_engine(settings.database_url)
    try:
        topics = load_topics(settings.topics_file)
        assert topics.errors == [], topics.errors
        matched = match_and_enqueue(engine, topics.topics, now=now, settings=settings)
        sent = send_pending(
            engine, smtp_connector(smtp_port), now=now,
            worker_id=worker, settings=settings,
        )
        return {"matched": matched, "sent": sent}
    finally:
        engine.dispose()


def send(settings: Settings, smtp_port: int, now: datetime, worker: str = "w") -> dict[str, int]:
    engine = make_engine(settings.database_url)
    try:
        return send_pending(
            engine, smtp_connector(smtp_port), now=now,
            worker_id=worker, settings=settings,
        )
    finally:
        engine.dispose()


def snapshot(db_url: str) -> dict[str, Any]:
    """What a run left behind, without ids or clocks: equal snapshots mean the same outcome."""
    engine = make_engine(db_url)
    a, v, s, m, al = (schema.articles, schema.article_versions, schema.stories, schema.topic_matches,
                      schema.alerts)
    try:
        with engine.connect() as conn:
            versions = conn.execute(
                select(a.c.canonical_url, v.c.version_no, v.c.content_hash, v.c.headline)
                .join(v, v.c.article_id == a.c.id)
                .order_by(a.c.canonical_url, v.c.version_no)
            ).all()
            story_members = conn.execute(
                select(s.c.id, a.c.canonical_url).join(a, a.c.story_id == s.c.id)
            ).all()
            matches = conn.execute(
                select(m.c.topic_name, a.c.canonical_url, v.c.version_no, m.c.disposition, a.c.story_id)
                .join(v, v.c.id == m.c.version_id)
                .join(a, a.c.id == m.c.article_id)
            ).all()
            queued = conn.execute(select(al.c.topic_name, al.c.kind, al.c.status, al.c.story_id,
                                         al.c.story_key, al.c.subject, al.c.recipients)).all()
            article_urls = dict(conn.execute(select(a.c.id, a.c.canonical_url)).all())
            counts = {t.name: conn.execute(select(text("count(*)")).select_from(t)).scalar_one()
                      for t in (a, v, s, al, schema.pages)}
    finally:
        engine.dispose()
    by_story: dict[int, set[str]] = {}
    for story_id, url in story_members:
        by_story.setdefault(story_id, set()).add(url)

    def story(row: Any) -> tuple[str, ...]:  # ids differ between runs; the member URLs do not
        if row.story_id is not None:
            return tuple(sorted(by_story.get(row.story_id, ())))
        return (article_urls.get(int(row.story_key[1:]), row.story_key),)

    # Which copy of a story was matched first ('new') and which later ('copy') depends on the
    # order concurrent runs happen to store them in; what must hold is one 'new' per topic and
    # story, so copies are compared as such and the 'new' ones counted per story.
    opened: dict[tuple[str, tuple[str, ...]], int] = {}
    for row in matches:
        if row.disposition == "new":
            key = (row.topic_name, tuple(sorted(by_story.get(row.story_id, {row.canonical_url}))))
            opened[key] = opened.get(key, 0) + 1
    first_or_copy = {"new": "new-or-copy", "copy": "new-or-copy"}
    return {
        "versions": [tuple(r) for r in versions],
        "stories": sorted(sorted(urls) for urls in by_story.values()),
        "matches": sorted(
            (r.topic_name, r.canonical_url, r.version_no, first_or_copy.get(r.disposition, r.disposition))
            for r in matches
        ),
        "opened_per_story": sorted(opened.items()),
        "alerts": sorted((r.topic_name, r.kind, r.status, story(r), r.subject, tuple(r.recipients))
                         for r in queued),
        "counts": counts,
    }


def mail_digest(received: list[Mail]) -> list[tuple[str, tuple[str, ...]]]:
    """The mail as recipients see it (subject, envelope recipients); Message-IDs embed db ids."""
    return sorted((str(m.message["Subject"]), tuple(sorted(m.rcpt_tos))) for m in received)


# ------------------------------------------------------------------ mail
@dataclass
class Mail:
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[return-value]

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class _Handler:
    received: list[Mail] = field(default_factory=list)
    delay: float = 0.0  # seconds to sit in DATA before answering 250...
    delay_after: int = 0  # ...once this many messages have been received
    refuse_after: int | None = None  # after this many deliveries, answer 421 to MAIL FROM
    drop_in_data: int = 0  # this many times: take the message, then hang up instead of replying
    in_data: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse_after is not None and len(self.received) >= self.refuse_after:
            return "421 4.3.2 Service shutting down"
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import asyncio

        with self.lock:
            self.received.append(Mail(list(envelope.rcpt_tos), envelope.original_content))
        self.in_data.set()
        if self.drop_in_data > 0:
            self.drop_in_data -= 1
            server.transport.close()  # the client never learns that the message was accepted
            return "421 4.4.2 connection dropped"
        if self.delay and len(self.received) > self.delay_after:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 OK queued"


class MailSink:
    """A real SMTP server (aiosmtpd) on loopback that can go down and come back on its port.

    A message counts as delivered once the server has the whole of DATA — before it answers,
    which is exactly the moment a killed client cannot know about.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = _Handler()
        self.controller: Controller | None = None

    def start(self) -> MailSink:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self) -> list[Mail]:
        with self.handler.lock:
            return list(self.handler.received)

    def message_ids(self) -> list[str]:
        return sorted(m.message_id for m in self.received)


@contextmanager
def mail_sink() -> Iterator[MailSink]:
    sink = MailSink().start()
    try:
        yield sink
    finally:
        sink.stop()


# ------------------------------------------------------------------ databases
@contextmanager
def sibling_database(db_url: str) -> Iterator[str]:
    """Another fresh, migrated database on the same dialect/server (for a clean reference run)."""
    from newswatch.store.migrate import upgrade

    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        other = Path(url.database or "").with_name(f"reference-{uuid.uuid4().hex[:8]}.db")
        upgrade(f"sqlite:///{other}")
        yield f"sqlite:///{other}"
        return
    name = f"newswatch_ref_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    other_url = url.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(other_url)
        yield other_url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def wait_for(predicate, timeout: float, interval: float = 0.02) -> bool:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` until true or ``timeout`` seconds pass (test orchestration, not a limit)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


# ------------------------------------------------------------------ a slow newsroom
class SlowNewsroom:
    """The demo newsroom with a per-request delay that a test can change while it runs.

    A delay stretches an ingest run so a test can kill it half-way at a known point.
    """

    def __init__(self, phase_file: Path | None = None, delay: float = 0.0) -> None:
        from http.server import ThreadingHTTPServer

        from newswatch.demo.content import OUTLETS
        from newswatch.demo.site import NewsroomState, make_handler

        self.delay = delay
        self.state = NewsroomState(phase_file, 1)
        self.servers: list[ThreadingHTTPServer] = []
        owner = self
        for outlet in OUTLETS.values():
            base = make_handler(outlet, self.state)

            def do_get(handler: Any, _base: Any = base) -> None:
                time.sleep(owner.delay)
                _base.do_GET(handler)

            server = ThreadingHTTPServer(("127.0.0.1", 0), type("Slow", (base,), {"do_GET": do_get}))
            server.daemon_threads = True
            self.state.base_urls[outlet.key] = f"http://127.0.0.1:{server.server_address[1]}"
            self.servers.append(server)
            threading.Thread(target=server.serve_forever, daemon=True).start()

    @property
    def base_urls(self) -> dict[str, str]:
        return dict(self.state.base_urls)

    def requests(self) -> int:
        with self.state.lock:
            return len(self.state.requests)

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def article_count(db_url: str) -> int:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(text("count(*)")).select_from(schema.articles)).scalar_one())
    finally:
        engine.dispose()


def unaccounted_fetches(db_url: str) -> list[str]:
    """Article pages fetched successfully that are neither stored nor recorded as failed.

    Listings (feeds, sitemaps, section pages) and robots.txt are not articles and are skipped.
    """
    engine = make_engine(db_url)
    f, aliases = schema.fetches, schema.article_aliases
    try:
        with engine.connect() as conn:
            ok = select(f.c.url).where(f.c.status == 200, f.c.error_kind.is_(None))
            fetched = set(conn.execute(ok).scalars())
            failed = set(conn.execute(select(f.c.url).where(f.c.error_kind.is_not(None))).scalars())
            stored = set(conn.execute(select(aliases.c.url)).scalars())
    finally:
        engine.dispose()
    articles = {u for u in fetched if "/20" in u}  # the demo's article paths carry their date
    return sorted(articles - stored - failed)
