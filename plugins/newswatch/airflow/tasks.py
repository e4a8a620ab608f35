"""Task callables for the newswatch DAGs: settings, engine and connections in, summaries out.

Each function builds what it needs at run time (never at DAG-parse time), calls the plain core
functions, and returns a small JSON-able summary for XCom. A failing source raises after its
failure has been recorded, so its own task instance turns red with the error kind in the last
log line while the other sources' task instances carry on.
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
from collections.abc import Callable
from datetime import UTC, datetime

from newswatch.models import RUN_COUNTERS
from newswatch.settings import Settings, load_settings
from newswatch.timerange import parse_time

log = logging.getLogger(__name__)

SETTINGS_VARIABLE = "newswatch_settings"


def task_settings() -> Settings:
    """Settings from the environment, overlaid by the JSON Airflow Variable ``newswatch_settings``."""
    overrides: dict[str, str] = {}
    try:
        from airflow.sdk import Variable

        raw = Variable.get(SETTINGS_VARIABLE, default=None, deserialize_json=True)
        if isinstance(raw, dict):
            overrides = {f"NEWSWATCH_{k.upper()}": str(v) for k, v in raw.items()}
    except Exception as exc:  # no Variable backend outside a task: environment only
        log.debug("settings variable not read: %s", exc)
    return load_settings(overrides)


def _engine(settings: Settings):  # type: ignore[no-untyped-def]
    from newswatch.store.engine import make_engine

    return make_engine(settings.database_url)


def plan_shards(settings: Settings, now: datetime | None = None) -> list[dict]:
    """Group the sources due now into shards; one mapped task instance per shard.

    A source is due when it is enabled and its ``poll_interval`` has passed since its last run
    (less ``poll_slack_seconds`` of scheduler jitter). With no more due sources than
    ``sources_per_shard`` every source gets its own task instance (labelled with its name);
    beyond that, sources are grouped so Airflow's per-task overhead stays small.
    """
    from datetime import timedelta

    from newswatch.sources.config import load_sources
    from newswatch.store.migrate import upgrade

    now = now or datetime.now(UTC)
    loaded = load_sources(settings.sources_file)
    for error in loaded.errors:
        log.error("sources file: %s", error)
    upgrade(settings.database_url)
    last_runs = _last_runs(settings)
    slack = timedelta(seconds=settings.poll_slack_seconds)
    names = [s.name for s in loaded.sources if s.is_due(last_runs.get(s.name), now, slack)]
    skipped = [s.name for s in loaded.sources if s.enabled and s.name not in names]
    if skipped:
        log.info("not due yet (poll_interval): %s", ", ".join(skipped))
    size = shard_size(len(names), settings.sources_per_shard)
    shards = [names[i : i + size] for i in range(0, len(names), size)]
    return [
        {"label": s[0] if len(s) == 1 else f"{s[0]} … {s[-1]} ({len(s)})", "sources": s} for s in shards
    ]


def _last_runs(settings: Settings) -> dict[str, datetime]:
    from newswatch.store.source_checks import last_run_times

    engine = _engine(settings)
    try:
        with engine.connect() as conn:
            return last_run_times(conn)
    finally:
        engine.dispose()


def shard_size(source_count: int, sources_per_shard: int) -> int:
    """1 (a task per source) up to ``sources_per_shard`` sources, else an even split."""
    if source_count <= sources_per_shard:
        return 1
    shard_count = -(-source_count // sources_per_shard)
    return -(-source_count // shard_count)


def ingest_shard(shard: dict, run_id: str) -> dict:
    """Ingest every source of a shard; raise at the end if any of them failed."""
    from newswatch.fetch import Fetcher
    from newswatch.pipeline import SourceFailed, ingest_source
    from newswatch.sources.config import load_sources
    from newswatch.store.leases import DatabaseLeases
    from newswatch.store.migrate import upgrade

    settings = task_settings()
    upgrade(settings.database_url)
    engine = _engine(settings)
    by_name = {s.name: s for s in load_sources(settings.sources_file).sources}
    summaries: list[dict] = []
    failures: list[SourceFailed] = []
    try:
        with Fetcher(settings, leases=DatabaseLeases(engine)) as fetcher:
            for name in shard["sources"]:
                source = by_name.get(name)
                if source is None:
                    failures.append(SourceFailed(name, "config", "source no longer in the sources file"))
                    continue
                summary = ingest_source(
                    source, settings=settings, engine=engine, fetcher=fetcher, run_id=run_id
                )
                summaries.append(summary.as_dict())
                log.info("source %s: %s", name, summary.as_dict())
                if not summary.ok:
                    kind = summary.error_kind or "unknown"
                    failures.append(SourceFailed(name, kind, summary.error_message or ""))
    finally:
        engine.dispose()
    if failures:
        for failure in failures[:-1]:
            log.error("%s", failure)
        raise failures[-1]
    return {"sources": summaries}


def summarize(results: list[dict | None]) -> dict:
    """Add up the shard summaries that arrived (failed shards send none)."""
    total = dict.fromkeys(RUN_COUNTERS, 0)
    sources = 0
    for result in results:
        for summary in (result or {}).get("sources", []):
            sources += 1
            for key in RUN_COUNTERS:
                total[key] += int(summary.get(key, 0))
    total["sources_ok"] = sources
    log.info("cycle: %s", total)
    return total


def smtp_connector(settings: Settings) -> Callable[[], smtplib.SMTP]:
    """A connect() for the sender, using the Airflow SMTP connection (TLS, auth from its extras)."""
    from newswatch.airflow.hooks import NewswatchSmtpHook

    def connect() -> smtplib.SMTP:
        return NewswatchSmtpHook(smtp_conn_id=settings.smtp_conn_id).open_client()

    return connect


def match_topics() -> dict:
    """Match new article versions against the topics and put alerts in the outbox."""
    from newswatch.alerts.run import match_and_enqueue
    from newswatch.store.migrate import upgrade
    from newswatch.topics.config import load_topics

    settings = task_settings()
    upgrade(settings.database_url)
    loaded = load_topics(settings.topics_file)
    for error in loaded.errors:
        log.error("topics file: %s", error)
    for warning in loaded.warnings:
        log.warning("topics file: %s", warning)
    engine = _engine(settings)
    try:
        return match_and_enqueue(engine, loaded.topics, now=datetime.now(UTC), settings=settings)
    finally:
        engine.dispose()


def send_alerts(run_id: str = "manual") -> dict:
    """Send what the outbox holds; each alert at most once, retried later on temporary errors."""
    from newswatch.alerts.sender import send_pending

    settings = task_settings()
    engine = _engine(settings)
    try:
        return send_pending(
            engine,
            smtp_connector(settings),
            mail_from=settings.mail_from,
            now=datetime.now(UTC),
            worker_id=f"{socket.gethostname()}:{os.getpid()}:{run_id}"[:200],
            settings=settings,
        )
    finally:
        engine.dispose()


def enqueue_digests(period: str) -> dict:
    from newswatch.alerts.digest import enqueue_digests as build
    from newswatch.topics.config import load_topics

    settings = task_settings()
    engine = _engine(settings)
    try:
        topics = load_topics(settings.topics_file).topics
        return build(engine, topics, period=period, now=datetime.now(UTC), settings=settings)
    finally:
        engine.dispose()


def retention() -> dict:
    """Drop raw pages, fetch-log rows and topic evaluations past their retention."""
    from newswatch.alerts.run import prune_evaluations
    from newswatch.maintenance import apply_retention

    settings = task_settings()
    engine = _engine(settings)
    try:
        done = apply_retention(engine, settings)
        done["evaluations_pruned"] = prune_evaluations(engine, now=datetime.now(UTC), settings=settings)
        return done
    finally:
        engine.dispose()


def check_sources() -> dict:
    """Find stale, failing and badly-extracting sources; queue one operator notice per problem a day."""
    from newswatch.maintenance import source_problems
    from newswatch.ops_notices import enqueue_notices
    from newswatch.sources.config import load_sources

    settings = task_settings()
    engine = _engine(settings)
    try:
        problems = source_problems(engine, load_sources(settings.sources_file).sources, settings)
        for problem in problems:
            log.warning("source %s: %s: %s", problem.source, problem.kind, problem.message)
        queued = enqueue_notices(engine, problems, settings=settings, now=datetime.now(UTC))
    finally:
        engine.dispose()
    return {"problems": [f"{p.source}: {p.kind}" for p in problems], "notices_queued": queued}


def since_param(value: str | None, now: datetime) -> datetime | None:
    """A DAG's ``since`` param: empty means no bound, else a duration (7d, 2w) or an ISO date."""
    if value is None or not value.strip():
        return None
    return parse_time(value, now=now)


def reprocess(since: str | None, source: str | None) -> dict:
    """Re-extract archived pages (latest per article) after the extractor improved."""
    from newswatch.reprocess import reprocess_pages
    from newswatch.sources.config import load_sources

    settings = task_settings()
    engine = _engine(settings)
    configured = {s.name: s for s in load_sources(settings.sources_file).sources}
    try:
        return reprocess_pages(
            engine,
            since=since_param(since, datetime.now(UTC)),
            source=source or None,
            sources=configured,
            settings=settings,
        )
    finally:
        engine.dispose()
