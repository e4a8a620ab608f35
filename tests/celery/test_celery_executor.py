"""The newswatch DAGs under the CeleryExecutor end as they do under a LocalExecutor run.

Real everything on this machine: PostgreSQL for Airflow's metadata, the Celery result backend and
the article database; Redis as the broker (database 13, a queue of this run's own); the api-server,
scheduler, dag-processor and TWO Celery workers started by the test as processes and stopped after
it, whatever happens. The demo newsroom serves two phases (the story, then its update); each phase
is one ingest run followed by the alerts run its Asset event starts. The reference is the same two
cycles through ``dag.test()`` (in-process, LocalExecutor semantics) into its own article database.
Both must leave the same articles, versions and stories, and send the same e-mails: as many, each
with the same subject about the same story (the subject names a story by the headline of its
first-stored member, which depends on the order in which parallel tasks finish).
"""

from __future__ import annotations

import email
import email.policy
import re
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from newswatch.demo import mailcatcher
from newswatch.demo.cluster import AirflowCluster, base_environment, free_port
from newswatch.demo.environment import smtp_connection_json
from newswatch.demo.site import Newsroom
from newswatch.store import schema
from newswatch.store.engine import make_engine
from newswatch.store.migrate import upgrade
from sqlalchemy import select

# A few minutes on a quiet machine; much more when the machine is shared.
pytestmark = [pytest.mark.airflow, pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(1200)]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = 13
# Each run routes its tasks through its own queue, so that two runs at once (two test sessions on
# one machine) never take each other's tasks; its keys are deleted after the run.
QUEUE = f"newswatch-test-{uuid.uuid4().hex[:12]}"
DAGS = ("newswatch_ingest", "newswatch_alerts")
RUN_TIMEOUT = 600.0
RECEIVED = re.compile(r"Task \S*execute_workload\S*\[[0-9a-f-]+\] received")


def _redis_reachable() -> str | None:
    import redis

    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=2).ping()
    except Exception as exc:
        return f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT} ({exc}); start redis-server"
    return None


def _delete_queue() -> None:
    import redis

    broker = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=5)
    for key in broker.scan_iter(f"*{QUEUE}*"):
        broker.delete(key)


def write_sources(path: Path, urls: dict[str, str]) -> Path:
    """The demo's sources at the newsroom's ports, polled on every cycle (poll_interval 0)."""
    path.write_text(
        "sources:\n"
        f"  - name: straits-daily\n    poll_interval: 0\n    feed: {urls['straits']}/rss.xml\n"
        f"  - name: pacific-wire-review\n    poll_interval: 0\n"
        f"    sitemap: {urls['pacific']}/news-sitemap.xml\n"
        f"  - name: harbour-city-herald\n    poll_interval: 0\n    section:\n      url: {urls['harbour']}/\n"
        "      link_pattern: '/\\d{4}/\\d{2}/\\d{2}/'\n"
    )
    return path


def newswatch_env(db_url: str, sources: Path, smtp_port: int) -> dict[str, str]:
    return {
        "NEWSWATCH_DATABASE_URL": db_url,
        "NEWSWATCH_SOURCES_FILE": str(sources),
        "NEWSWATCH_TOPICS_FILE": str(PROJECT_ROOT / "config" / "topics.yaml"),
        "NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.1/32",
        "NEWSWATCH_PER_DOMAIN_DELAY": "0",
        "NEWSWATCH_TASK_RETRIES": "0",
        "NEWSWATCH_INGEST_EVERY_MINUTES": "1440",  # only the runs this test starts
        "AIRFLOW_CONN_SMTP_DEFAULT": smtp_connection_json(smtp_port),
    }


def _read(db_url: str) -> tuple[list, list]:
    engine = make_engine(db_url)
    a, v = schema.articles, schema.article_versions
    try:
        with engine.connect() as conn:
            articles = conn.execute(select(a.c.canonical_url, a.c.version_count, a.c.story_id)).all()
            versions = conn.execute(
                select(a.c.canonical_url, v.c.version_no, v.c.content_hash, v.c.headline, v.c.published_at)
                .join(a, a.c.id == v.c.article_id)
            ).all()
    finally:
        engine.dispose()
    return articles, versions


def story_members(db_url: str) -> dict[str, tuple[str, ...]]:
    """Each article's URL -> the URLs of every article in its story."""
    articles, _ = _read(db_url)
    stories: dict[int, list[str]] = {}
    for url, _, story_id in articles:
        stories.setdefault(story_id, []).append(url)
    return {url: tuple(sorted(stories[story_id])) for url, _, story_id in articles}


def database_state(db_url: str) -> dict[str, object]:
    """What must match between executors: articles, their versions, and how stories group them."""
    articles, versions = _read(db_url)
    return {
        "articles": sorted((url, count) for url, count, _ in articles),
        "versions": sorted(tuple(str(x) for x in row) for row in versions),
        # Membership only: a story's headline is its founding article's, and which outlet's copy
        # is stored first depends on how parallel tasks interleave (sequential under dag.test()).
        "stories": sorted(set(story_members(db_url).values())),
    }


def emails(mail_dir: Path, db_url: str) -> list[tuple[str, tuple[str, ...] | None]]:
    """Each e-mail as (subject without the headline, the story it is about).

    An alert's subject names the story by one member's headline: the one stored first, so it
    varies with the order parallel tasks finish. The story it names must be the same.
    """
    _, versions = _read(db_url)
    members = story_members(db_url)
    headlines = sorted({(headline, url) for url, _, _, headline, _ in versions if headline},
                       key=lambda pair: -len(pair[0]))
    keyed = []
    for path in sorted(mail_dir.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[arg-type]
        subject = str(message["Subject"])
        named = next(((h, url) for h, url in headlines if subject.endswith(h)), None)
        keyed.append((subject[: -len(named[0])], members[named[1]]) if named else (subject, None))
    return sorted(keyed, key=repr)


@pytest.fixture
def newsroom(tmp_path: Path) -> Iterator[tuple[Newsroom, Path]]:
    phase_file = tmp_path / "phase"
    phase_file.write_text("1")
    room = Newsroom([0, 0, 0], phase_file)
    yield room, phase_file
    room.close()


@pytest.fixture
def databases(postgres_server: str, request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """Throw-away PostgreSQL databases: Airflow metadata, and one article database per executor."""
    # The suite's own helpers, from the root conftest (a plain import would find another conftest).
    helpers = request.config.pluginmanager.get_plugin(str(PROJECT_ROOT / "tests" / "conftest.py"))
    created = {k: helpers.create_postgres_database(postgres_server) for k in ("metadata", "celery", "local")}
    try:
        yield {key: url for key, (url, _) in created.items()}
    finally:
        for _, name in created.values():
            helpers.drop_postgres_database(postgres_server, name)


def local_reference(newsroom: tuple[Newsroom, Path], db_url: str, tmp_path: Path,
                    monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, object], list]:
    """Both phases through ``dag.test()``; the resulting database state and e-mail subjects."""
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils import db

    room, phase_file = newsroom
    mail_dir = tmp_path / "mail-local"
    smtp = mailcatcher.start(mail_dir)
    try:
        sources = write_sources(tmp_path / "sources-local.yaml", room.base_urls)
        for key, value in newswatch_env(db_url, sources, smtp.port).items():
            monkeypatch.setenv(key, value)
        db.resetdb()
        bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags"))
        assert bag.import_errors == {}
        for phase in ("1", "2"):
            phase_file.write_text(phase)
            for dag_id in DAGS:
                run = bag.dags[dag_id].test()
                assert str(run.state).endswith("success"), f"dag.test() {dag_id}: {run.state}"
    finally:
        smtp.stop()
    return database_state(db_url), emails(mail_dir, db_url)


def celery_environment(home: Path, metadata_url: str, newswatch: dict[str, str]) -> dict[str, str]:
    """Every component's environment: CeleryExecutor, Redis broker, results in the metadata DB."""
    env = base_environment(home, metadata_url, "CeleryExecutor", free_port())
    env.update(newswatch)
    env.update({
        "AIRFLOW__CELERY__BROKER_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + metadata_url,
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "1",
        "AIRFLOW__OPERATORS__DEFAULT_QUEUE": QUEUE,
    })
    return env


def start_celery_cluster(cluster: AirflowCluster) -> None:
    cluster.cli("db", "migrate", timeout=300)
    for component in ("api-server", "scheduler", "dag-processor"):
        cluster.start(component, component)
    for number in (1, 2):
        cluster.start(f"worker{number}", "celery", "worker", "--celery-hostname", f"worker{number}@%h",
                      "--queues", QUEUE, "--concurrency", "1", "--skip-serve-logs", "--without-gossip",
                      "--without-mingle")
    cluster.wait_for_api()
    cluster.wait_for_dags(list(DAGS))


def received_by_worker(cluster: AirflowCluster) -> dict[str, int]:
    """How many Airflow workloads each Celery worker received, from its own log."""
    counts = {}
    for number in (1, 2):
        log = (cluster.log_dir / f"worker{number}.log").read_text(errors="replace")
        counts[f"worker{number}"] = len(RECEIVED.findall(log))
    return counts


def test_celery_executor_matches_a_local_run(
    newsroom: tuple[Newsroom, Path], databases: dict[str, str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    skip_reason = _redis_reachable()
    if skip_reason:
        pytest.skip(skip_reason)
    for url in (databases["celery"], databases["local"]):
        upgrade(url)
    expected_state, expected_mail = local_reference(newsroom, databases["local"], tmp_path, monkeypatch)
    assert len(expected_mail) >= 1 and expected_state["articles"]  # the reference did real work
    assert all(story is not None for _, story in expected_mail), expected_mail
    assert any(count == 2 for _, count in expected_state["articles"])  # phase 2 stored the update

    room, phase_file = newsroom
    phase_file.write_text("1")
    mail_dir = tmp_path / "mail-celery"
    smtp = mailcatcher.start(mail_dir)
    home = Path(tempfile.mkdtemp(prefix="newswatch-celery-", dir=tmp_path))
    sources = write_sources(home / "sources.yaml", room.base_urls)
    newswatch = newswatch_env(databases["celery"], sources, smtp.port)
    env = celery_environment(home, databases["metadata"], newswatch)
    try:
        with AirflowCluster(home, env) as cluster:
            start_celery_cluster(cluster)
            cluster.cli("dags", "unpause", "newswatch_alerts")
            cluster.cli("dags", "unpause", "newswatch_ingest")  # the scheduler starts phase 1 at once
            cluster.wait_for_runs("newswatch_ingest", 1, RUN_TIMEOUT)
            cluster.wait_for_runs("newswatch_alerts", 1, RUN_TIMEOUT)
            phase_file.write_text("2")
            cluster.cli("dags", "trigger", "newswatch_ingest")
            ingest_runs = cluster.wait_for_runs("newswatch_ingest", 2, RUN_TIMEOUT)
            alert_runs = cluster.wait_for_runs("newswatch_alerts", 2, RUN_TIMEOUT)
            task_instances = [ti for run in ingest_runs for ti in cluster.task_instances(
                "newswatch_ingest", run["run_id"])]
            per_worker = received_by_worker(cluster)
    finally:
        smtp.stop()
        _delete_queue()

    assert [r["state"] for r in ingest_runs + alert_runs] == ["success"] * 4, (ingest_runs, alert_runs)
    assert all(ti["state"] == "success" for ti in task_instances), task_instances
    assert all(per_worker.values()), f"both Celery workers should have run tasks: {per_worker}"
    assert database_state(databases["celery"]) == expected_state
    assert emails(mail_dir, databases["celery"]) == expected_mail
