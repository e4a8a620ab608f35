"""DAG integrity: every DAG imports cleanly, follows the house rules, and parses fast and offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.airflow

DAGS_FOLDER = Path(__file__).resolve().parents[2] / "dags"
DAG_FILES = sorted(p for p in DAGS_FOLDER.glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def dagbag():  # type: ignore[no-untyped-def]
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))


def test_no_import_errors(dagbag) -> None:  # type: ignore[no-untyped-def]
    assert dagbag.import_errors == {}
    assert {"newswatch_ingest", "newswatch_alerts"} <= set(dagbag.dags)


def test_every_dag_follows_the_house_rules(dagbag) -> None:  # type: ignore[no-untyped-def]
    for dag_id, dag in dagbag.dags.items():
        assert dag.tags and "newswatch" in dag.tags, dag_id
        assert dag.doc_md and dag.doc_md.strip(), dag_id
        assert dag.catchup is False, dag_id
        assert dag.max_active_runs == 1, dag_id
        assert dag.owner and dag.owner != "airflow", dag_id
        for task in dag.tasks:
            if task.task_id in ("summarize", "check"):
                continue  # a sum over XComs, a verdict on the run: retrying either cannot help
            assert task.retries >= 2, f"{dag_id}.{task.task_id} retries={task.retries}"
            assert task.retry_exponential_backoff, f"{dag_id}.{task.task_id}"
            assert task.execution_timeout is not None, f"{dag_id}.{task.task_id}"


# Runs each DAG file in a fresh interpreter with sockets disabled, timing the file alone
# (``import airflow`` itself is paid before the clock starts).
_PARSE_PROBE = r"""
import socket, sys, time, runpy
import airflow.sdk  # noqa: F401  (paid before timing)
def _refuse(*a, **k):
    raise AssertionError("DAG file opened a socket at parse time")
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
start = time.perf_counter()
runpy.run_path(sys.argv[1])
print(time.perf_counter() - start)
"""


@pytest.mark.parametrize("dag_file", DAG_FILES, ids=[p.name for p in DAG_FILES])
def test_dag_file_parses_quickly_without_network(dag_file: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PARSE_PROBE, str(dag_file)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seconds = float(result.stdout.strip().splitlines()[-1])
    assert seconds < 1.0, f"{dag_file.name} took {seconds:.2f} s to parse"
