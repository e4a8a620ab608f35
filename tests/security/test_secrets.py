"""Secrets (the database password, the SMTP password) never appear in logs, task summaries,
stored errors or error messages — in a normal cycle and when the database or the SMTP login fails.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import subprocess
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import cycle
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from newswatch.alerts.run import match_and_enqueue
from newswatch.alerts.sender import send_pending
from newswatch.cli import main
from newswatch.store.engine import make_engine
from newswatch.store.schema import alerts
from newswatch.topics.config import load_topics
from sqlalchemy import select
from sqlalchemy.engine import make_url

DB_SECRET = "Db-S3cret-7f1c"  # noqa: S105 - the secret under test
SMTP_SECRET = "Smtp-S3cret-92ab"  # noqa: S105
WORKER = Path(__file__).resolve().parents[1] / "reliability" / "worker.py"


class _Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter("%(name)s %(message)s").format(record))


@contextmanager
def all_logs() -> Iterator[list[str]]:
    """Every record any logger emits at DEBUG and above, formatted with its traceback."""
    handler, root = _Everything(), logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(old)


def test_database_password_stays_out_of_logs_summaries_and_errors(
    db_url: str, tmp_path: Path, newsroom, topics_file: Path, sink: cycle.MailSink,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has no password")
    url = make_url(db_url)
    with_secret = url.set(password=DB_SECRET).render_as_string(hide_password=False)  # trust auth ignores it
    unreachable = url.set(password=DB_SECRET, port=1).render_as_string(hide_password=False)
    sources = cycle.write_sources(tmp_path / "sources.yaml", newsroom.base_urls)
    outputs: list[str] = []
    with all_logs() as lines:
        settings = cycle.settings_from(cycle.environment(with_secret, sources, topics_file))
        outputs.append(json.dumps([s.as_dict() for s in cycle.ingest(settings)], default=str))
        outputs.append(json.dumps(cycle.alerts(settings, sink.port), default=str))
        broken = cycle.settings_from(cycle.environment(unreachable, sources, topics_file))
        with pytest.raises(Exception) as caught:
            cycle.ingest(broken)
        outputs.append(str(caught.value) + "".join(traceback.format_exception(caught.value)))
        monkeypatch.setenv("NEWSWATCH_DATABASE_URL", unreachable)
        for argv in (["stats"], ["search", "korea"], ["show", "1"]):
            try:
                main(argv)
            except SystemExit:
                pass
            out, err = capsys.readouterr()
            outputs.append(out + err)
    env = {**os.environ, **cycle.environment(unreachable, sources, topics_file)}
    proc = subprocess.run([sys.executable, str(WORKER), "ingest"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode != 0
    outputs.append(proc.stdout + proc.stderr)
    assert any("database error" in o or "connection" in o.lower() for o in outputs[3:])  # errors did happen
    for text in [*outputs, *lines]:
        assert DB_SECRET not in text, text[:2000]
    assert len(lines) > 10


class _RefusingAuth:
    def __call__(self, server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        return AuthResult(success=False, handled=False)


def test_smtp_password_stays_out_of_logs_outbox_and_summaries(
    db_url: str, tmp_path: Path, newsroom, topics_file: Path  # type: ignore[no-untyped-def]
) -> None:
    sources = cycle.write_sources(tmp_path / "sources.yaml", newsroom.base_urls)
    settings = cycle.settings_from(cycle.environment(db_url, sources, topics_file))
    cycle.ingest(settings)
    port = cycle.free_port()
    controller = Controller(cycle._Handler(), hostname="127.0.0.1", port=port, authenticator=_RefusingAuth(),
                            auth_require_tls=False, auth_required=True)
    controller.start()

    def connect() -> smtplib.SMTP:
        client = smtplib.SMTP("127.0.0.1", port, timeout=10)
        client.login("newswatch", SMTP_SECRET)
        return client

    engine = make_engine(db_url)
    now = datetime.now(UTC)
    try:
        with all_logs() as lines:
            match_and_enqueue(engine, load_topics(topics_file).topics, now=now, settings=settings)
            summary = send_pending(engine, connect, now=now, worker_id="w", settings=settings)
        with engine.connect() as conn:
            stored = [r.last_error or "" for r in conn.execute(select(alerts.c.last_error))]
    finally:
        engine.dispose()
        controller.stop()
    assert summary["sent"] == 0 and summary["retry"] >= 1, summary
    assert any("535" in e or "uthentication" in e for e in stored), stored  # the failure is recorded
    for text in [json.dumps(summary), *stored, *lines]:
        assert SMTP_SECRET not in text, text[:2000]


@pytest.mark.airflow
def test_smtp_password_from_the_airflow_connection_stays_out_of_logs_and_outbox(
    db_url: str, tmp_path: Path, newsroom, topics_file: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    """The production path: the Airflow SMTP connection (with its password) through the hook."""
    from newswatch.airflow.tasks import smtp_connector

    sources = cycle.write_sources(tmp_path / "sources.yaml", newsroom.base_urls)
    settings = cycle.settings_from(cycle.environment(db_url, sources, topics_file))
    cycle.ingest(settings)
    port = cycle.free_port()
    controller = Controller(cycle._Handler(), hostname="127.0.0.1", port=port, authenticator=_RefusingAuth(),
                            auth_require_tls=False, auth_required=True)
    controller.start()
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", json.dumps({
        "conn_type": "smtp", "host": "127.0.0.1", "port": port, "login": "newswatch", "password": SMTP_SECRET,
        "extra": {"disable_tls": True, "disable_ssl": True, "retry_limit": 1, "timeout": 5},
    }))
    engine = make_engine(db_url)
    now = datetime.now(UTC)
    try:
        with all_logs() as lines:
            match_and_enqueue(engine, load_topics(topics_file).topics, now=now, settings=settings)
            summary = send_pending(
                engine, smtp_connector(settings), now=now, worker_id="w", settings=settings
            )
        with engine.connect() as conn:
            stored = [r.last_error or "" for r in conn.execute(select(alerts.c.last_error))]
    finally:
        engine.dispose()
        controller.stop()
    assert summary["sent"] == 0 and summary["retry"] >= 1, summary
    assert any("535" in e or "uthentication" in e for e in stored), stored
    for text in [json.dumps(summary), *stored, *lines]:
        assert SMTP_SECRET not in text, text[:2000]
