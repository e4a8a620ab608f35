"""A full ingest + alerts cycle through a real Airflow scheduler, against a direct-call baseline.

Usage: .venv/bin/python benchmarks/cycle.py [--sources 200] [--articles 20] [--latency 0.05]
       [--shards 25[,10,50...]] [--db sqlite|postgres] [--per-domain-delay 0.05] [--quick]
       [--executor local|celery] [--workers 2] [--baseline-parallel 4] [--repeat] [--no-baseline]
       [--no-airflow] [--json FILE]

The synthetic newsroom (``newswatch.demo.synthetic``: one loopback address per outlet, every
response delayed by ``--latency``) runs in its own process. Two ways through the same work, each
into a fresh article database:

* **baseline** — the pipeline functions called directly: the same shards as ``plan_shards``, run by
  a pool of as many processes as Airflow may run ingest tasks at once (``max_active_tis_per_dagrun``
  = core parallelism = 4), then topic matching and sending, in this process. Stage timers (exclusive
  time) split the work into discovery, fetching, extraction and storage.
* **airflow** — a real LocalExecutor deployment (api-server, scheduler, dag-processor; PostgreSQL
  metadata database): unpausing ``newswatch_ingest`` starts a scheduled run, its Asset event starts
  ``newswatch_alerts``. ``airflow dags test`` is not used because it runs every task one after the
  other in one process: it shows neither the scheduler's overhead nor the parallelism of a real
  deployment. Timings come from the metadata database (runs, task instances) and from the article
  database (the pipeline's own per-source time: first request to the source run's end).

``--repeat`` adds a steady-state cycle on the same database: the site publishes an update of the
first article of every outlet, every other page answers 304 Not Modified or is known already.
``--executor celery`` runs the same cycle on the CeleryExecutor (Redis broker on 127.0.0.1:6379,
database 14; ``--workers`` Celery workers sharing the same 4 task slots) to show its extra cost.

Printed: wall times, Airflow overhead (airflow wall - baseline wall, and where it sits: queueing,
in-task start-up, the Asset hand-off), and ratios against the baseline measured in the same run.
The two runs follow each other, so on a shared machine a change of load between them moves the
ratio; Airflow's own share measured inside its run (time with no task running, plus the in-task
start-up divided by the task slots) does not depend on the baseline.
With several ``--shards`` values, the Airflow cycle is repeated for each (the cluster stays up;
the shard size and a fresh article database reach the tasks through the ``newswatch_settings``
Variable). The per-domain delay defaults to 0.05 s: each outlet is its own domain and gets one
request at a time, at most 20 per second.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import smtplib
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newswatch.demo import mailcatcher
from newswatch.demo.cluster import AirflowCluster, base_environment, free_port, seconds_between
from newswatch.demo.environment import smtp_connection_json
from newswatch.settings import PROJECT_ROOT, Settings, load_settings
from newswatch.store import schema
from newswatch.store.engine import make_engine
from newswatch.store.migrate import upgrade
from sqlalchemy import create_engine, func, select, text

POSTGRES_ADMIN_URL = os.environ.get(
    "NEWSWATCH_TEST_DATABASE_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)
PARALLEL_INGEST = 4  # the ingest task's max_active_tis_per_dagrun, and the cluster's core parallelism
RUN_TIMEOUT = 3600.0
EXECUTORS = {"local": "LocalExecutor", "celery": "CeleryExecutor"}
REDIS_DB = 14
QUEUE = f"newswatch-bench-{os.getpid()}"  # this run's own queue: other runs' workers never take its tasks


# --- the synthetic newsroom and the mail catcher ----------------------------------------------


@contextmanager
def synthetic_site(outlets: int, articles: int, latency: float, workdir: Path) -> Iterator[Path]:
    """Serve the newsroom in a child process; yield the sources file it wrote."""
    sources = workdir / "sources.yaml"
    (workdir / "edition").write_text("1")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newswatch.demo.synthetic",
            "--outlets",
            str(outlets),
            "--articles",
            str(articles),
            "--latency",
            str(latency),
            "--sources-file",
            str(sources),
            "--edition-file",
            str(workdir / "edition"),
            "--poll-interval",
            "0",  # every source is due on every cycle (--repeat follows at once)
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        if not (proc.stdout and proc.stdout.readline()):
            raise SystemExit("the synthetic newsroom did not start")
        yield sources
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@dataclass
class Databases:
    """Fresh article databases (and the metadata database) for one benchmark run; dropped after."""

    kind: str
    workdir: Path
    created: list[str] = field(default_factory=list)

    def new(self, label: str) -> str:
        if self.kind == "sqlite":
            url = f"sqlite:///{self.workdir / f'{label}.db'}"
        else:
            name = f"newswatch_bench_{label}_{os.getpid()}"
            self._admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
            self.created.append(name)
            url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        upgrade(url)
        return url

    def metadata(self) -> str:
        name = f"newswatch_bench_airflow_{os.getpid()}"
        self._admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    def drop_all(self) -> None:
        self._admin(*(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in self.created))

    @staticmethod
    def _admin(*statements: str) -> None:
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                for statement in statements:
                    conn.execute(text(statement))
        finally:
            admin.dispose()


def set_edition(workdir: Path, edition: int) -> None:
    """Publish an edition (2: the first article of every outlet updated); the site reads it each second."""
    path = workdir / "edition"
    if path.read_text() != str(edition):
        path.write_text(str(edition))
        time.sleep(1.5)


def newswatch_env(db_url: str, sources: Path, per_domain_delay: float, shard: int) -> dict[str, str]:
    return {
        "NEWSWATCH_DATABASE_URL": db_url,
        "NEWSWATCH_SOURCES_FILE": str(sources),
        "NEWSWATCH_TOPICS_FILE": str(PROJECT_ROOT / "config" / "topics.yaml"),
        "NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.0/8",
        "NEWSWATCH_PER_DOMAIN_DELAY": str(per_domain_delay),
        "NEWSWATCH_SOURCES_PER_SHARD": str(shard),
        "NEWSWATCH_TASK_RETRIES": "0",
        "NEWSWATCH_INGEST_EVERY_MINUTES": "1440",  # no second scheduled run during a long cycle
    }


# --- the baseline: the pipeline functions, called directly ------------------------------------


class StageTimer:
    """Exclusive time per stage: a stage nested in another (a fetch inside discovery) counts once."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self._stack: list[list[float]] = []  # [started, time spent in nested stages]

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append([time.perf_counter(), 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                started, nested = self._stack.pop()
                elapsed = time.perf_counter() - started
                self.totals[stage] += elapsed - nested
                if self._stack:
                    self._stack[-1][1] += elapsed

        return timed


def _instrument(timer: StageTimer) -> None:
    """Put stage timers around what ``ingest_source`` calls (this process only)."""
    from newswatch import pipeline
    from newswatch.fetch import Fetcher
    from newswatch.store.articles import ArticleStore
    from newswatch.store.leases import DatabaseLeases
    from newswatch.store.pages import PageArchive
    from newswatch.store.url_state import UrlStateStore

    pipeline.discover = timer.wrap("discover (parse listings)", pipeline.discover)
    pipeline.extract_article = timer.wrap("extract", pipeline.extract_article)
    pipeline.identify_article = timer.wrap("identify", pipeline.identify_article)
    pipeline.record_fetch = timer.wrap("store (fetch log)", pipeline.record_fetch)
    pipeline.record_source_run = timer.wrap("store (source health)", pipeline.record_source_run)
    Fetcher.fetch = timer.wrap("fetch (network, robots, decode)", Fetcher.fetch)  # type: ignore[method-assign]
    for name in ("try_claim", "release", "defer"):  # the limiter's database writes
        setattr(
            DatabaseLeases, name, timer.wrap("politeness (domain slot writes)", getattr(DatabaseLeases, name))
        )
    ArticleStore.save = timer.wrap("store (articles)", ArticleStore.save)  # type: ignore[method-assign]
    PageArchive.archive = timer.wrap("store (page archive)", PageArchive.archive)  # type: ignore[method-assign]
    for name in (
        "validators",
        "unchanged",
        "record_fetch_result",
        "remember_listing",
        "get",
        "note_failure",
        "record_visit",
        "due_revisits",
        "end_revisits",
    ):
        setattr(UrlStateStore, name, timer.wrap("store (url state)", getattr(UrlStateStore, name)))


def _ingest_shard(job: tuple[list[str], dict[str, str], str]) -> dict[str, float]:
    """One shard, as ``newswatch.airflow.tasks.ingest_shard`` runs it, minus Airflow."""
    names, env, run_id = job
    from newswatch.fetch import Fetcher
    from newswatch.pipeline import ingest_source
    from newswatch.sources.config import load_sources
    from newswatch.store.leases import DatabaseLeases

    timer = StageTimer()
    _instrument(timer)
    started = time.perf_counter()
    settings = load_settings(environ=env)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    by_name = {s.name: s for s in load_sources(settings.sources_file).sources}
    try:
        with Fetcher(settings, leases=DatabaseLeases(engine)) as fetcher:
            for name in names:
                ingest_source(by_name[name], settings=settings, engine=engine, fetcher=fetcher, run_id=run_id)
    finally:
        engine.dispose()
    timer.totals["shard total"] = time.perf_counter() - started
    return dict(timer.totals)


def plan(settings: Settings) -> list[list[str]]:
    """The shards ``plan_shards`` makes (same grouping rule, without importing the Airflow layer)."""
    from newswatch.airflow.tasks import shard_size  # a plain function: imports no Airflow
    from newswatch.sources.config import load_sources

    names = [s.name for s in load_sources(settings.sources_file).sources if s.enabled]
    size = shard_size(len(names), settings.sources_per_shard)
    return [names[i : i + size] for i in range(0, len(names), size)]


def run_baseline(
    env: dict[str, str], smtp_port: int, parallel: int = PARALLEL_INGEST, run_id: str = "baseline"
) -> dict[str, Any]:
    """Ingest every shard with a process pool, then match and send: the work without Airflow."""
    from newswatch.alerts.run import match_and_enqueue
    from newswatch.alerts.sender import send_pending
    from newswatch.topics.config import load_topics

    settings = load_settings(environ=env)
    shards = plan(settings)
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(parallel) as pool:
        per_shard = pool.map(_ingest_shard, [(names, env, run_id) for names in shards], chunksize=1)
    ingest_wall = time.perf_counter() - started
    engine = make_engine(settings.database_url)
    try:
        now = datetime.now(UTC)
        matched = match_and_enqueue(
            engine, load_topics(settings.topics_file).topics, now=now, settings=settings
        )
        sent = send_pending(
            engine,
            lambda: smtplib.SMTP("127.0.0.1", smtp_port, timeout=10),
            now=now,
            worker_id="baseline",
            settings=settings,
        )
    finally:
        engine.dispose()
    stages: dict[str, float] = defaultdict(float)
    for totals in per_shard:
        for stage, seconds in totals.items():
            stages[stage] += seconds
    return {
        "wall": time.perf_counter() - started,
        "ingest_wall": ingest_wall,
        "shards": len(shards),
        "stages": dict(stages),
        "matched": matched,
        "sent": sent["sent"],
        "parallel": parallel,
    }


# --- the Airflow run ---------------------------------------------------------------------------


def celery_environment(metadata_url: str, workers: int) -> dict[str, str]:
    """Redis broker (a queue of this run's own), results in the metadata database."""
    return {
        "AIRFLOW__OPERATORS__DEFAULT_QUEUE": QUEUE,
        "AIRFLOW__CELERY__BROKER_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + metadata_url,
        # The same number of task slots as the LocalExecutor's parallelism, spread over the workers.
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(max(1, PARALLEL_INGEST // workers)),
    }


def delete_queue() -> None:
    import redis

    broker = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB, socket_timeout=5)
    for key in broker.scan_iter(f"*{QUEUE}*"):
        broker.delete(key)


def start_cluster(
    home: Path, metadata_url: str, env: dict[str, str], executor: str, workers: int
) -> AirflowCluster:
    """api-server, scheduler, dag-processor (and Celery workers); DAGs parsed, alerts unpaused."""
    full = {**base_environment(home, metadata_url, EXECUTORS[executor], free_port()), **env}
    if executor == "celery":
        full.update(celery_environment(metadata_url, workers))
    cluster = AirflowCluster(home, full)
    try:
        cluster.cli("db", "migrate", timeout=300)
        for component in ("api-server", "scheduler", "dag-processor"):
            cluster.start(component, component)
        for number in range(1, workers + 1 if executor == "celery" else 1):
            cluster.start(
                f"worker{number}",
                "celery",
                "worker",
                "--celery-hostname",
                f"worker{number}@%h",
                "--queues",
                QUEUE,
                "--skip-serve-logs",
                "--without-gossip",
                "--without-mingle",
            )
        cluster.wait_for_api()
        cluster.wait_for_dags(["newswatch_ingest", "newswatch_alerts"])
        cluster.cli("dags", "unpause", "newswatch_alerts")
    except BaseException:
        cluster.stop()
        raise
    return cluster


def airflow_cycle(cluster: AirflowCluster, db_url: str, shard: int, first: bool) -> dict[str, Any]:
    """One ingest run (unpause for the first, trigger after) and the alerts run it starts."""
    overrides = {"database_url": db_url, "sources_per_shard": shard}
    cluster.cli("variables", "set", "newswatch_settings", json.dumps(overrides))
    done_ingest = sum(r["state"] in ("success", "failed") for r in cluster.runs("newswatch_ingest"))
    done_alerts = sum(r["state"] in ("success", "failed") for r in cluster.runs("newswatch_alerts"))
    started = datetime.now(UTC)
    cluster.cli("dags", "unpause" if first else "trigger", "newswatch_ingest")
    ingest = cluster.wait_for_runs("newswatch_ingest", done_ingest + 1, RUN_TIMEOUT)[-1]
    alerts = cluster.wait_for_runs("newswatch_alerts", done_alerts + 1, RUN_TIMEOUT)[-1]
    tis = cluster.task_instances("newswatch_ingest", ingest["run_id"]) + cluster.task_instances(
        "newswatch_alerts", alerts["run_id"]
    )
    return {"started": started, "ingest": ingest, "alerts": alerts, "task_instances": tis}


def source_spans(db_url: str, run_id: str) -> dict[str, tuple[datetime | None, datetime | None]]:
    """Per source of a run: its source run's start (else its first request) and end."""
    engine = make_engine(db_url)
    f, r = schema.fetches, schema.source_runs
    try:
        with engine.connect() as conn:
            first = dict(
                conn.execute(
                    select(f.c.source_name, func.min(f.c.requested_at))
                    .where(f.c.run_id == run_id)
                    .group_by(f.c.source_name)
                ).all()
            )
            runs = conn.execute(
                select(r.c.source_name, r.c.started_at, r.c.finished_at).where(r.c.run_id == run_id)
            ).all()
    finally:
        engine.dispose()
    spans = {}
    for name, started, finished in runs:
        begin = started if started is not None and started < finished else first.get(name)
        spans[name] = (_utc(begin), _utc(finished))
    return spans


def pipeline_seconds(shards: list[list[str]], spans: dict[str, tuple]) -> float:
    """The pipeline's time inside the ingest tasks: per shard, its first source's start to its last's end."""
    total = 0.0
    for names in shards:
        done = [spans[n] for n in names if n in spans and spans[n][0] and spans[n][1]]
        if done:
            total += seconds_between(min(b for b, _ in done), max(e for _, e in done))
    return total


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def idle_seconds(start: datetime, end: datetime, tis: list[dict]) -> float:
    """Time in [start, end] during which no task instance was running: scheduling and hand-offs."""
    spans = sorted((t["start_date"], t["end_date"]) for t in tis if t["start_date"] and t["end_date"])
    idle, cursor = 0.0, start
    for begin, finish in spans:
        if begin > cursor:
            idle += seconds_between(cursor, min(begin, end))
        cursor = max(cursor, finish)
    return idle + max(seconds_between(cursor, end), 0.0)


def analyse(cycle: dict[str, Any], db_url: str, shards: list[list[str]]) -> dict[str, Any]:
    """Wall time and where it goes, from the metadata database and the article database."""
    alerts, tis = cycle["alerts"], cycle["task_instances"]
    ingest_tis = [t for t in tis if t["task_id"] == "ingest"]
    spans = source_spans(db_url, cycle["ingest"]["run_id"])
    pipeline = pipeline_seconds(shards, spans)
    in_tasks = sum(t["duration"] or 0.0 for t in ingest_tis)
    other_tasks = sum(t["duration"] or 0.0 for t in tis if t["task_id"] != "ingest")
    first_start = min(t["start_date"] for t in tis)
    summarize_end = max(t["end_date"] for t in tis if t["task_id"] == "summarize")
    match_start = min(t["start_date"] for t in tis if t["task_id"] == "match")
    return {
        "cycle_wall": seconds_between(cycle["started"], alerts["end_date"]),
        "idle": idle_seconds(cycle["started"], alerts["end_date"], tis),
        "start_latency": seconds_between(cycle["started"], first_start),
        "asset_handoff": seconds_between(summarize_end, match_start),
        "task_instances": len(tis),
        "ingest_tis": len(ingest_tis),
        "failed_tis": sum(t["state"] != "success" for t in tis),
        "pickup": sum(seconds_between(t["queued_dttm"], t["start_date"]) for t in tis) / len(tis),
        "ingest_task_seconds": in_tasks,
        "other_task_seconds": other_tasks,
        "pipeline_seconds": pipeline,
        "sources_done": len(spans),
        "in_task_overhead": in_tasks - pipeline,
    }


# --- report ------------------------------------------------------------------------------------


def article_counts(db_url: str) -> dict[str, int]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            count = lambda table: conn.execute(select(func.count()).select_from(table)).scalar_one()  # noqa: E731
            return {
                "articles": count(schema.articles),
                "versions": count(schema.article_versions),
                "stories": count(schema.stories),
                "alerts": count(schema.alerts),
            }
    finally:
        engine.dispose()


def print_baseline(base: dict[str, Any], counts: dict[str, int], repeat: bool = False) -> None:
    print(
        ("repeat cycle, " if repeat else "")
        + f"baseline (direct calls, {base['parallel']} processes, {base['shards']} shards): "
        f"wall {base['wall']:.1f} s (ingest {base['ingest_wall']:.1f} s); {counts}; e-mails {base['sent']}"
    )
    stages = dict(base["stages"])
    total = stages.pop("shard total")
    accounted = sum(stages.values())
    for stage, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"    {stage:<40} {seconds:8.1f} s  {seconds / total:6.1%} of shard time")
    other = total - accounted
    print(f"    {'(task set-up, loop, other)':<40} {other:8.1f} s  {other / total:6.1%}")


def print_airflow(
    executor: str, shard: int, result: dict[str, Any], counts: dict[str, int], base: dict[str, Any] | None
) -> None:
    wall = result["cycle_wall"]
    line = f"airflow {executor}, sources_per_shard={shard}: cycle wall {wall:.1f} s"
    if base:
        line += (
            f"  = {wall / base['wall']:.2f}x baseline; Airflow overhead {wall - base['wall']:.1f} s "
            f"({(wall - base['wall']) / wall:.0%} of the wall)"
        )
    print(line)
    print(
        f"    {counts}; task instances {result['task_instances']} (ingest {result['ingest_tis']}, "
        f"failed {result['failed_tis']}); sources done {result['sources_done']}"
    )
    print(
        f"    no task running for {result['idle']:.1f} s of the wall (start {result['start_latency']:.1f} s, "
        f"asset hand-off {result['asset_handoff']:.1f} s, gaps between tasks); "
        f"queued -> running {result['pickup']:.2f} s per task"
    )
    own = result["idle"] + result["in_task_overhead"] / PARALLEL_INGEST
    print(
        f"    Airflow's own share, measured inside this run: {own:.1f} s of {wall:.1f} s ({own / wall:.0%}) "
        f"= no task running + in-task overhead / {PARALLEL_INGEST} slots"
    )
    per_task = result["in_task_overhead"] / max(result["ingest_tis"], 1)
    print(
        f"    slot time: ingest tasks {result['ingest_task_seconds']:.1f} s "
        f"= pipeline {result['pipeline_seconds']:.1f} s "
        f"+ in-task overhead {result['in_task_overhead']:.1f} s "
        f"({per_task:.2f} s per task); plan/summarize/match/send {result['other_task_seconds']:.1f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--articles", type=int, default=20, help="articles per source")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds before every response")
    parser.add_argument("--per-domain-delay", type=float, default=0.05)
    parser.add_argument("--shards", default="25", help="sources_per_shard values to try, comma-separated")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite", help="article database")
    parser.add_argument("--quick", action="store_true", help="20 sources x 5 articles")
    parser.add_argument("--executor", choices=sorted(EXECUTORS), default="local")
    parser.add_argument("--workers", type=int, default=2, help="Celery workers (with --executor celery)")
    parser.add_argument(
        "--repeat", action="store_true", help="then a second cycle: one updated article per outlet, rest 304"
    )
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--baseline-parallel",
        type=int,
        default=PARALLEL_INGEST,
        help="processes for the baseline (Airflow runs at most 4 ingest tasks at once)",
    )
    parser.add_argument("--no-airflow", action="store_true")
    parser.add_argument(
        "--compare-revisits",
        action="store_true",
        help="the first baseline cycle with revisits off and on (twice each), and their ratio",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.quick:
        args.sources, args.articles = 20, 5
    shard_sizes = [int(s) for s in args.shards.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="newswatch-cycle-"))
    databases = Databases(args.db, workdir)
    report: dict[str, Any] = {"args": {k: str(v) for k, v in vars(args).items()}, "airflow": {}}
    print(
        f"cycle benchmark: {args.sources} sources x {args.articles} articles, "
        f"latency {args.latency * 1000:.0f} ms, "
        f"per-domain delay {args.per_domain_delay} s, article db {args.db}; work dir {workdir}",
        flush=True,
    )
    smtp = mailcatcher.start(workdir / "mail")
    try:
        with synthetic_site(args.sources, args.articles, args.latency, workdir) as sources:
            base_runs: list[dict[str, Any] | None] = [None, None]
            if not args.no_baseline:
                env = newswatch_env(databases.new("baseline"), sources, args.per_domain_delay, shard_sizes[0])
                for repeat in range(2 if args.repeat else 1):
                    set_edition(workdir, 1 + repeat)
                    base = run_baseline(env, smtp.port, args.baseline_parallel, f"baseline-{repeat + 1}")
                    counts = article_counts(env["NEWSWATCH_DATABASE_URL"])
                    report[f"baseline{' repeat' if repeat else ''}"] = {**base, "counts": counts}
                    print_baseline(base, counts, repeat=bool(repeat))
                    base_runs[repeat] = base
            if args.compare_revisits:
                report["revisits"] = compare_revisits(args, sources, databases, smtp.port, shard_sizes[0])
            if not args.no_airflow:
                run_airflow(args, shard_sizes, sources, databases, smtp.port, base_runs, report)
    finally:
        smtp.stop()
        if args.db == "postgres" or not args.no_airflow:
            databases.drop_all()
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    return 0


def compare_revisits(
    args: argparse.Namespace, sources: Path, databases: Databases, smtp_port: int, shard: int
) -> dict[str, float]:
    """The first cycle with revisits off and on, each into a fresh database, off first then on then
    off again (the mean of the two off runs is the reference, so a drift of the machine's load shows)."""
    set_edition(databases.workdir, 1)
    walls: dict[str, list[float]] = {"off": [], "on": []}
    for mode in ("off", "on", "off", "on"):
        env = newswatch_env(
            databases.new(f"revisits-{mode}-{len(walls[mode])}"), sources, args.per_domain_delay, shard
        )
        if mode == "off":
            env["NEWSWATCH_REVISIT_SCHEDULE"] = "off"
        base = run_baseline(env, smtp_port, args.baseline_parallel, f"revisits-{mode}")
        walls[mode].append(base["ingest_wall"])
        print(f"first cycle, revisits {mode}: ingest {base['ingest_wall']:.1f} s", flush=True)
    off, on = sum(walls["off"]) / 2, sum(walls["on"]) / 2
    print(
        f"first cycle ingest, revisits on / off: {on / off:.3f} (on {on:.1f} s, off {off:.1f} s)", flush=True
    )
    return {"off": off, "on": on, "ratio": on / off}


def run_airflow(
    args: argparse.Namespace,
    shard_sizes: list[int],
    sources: Path,
    databases: Databases,
    smtp_port: int,
    base_runs: list[dict[str, Any] | None],
    report: dict[str, Any],
) -> None:
    env = newswatch_env(databases.new("unused"), sources, args.per_domain_delay, shard_sizes[0])
    env["AIRFLOW_CONN_SMTP_DEFAULT"] = smtp_connection_json(smtp_port)
    home = databases.workdir / "airflow"
    home.mkdir()
    started = time.perf_counter()
    cluster = start_cluster(home, databases.metadata(), env, args.executor, args.workers)
    try:
        print(
            f"airflow components up in {time.perf_counter() - started:.0f} s (logs: {cluster.log_dir})",
            flush=True,
        )
        for number, shard in enumerate(shard_sizes):
            db_url = databases.new(f"airflow{number}")
            shards = plan(load_settings(environ={**env, "NEWSWATCH_SOURCES_PER_SHARD": str(shard)}))
            for repeat in range(2 if args.repeat else 1):
                set_edition(databases.workdir, 1 + repeat)
                cycle = airflow_cycle(cluster, db_url, shard, first=number == 0 and repeat == 0)
                result = analyse(cycle, db_url, shards)
                counts = article_counts(db_url)
                label = f"{shard}{' repeat' if repeat else ''}"
                report["airflow"][label] = {**result, "counts": counts}
                print_airflow(EXECUTORS[args.executor], label, result, counts, base_runs[repeat])
                sys.stdout.flush()
    finally:
        cluster.stop()
        if args.executor == "celery":
            delete_queue()


if __name__ == "__main__":
    sys.exit(main())
