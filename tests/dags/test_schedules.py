"""Schedules read as operators read them, and every DAG runs from the start (demo and compose)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from newswatch.airflow.defaults import every_minutes
from newswatch.demo.stack import dag_ids, unpaused_env

pytestmark = pytest.mark.airflow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DAGS = PROJECT_ROOT / "dags"


def test_every_minutes_is_cron_where_cron_can_say_it() -> None:
    assert every_minutes(15) == "*/15 * * * *"
    assert every_minutes(1) == "* * * * *"
    assert every_minutes(60) == "@hourly"
    assert every_minutes(120) == "0 */2 * * *"
    assert every_minutes(1440) == "@daily"
    assert every_minutes(7 * 60) == timedelta(hours=7)  # no cron for "every 7 hours" from midnight
    with pytest.raises(ValueError):
        every_minutes(0)


def test_scheduled_dags_show_a_cron_expression_and_its_description() -> None:
    from airflow.dag_processing.dagbag import DagBag
    from airflow.serialization.serialized_objects import DagSerialization

    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    served = {
        dag_id: DagSerialization.from_dict(DagSerialization.to_dict(dag)) for dag_id, dag in bag.dags.items()
    }
    shown = {
        dag_id: (dag.timetable.summary, dag.timetable.description) for dag_id, dag in served.items()
    }  # as the UI
    assert shown["newswatch_ingest"] == ("*/15 * * * *", "Every 15 minutes")
    assert shown["newswatch_digest"][1] == "Every hour"
    assert shown["newswatch_maintenance"][1] == "At 00:00"
    for summary, _ in shown.values():
        assert "day" not in summary and not summary.startswith("0:"), shown
    assert dag_ids(DAGS) == sorted(bag.dags)  # make up's list is every DAG there is


def test_the_demo_environment_creates_every_dag_unpaused(tmp_path: Path) -> None:
    env = unpaused_env(
        {
            **os.environ,
            "AIRFLOW_HOME": str(tmp_path),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{tmp_path / 'airflow.db'}",
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        }
    )
    airflow = str(Path(sys.executable).with_name("airflow"))
    for command in (["db", "migrate"], ["dags", "reserialize"]):
        subprocess.run([airflow, *command], env=env, check=True, capture_output=True, timeout=300)
    listing = subprocess.run(
        [airflow, "dags", "list", "-o", "plain", "--columns", "dag_id,is_paused"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    rows = dict(line.split() for line in listing.splitlines() if line.startswith("newswatch_"))
    assert rows == dict.fromkeys(dag_ids(DAGS), "False")


def test_compose_creates_the_dags_unpaused() -> None:
    spec = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    for name in ("airflow-scheduler", "airflow-dag-processor", "airflow-apiserver"):
        assert spec["services"][name]["environment"]["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "False"
