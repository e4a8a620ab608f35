"""A failed source: its own task instance red with its error as the last log line, the operators
e-mailed once, the run failed (visible in the DAG list), the other source's articles kept and the
Asset updated all the same."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import pytest
from newswatch.demo import mailcatcher
from newswatch.demo.cluster import free_port
from newswatch.demo.environment import smtp_connection_json
from newswatch.demo.site import Newsroom
from newswatch.store import schema
from newswatch.store.engine import make_engine
from sqlalchemy import func, select

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _exit_lines(output: str) -> list[str]:
    """Airflow's own ``Task exited`` lines, in order (each carries the failure's exit code)."""
    return [line for line in (_ANSI.sub("", raw) for raw in output.splitlines()) if "Task exited" in line]


def _task_messages(caplog: pytest.LogCaptureFixture, output: str) -> list[str]:
    """What the task code logged at WARNING and above, in order (Airflow sends it to the captured
    log or, on the process's first dag.test(), straight to stdout)."""
    records = [r.getMessage() for r in caplog.records if r.name == "newswatch.airflow.tasks"]
    return records or [line for line in output.splitlines() if "[newswatch.airflow.tasks]" in line]


def test_a_failed_source_fails_the_run_ends_its_log_with_the_error_and_keeps_the_rest(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils import db

    newsroom = Newsroom([0, 0, 0])
    smtp = mailcatcher.start(tmp_path / "mail")
    dead = free_port()
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - name: straits-daily\n    feed: {newsroom.base_urls['straits']}/rss.xml\n"
        f"  - name: dead-gazette\n    feed: http://127.0.0.1:{dead}/feed.xml\n"
    )
    database = tmp_path / "articles.db"
    for key, value in {
        "NEWSWATCH_SOURCES_FILE": str(sources),
        "NEWSWATCH_TOPICS_FILE": str(PROJECT_ROOT / "config" / "topics.yaml"),
        "NEWSWATCH_DATABASE_URL": f"sqlite:///{database}",
        "NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.1/32",
        "NEWSWATCH_PER_DOMAIN_DELAY": "0",
        "NEWSWATCH_OPERATOR_EMAILS": "ops@example.com",
        "NEWSWATCH_MAIL_FROM": "newswatch@example.com",
        "NEWSWATCH_TASK_RETRIES": "0",  # fail for good at once (the callback fires on final failure)
        "AIRFLOW_CONN_SMTP_DEFAULT": smtp_connection_json(smtp.port),
    }.items():
        monkeypatch.setenv(key, value)
    try:
        db.resetdb()
        bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags" / "newswatch_ingest.py"))
        assert bag.import_errors == {}
        capfd.readouterr()
        run = bag.dags["newswatch_ingest"].test()
        output = capfd.readouterr().out
        states = {(ti.task_id, ti.rendered_map_index): str(ti.state) for ti in run.get_task_instances()}
        events = _asset_events()
    finally:
        smtp.stop()
        newsroom.close()

    # The run is red (DAG list, Home) while the healthy source's work is kept and the Asset updated.
    assert states[("ingest", "dead-gazette")].endswith("failed")
    assert states[("ingest", "straits-daily")].endswith("success")
    assert states[("summarize", None)].endswith("success")
    assert states[("check", None)].endswith("failed")
    assert str(run.state).endswith("failed")
    assert events == 1
    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(schema.articles)).scalar_one() > 0
    finally:
        engine.dispose()

    # Each failed task's log ends with its short line: the source's task, then the check.
    exits = _exit_lines(output)
    assert len(exits) == 2, exits
    short = re.search(
        r"source 'dead-gazette' failed: error_kind=(connection|robots_unavailable): [^\"]+", exits[0]
    )
    assert short, exits[0]
    assert len(short.group(0)) <= 250  # one line, not the whole urllib3 story
    assert "error_kind=run_failed: 1 of 2 ingest instance(s) failed: dead-gazette" in exits[1]
    assert "Traceback" not in output and "Task failed with exception" not in output
    messages = _task_messages(caplog, output)
    mine = [m for m in messages if "dead-gazette" in m and "run_failed" not in m and "instances:" not in m]
    assert short.group(0) in mine[-1]  # the task's own last line is the short one …
    assert len(mine) >= 2 and len(mine[0]) > len(mine[-1])  # … with the full detail above it

    # The operators hear once, from the source's task (the check adds no second notice).
    messages = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for p in sorted((tmp_path / "mail").glob("*.eml"))
    ]
    assert len(messages) == 1, [m["Subject"] for m in messages]
    notice = messages[0]
    assert notice["To"] == "ops@example.com" and "dead-gazette" in notice["Subject"]
    html = notice.get_body(("html",)).get_content()
    assert short.group(0).split(": ", 2)[1] in html, html  # error_kind=… as the log says
    assert "dead-gazette" in html and "Open the log" in html


def _asset_events() -> int:
    from airflow.models.asset import AssetEvent
    from airflow.utils.session import create_session

    with create_session() as session:
        return int(session.scalar(select(func.count()).select_from(AssetEvent)) or 0)
