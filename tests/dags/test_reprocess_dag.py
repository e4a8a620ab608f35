"""The reprocess DAG's ``since`` param reads like every other time range (``2w``, ``12h``, an ISO
date), through a real ``dag.test()`` run on both databases; a bad value fails the task."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_since_param_reads_durations_dates_and_blank() -> None:
    from newswatch.airflow.tasks import since_param

    assert since_param("2w", NOW) == NOW - timedelta(weeks=2)
    assert since_param("90m", NOW) == NOW - timedelta(minutes=90)
    assert since_param("2026-11-01", NOW) == datetime(2026, 11, 1, tzinfo=UTC)
    assert since_param(None, NOW) is None and since_param("  ", NOW) is None


@pytest.fixture
def reprocess_dag(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils import db

    sources = tmp_path / "sources.yaml"
    sources.write_text("sources: []\n")
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", db_url)
    monkeypatch.setenv("NEWSWATCH_SOURCES_FILE", str(sources))
    monkeypatch.setenv("NEWSWATCH_TASK_RETRIES", "0")  # a bad param fails at once, no retry delay
    db.resetdb()
    bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags" / "newswatch_reprocess.py"))
    assert bag.import_errors == {}
    return bag.dags["newswatch_reprocess"]


def _state(dag, since: str) -> str:  # type: ignore[no-untyped-def]
    run = dag.test(run_conf={"since": since, "source": None})
    (ti,) = run.get_task_instances()
    return str(ti.state)


def test_two_weeks_is_a_valid_since_and_nonsense_fails_the_task(reprocess_dag) -> None:  # type: ignore[no-untyped-def]
    assert _state(reprocess_dag, "2w").endswith("success")
    assert _state(reprocess_dag, "a fortnight").endswith("failed")
