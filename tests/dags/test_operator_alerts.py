"""A source that fails turns its own task instance red and e-mails the operators (SmtpNotifier)."""

from __future__ import annotations

import email
import email.policy
import socket
from pathlib import Path

import pytest
from newswatch.demo import mailcatcher
from newswatch.demo.environment import smtp_connection_json
from newswatch.demo.site import Newsroom

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when this returns: nothing listens


def test_failed_source_task_emails_the_operators(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils import db

    newsroom = Newsroom([0, 0, 0])
    smtp = mailcatcher.start(tmp_path / "mail")
    dead = _closed_port()
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - name: straits-daily\n    feed: {newsroom.base_urls['straits']}/rss.xml\n"
        f"  - name: dead-gazette\n    feed: http://127.0.0.1:{dead}/feed.xml\n"
    )
    for key, value in {
        "NEWSWATCH_SOURCES_FILE": str(sources),
        "NEWSWATCH_TOPICS_FILE": str(PROJECT_ROOT / "config" / "topics.yaml"),
        "NEWSWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'articles.db'}",
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
        run = bag.dags["newswatch_ingest"].test()
        states = {(ti.task_id, ti.rendered_map_index): str(ti.state) for ti in run.get_task_instances()}
    finally:
        smtp.stop()
        newsroom.close()

    assert states[("ingest", "dead-gazette")].endswith("failed")
    assert states[("ingest", "straits-daily")].endswith("success")
    assert states[("summarize", None)].endswith("success")  # the cycle goes on
    messages = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for p in sorted((tmp_path / "mail").glob("*.eml"))
    ]
    assert len(messages) == 1, [m["Subject"] for m in messages]
    notice = messages[0]
    assert notice["To"] == "ops@example.com" and "dead-gazette" in notice["Subject"]
    html = notice.get_body(("html",)).get_content()
    # the host is down: its robots.txt cannot be read either, which the fetcher reports first
    assert ("error_kind=robots_unavailable" in html or "error_kind=connection" in html), html
    assert "dead-gazette" in html and "Open the log" in html
