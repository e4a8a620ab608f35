"""docker-compose.yml is checked as far as a file can be without a Docker engine."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

COMPOSE_FILE = Path(__file__).resolve().parents[1] / "docker-compose.yml"
EXPECTED_SERVICES = {
    "postgres", "redis", "mailpit", "airflow-init", "airflow-apiserver", "airflow-scheduler",
    "airflow-dag-processor", "airflow-triggerer", "airflow-worker",
}


def test_compose_file_passes_docker_compose_config() -> None:
    tool = shutil.which("docker-compose")
    if tool is None:
        pytest.skip("Debian's docker-compose is not installed (apt-get install docker-compose)")
    env = dict(os.environ, AIRFLOW_FERNET_KEY="test", AIRFLOW_JWT_SECRET="t" * 64)
    command = [tool, "-f", str(COMPOSE_FILE), "config", "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr


def test_compose_file_has_the_celery_topology() -> None:
    spec = yaml.safe_load(COMPOSE_FILE.read_text())
    assert EXPECTED_SERVICES <= set(spec["services"])
    worker_env = spec["services"]["airflow-worker"]["environment"]
    assert worker_env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert worker_env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
    assert worker_env["NEWSWATCH_DATABASE_URL"].startswith("postgresql")
