"""Faults injected into whole cycles with real parts: SMTP down and back, concurrent and repeated
runs, PostgreSQL connections cut mid-ingest, and sources that turn hostile mid-run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cycle
import pytest
from hostile_server import start_server
from newswatch.alerts.run import match_and_enqueue
from newswatch.store.engine import make_engine
from newswatch.store.schema import alerts
from newswatch.topics.config import load_topics
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

WORKER = Path(__file__).resolve().parent / "worker.py"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def worker(stage: str, env: dict[str, str], port: int = 0, now: datetime = NOW) -> subprocess.Popen[str]:
    full = {**os.environ, **env, "RELIABILITY_SMTP_PORT": str(port), "RELIABILITY_NOW": now.isoformat()}
    return subprocess.Popen([sys.executable, str(WORKER), stage], env=full, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = proc.communicate(timeout=300)
    return int(proc.returncode), err[-2000:]


def statuses(db_url: str) -> list[str]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return sorted(conn.execute(select(alerts.c.status)).scalars())
    finally:
        engine.dispose()


# ------------------------------------------------------------------ SMTP down, then back
def test_smtp_down_during_alerts_then_back_delivers_each_alert_once(
    db_url: str, sources_file: Path, topics_file: Path, sink: cycle.MailSink
) -> None:
    settings = cycle.settings_from(cycle.environment(db_url, sources_file, topics_file))
    cycle.ingest(settings)
    engine = make_engine(db_url)
    try:
        match_and_enqueue(engine, load_topics(topics_file).topics, now=NOW, settings=settings)
    finally:
        engine.dispose()
    queued = len(statuses(db_url))

    # Down in the middle of a batch: after two deliveries the server answers 421 to MAIL FROM...
    sink.handler.refuse_after = 2
    first = cycle.send(settings, sink.port, NOW)
    assert (first["sent"], first["retry"]) == (2, 1)
    # ...then it is gone altogether (connection refused) for two more runs.
    sink.stop()
    later = NOW
    for _ in range(2):
        later += timedelta(seconds=settings.alert_retry_max_seconds + 1)
        assert cycle.send(settings, sink.port, later)["sent"] == 0
    assert statuses(db_url).count("pending") == queued - 2
    # Back: everything left goes out once; further runs send nothing.
    sink.handler.refuse_after = None
    sink.start()
    later += timedelta(seconds=settings.alert_retry_max_seconds + 1)
    assert cycle.send(settings, sink.port, later)["sent"] == queued - 2
    assert cycle.send(settings, sink.port, later + timedelta(hours=2))["sent"] == 0
    ids = sink.message_ids()
    assert len(ids) == len(set(ids)) == queued
    assert statuses(db_url) == ["sent"] * queued


def test_connection_lost_after_data_is_flagged_unknown_never_resent(
    db_url: str, sources_file: Path, topics_file: Path, sink: cycle.MailSink
) -> None:
    """The SMTP ambiguity: the server has the message but the client gets no reply. Such an
    alert becomes ``unknown`` (delivered here exactly once), is never resent, and the rest go on."""
    settings = cycle.settings_from(cycle.environment(db_url, sources_file, topics_file))
    cycle.ingest(settings)
    engine = make_engine(db_url)
    try:
        match_and_enqueue(engine, load_topics(topics_file).topics, now=NOW, settings=settings)
    finally:
        engine.dispose()
    queued = len(statuses(db_url))
    sink.handler.drop_in_data = 1
    later = NOW
    for _ in range(4):
        cycle.send(settings, sink.port, later)
        later += timedelta(seconds=settings.alert_claim_lease_seconds + settings.alert_retry_max_seconds)
    assert statuses(db_url) == sorted(["unknown"] + ["sent"] * (queued - 1))
    ids = sink.message_ids()
    assert len(ids) == len(set(ids)) == queued  # the unknown one did arrive — once


# ------------------------------------------------------------------ concurrency and repetition
def test_two_ingests_and_two_alert_runs_at_once_equal_one_clean_run(
    db_url: str, sources_file: Path, topics_file: Path, sink: cycle.MailSink
) -> None:
    with cycle.sibling_database(db_url) as reference_url:
        reference = cycle.settings_from(cycle.environment(reference_url, sources_file, topics_file))
        cycle.ingest(reference)
        cycle.alerts(reference, sink.port, NOW)
        expected, expected_mail = cycle.snapshot(reference_url), cycle.mail_digest(sink.received)
    before = len(sink.received)

    env = cycle.environment(db_url, sources_file, topics_file)
    for stage in ("ingest", "alerts"):
        procs = [worker(stage, env, sink.port) for _ in range(2)]
        results = [finish(p) for p in procs]
        assert [code for code, _ in results] == [0, 0], f"{stage}: {results}"
    assert cycle.snapshot(db_url) == expected
    assert cycle.mail_digest(sink.received[before:]) == expected_mail

    settings = cycle.settings_from(env)
    for _ in range(3):  # the same run, three more times
        cycle.ingest(settings)
        cycle.alerts(settings, sink.port, NOW)
    assert cycle.snapshot(db_url) == expected
    assert cycle.mail_digest(sink.received[before:]) == expected_mail


# ------------------------------------------------------------------ PostgreSQL connections cut
def _terminate_backends(db_url: str) -> int:
    url = make_url(db_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            return len(conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = :db AND pid <> pg_backend_pid()"),
                {"db": url.database},
            ).all())
    finally:
        admin.dispose()


@pytest.fixture
def slow_newsroom() -> Iterator[cycle.SlowNewsroom]:
    room = cycle.SlowNewsroom(delay=0.0)
    yield room
    room.close()


def test_postgres_connections_killed_mid_ingest_then_retry_converges(
    db_url: str, tmp_path: Path, topics_file: Path, slow_newsroom: cycle.SlowNewsroom, sink: cycle.MailSink
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("cuts PostgreSQL server connections (pg_terminate_backend)")
    sources = cycle.write_sources(tmp_path / "sources.yaml", slow_newsroom.base_urls)
    with cycle.sibling_database(db_url) as reference_url:
        reference = cycle.settings_from(cycle.environment(reference_url, sources, topics_file))
        cycle.ingest(reference)
        expected = cycle.snapshot(reference_url)

    env = cycle.environment(db_url, sources, topics_file)
    slow_newsroom.delay = 0.3
    proc = worker("ingest", env)
    cuts = 0
    for n in (1, 3, 5):
        if cycle.wait_for(lambda n=n: cycle.article_count(db_url) >= n or proc.poll() is not None, 60):
            cuts += _terminate_backends(db_url)
    finish(proc)  # fails or survives (pre-ping reconnects): either way the task is retried
    slow_newsroom.delay = 0.0
    cycle.ingest(cycle.settings_from(env))
    got = cycle.snapshot(db_url)
    assert cuts >= 1
    urls = [v[0] for v in got["versions"]]
    assert len(urls) == len(set(urls)), "an article was stored twice"
    assert set(got["versions"]) <= set(expected["versions"])
    assert cycle.unaccounted_fetches(db_url) == []


# ------------------------------------------------------------------ hostile sources
HOSTILE_ENDPOINTS = [
    "/never", "/drip", "/drip-headers", "/huge-length", "/endless", "/gzip-bomb?mb=200",
    "/brotli-bomb?mb=200", "/gzip-chain", "/truncated", "/reset", "/status/500",
    "/status/429?retry_after=3600",
    "/redirect-loop", "/redirect-chain/20", "/pdf-as-html", "/image-as-html", "/charset/nul-controls",
    "/redirect?to=file:///etc/passwd",
]


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "hostile"
    root.mkdir()
    with start_server("--root", str(root)) as info:
        yield root, str(info["url"])


def test_sources_turning_hostile_mid_run_cannot_stall_the_cycle(
    db_url: str, tmp_path: Path, topics_file: Path, newsroom, hostile: tuple[Path, str]  # type: ignore[no-untyped-def]
) -> None:
    root, base = hostile
    # One source is fine for two articles, then every link misbehaves; the others are hostile
    # from the listing on (each endpoint as a feed).
    links = [f"{base}/page/ok-{i}" for i in range(2)] + [base + e for e in HOSTILE_ENDPOINTS]
    items = "".join(f"<item><title>t</title><link>{u.replace('&', '&amp;')}</link></item>" for u in links)
    (root / "feed.xml").write_text(f"<rss><channel>{items}</channel></rss>")
    extra = f"  - name: turns-hostile\n    feed: {base}/files/feed.xml\n" + "".join(
        f"  - name: hostile-{i}\n    feed: '{base}{e}'\n" for i, e in enumerate(HOSTILE_ENDPOINTS)
    )
    sources = cycle.write_sources(tmp_path / "sources.yaml", newsroom.base_urls, extra)
    settings = cycle.settings_from(cycle.environment(db_url, sources, topics_file))

    started = time.monotonic()
    summaries = {s.source: s for s in cycle.ingest(settings)}
    elapsed = time.monotonic() - started

    # Every hostile request is bounded by connect + total deadline (no retries in these settings).
    requests = 2 * len(HOSTILE_ENDPOINTS) + 2 + 4
    bound = requests * (settings.connect_timeout + settings.total_deadline) + 30
    assert elapsed < bound, (elapsed, bound)
    for name in ("straits-daily", "pacific-wire-review", "harbour-city-herald"):
        assert summaries[name].ok and summaries[name].failed == 0, summaries[name]
    assert cycle.article_count(db_url) == 7 + 2
    turned = summaries["turns-hostile"]
    assert turned.new == 2 and turned.failed == len(HOSTILE_ENDPOINTS), turned
    for i in range(len(HOSTILE_ENDPOINTS)):
        assert summaries[f"hostile-{i}"].discovered == 0 == summaries[f"hostile-{i}"].new
    # Every hostile source fails and says why; an HTML page where a feed should be is read, found
    # to be no feed, and fails its source as bad_listing.
    failed_kinds = {summaries[f"hostile-{i}"].error_kind for i in range(len(HOSTILE_ENDPOINTS))}
    assert None not in failed_kinds and "bad_listing" in failed_kinds and len(failed_kinds) >= 6, failed_kinds
    print({"elapsed_s": round(elapsed, 1), "bound_s": bound, "errors": turned.errors})
