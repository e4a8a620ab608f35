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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from newswatch.errors import NewswatchError, short_reason
from newswatch.models import RUN_COUNTERS
from newswatch.settings import Settings, load_settings
from newswatch.timerange import parse_time

log = logging.getLogger(__name__)

SETTINGS_VARIABLE = "newswatch_settings"


class RunFailed(NewswatchError):
    """A run's own verdict: some of its work failed although the rest went through."""

    kind = "run_failed"


class TaskFailed(NewswatchError, SystemExit):
    """Ends a task as failed without a traceback after its last log line (see error_line_last).

    As an Exception, Airflow still renders the mapped instance's label; as a SystemExit, it logs
    only ``Task exited`` with this line as the exit code (no stack frames below it), then applies
    retries and failure callbacks as for any failure.
    """

    def __init__(self, line: str, *, kind: str | None = None) -> None:
        super().__init__(line, kind=kind)
        self.code = line


def error_line(exc: BaseException) -> str:
    """The short line a failed task ends its log with: error kind, source if any, one-line reason."""
    kind = getattr(exc, "kind", type(exc).__name__)
    source = getattr(exc, "source", None)
    if not source:
        return f"error_kind={kind}: {short_reason(str(exc))}"
    head = f"source {source!r} failed: error_kind={kind}: "  # SourceFailed's own wording
    return head + short_reason(str(exc).removeprefix(head))


@contextmanager
def error_line_last() -> Iterator[None]:
    """Turn an expected failure into a failed task whose log ENDS with the short error line.

    Airflow logs an exception's traceback after the message, so the UI (which opens a log at its
    bottom) would show a stack frame. Here the detail is logged first, then the short line, and the
    task leaves through ``SystemExit`` carrying that line: Airflow logs it without a traceback and
    still applies the task's retries and failure callbacks.
    """
    try:
        yield
    except NewswatchError as exc:
        line = error_line(exc)
        log.info("failure detail (the short reason is the last line)", exc_info=exc)
        log.error("%s", line)
        raise TaskFailed(line, kind=exc.kind) from exc


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
                    message = summary.error_message or ""
                    log.error("source %s: error_kind=%s: %s", name, kind, message)  # the detail
                    failures.append(SourceFailed(name, kind, short_reason(message.removeprefix(f"{name}: "))))
    finally:
        engine.dispose()
    if failures:
        for failure in failures[:-1]:
            log.error("%s", error_line(failure))
        raise failures[-1]
    return {"sources": summaries}


_DONE_WELL = frozenset({"success", "skipped"})


def _state(states: Mapping[str, Any], key: str) -> str:
    return str(states.get(key) or "none").rsplit(".", 1)[-1].lower()


def failed_instances(states: Mapping[str, Any], task_id: str, labels: list[str]) -> list[str]:
    """The labels of ``task_id``'s mapped instances that did not succeed (failed, upstream_failed…).

    ``states`` is Airflow's per-run task state map, whose keys are ``task_id`` for an unmapped
    task and ``task_id_<map index>`` for a mapped one; ``labels`` are the instances in map order.
    """
    return [label for i, label in enumerate(labels) if _state(states, f"{task_id}_{i}") != "success"]


def failed_tasks(states: Mapping[str, Any], task_ids: list[str]) -> list[str]:
    """The unmapped tasks among ``task_ids`` that ended neither successful nor skipped."""
    return [task_id for task_id in task_ids if _state(states, task_id) not in _DONE_WELL]


def run_task_states(context: Mapping[str, Any]) -> dict[str, Any]:
    """This run's task states, asked of Airflow through the task instance (no database access)."""
    ti = context["ti"]
    run_id = context["run_id"]
    return dict(ti.get_task_states(dag_id=ti.dag_id, run_ids=[run_id]).get(run_id, {}))


def _names(items: list[str], shown: int = 5) -> str:
    more = len(items) - shown
    return ", ".join(items[:shown]) + (f" and {more} more" if more > 0 else "")


def check_ingest(shards: list[dict] | None, states: Mapping[str, Any]) -> dict:
    """Fail the run when any ingest instance failed, naming them; the others' work is kept.

    ``summarize`` (which updates the Asset) has run before this, whatever the sources did.
    """
    broken = failed_tasks(states, ["plan", "summarize"])
    if broken or shards is None:
        raise RunFailed(f"task(s) failed: {_names(broken or ['plan'])} (see their logs)")
    labels = [str(shard["label"]) for shard in shards]
    failed = failed_instances(states, "ingest", labels)
    if failed:
        log.error("failed ingest instances: %s", ", ".join(failed))  # all of them, above the line
        raise RunFailed(f"{len(failed)} of {len(labels)} ingest instance(s) failed: {_names(failed)}")
    log.info("all %d ingest instance(s) succeeded", len(labels))
    return {"ingest_instances": len(labels)}


def check_alerts(sent: Mapping[str, Any] | None, states: Mapping[str, Any]) -> dict:
    """Fail the run when matching or sending failed, or an alert ended ``failed`` or ``unknown``."""
    broken = failed_tasks(states, ["match", "send"])
    if broken or sent is None:
        raise RunFailed(f"task(s) failed: {_names(broken or ['send'])} (see their logs)")
    failed, unknown = int(sent.get("failed", 0)), int(sent.get("unknown", 0))
    if failed or unknown:
        raise RunFailed(
            f"{failed} alert(s) failed, {unknown} unknown: see `newswatch alerts outbox --status "
            f"{'unknown' if unknown else 'failed'}`, then `newswatch alerts requeue ID`"
        )
    return {"sent": int(sent.get("sent", 0))}


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
