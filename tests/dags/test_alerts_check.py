"""The alerts run fails, visibly, when an alert ends ``failed``: the e-mail that did not go out is
a red run in the DAG list, with the command to look and requeue as the check's last log line."""

from __future__ import annotations

from pathlib import Path

import pytest
from newswatch.demo.cluster import free_port
from newswatch.demo.environment import smtp_connection_json
from newswatch.demo.site import Newsroom
from newswatch.store import schema
from newswatch.store.engine import make_engine
from sqlalchemy import select

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_an_alert_that_ends_failed_fails_the_alerts_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils import db

    newsroom = Newsroom([0, 0, 0])
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        f"sources:\n  - name: straits-daily\n    feed: {newsroom.base_urls['straits']}/rss.xml\n"
    )
    database_url = f"sqlite:///{tmp_path / 'articles.db'}"
    for key, value in {
        "NEWSWATCH_SOURCES_FILE": str(sources),
        "NEWSWATCH_TOPICS_FILE": str(PROJECT_ROOT / "config" / "topics.yaml"),
        "NEWSWATCH_DATABASE_URL": database_url,
        "NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.1/32",
        "NEWSWATCH_PER_DOMAIN_DELAY": "0",
        "NEWSWATCH_ALERT_MAX_ATTEMPTS": "1",  # the mail server is down: give up on the first try
        "AIRFLOW_CONN_SMTP_DEFAULT": smtp_connection_json(free_port()),
    }.items():
        monkeypatch.setenv(key, value)
    try:
        db.resetdb()
        bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags"))
        assert bag.import_errors == {}
        ingest = bag.dags["newswatch_ingest"].test()
        alerts = bag.dags["newswatch_alerts"].test()
        states = {ti.task_id: str(ti.state) for ti in alerts.get_task_instances()}
    finally:
        newsroom.close()

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            statuses = conn.execute(select(schema.alerts.c.status)).scalars().all()
    finally:
        engine.dispose()
    assert str(ingest.state).endswith("success")  # every source healthy: the check passes
    assert statuses and set(statuses) == {"failed"}
    assert states["send"].endswith("success")  # sending itself worked as designed …
    assert states["check"].endswith("failed")  # … and the check makes the failed e-mail visible
    assert str(alerts.state).endswith("failed")
