"""Run real Airflow components (api-server, scheduler, dag-processor, Celery workers) as processes.

Shared by the CeleryExecutor test and the cycle benchmark: both need the real scheduler path, not
``dag.test()``, to see what Airflow really costs and how it distributes work. Every component gets
the same temporary ``AIRFLOW_HOME``, JWT secret and Fernet key, writes its output to a file in the
cluster's log directory, and runs in its own process group so that :meth:`AirflowCluster.stop` can
end it (SIGTERM, then SIGKILL) with everything it forked, even when a test fails half-way.

Runs are driven through the ``airflow`` CLI (unpause, trigger) and observed by reading the metadata
database directly (run and task instance states, timings, worker hostnames): no login needed.
This module never imports Airflow; it only starts it.
"""

from __future__ import annotations

import base64
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from newswatch.errors import NewswatchError
from newswatch.settings import PROJECT_ROOT

AIRFLOW = str(Path(sys.executable).with_name("airflow"))
FINISHED = ("success", "failed")


class ClusterError(NewswatchError, RuntimeError):
    """A component did not start or a run did not finish; the message names the log to read."""

    kind = "cluster"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def base_environment(home: Path, metadata_url: str, executor: str, api_port: int) -> dict[str, str]:
    """The Airflow environment every component shares (secrets generated once per cluster)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": executor,
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__FERNET_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(64),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{api_port}",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
    })
    return env


@dataclass
class AirflowCluster:
    """Airflow components of one temporary home; a context manager that always stops them."""

    home: Path
    env: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def log_dir(self) -> Path:
        path = self.home / "component-logs"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.env['AIRFLOW__API__PORT']}"

    def __enter__(self) -> AirflowCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def cli(self, *args: str, timeout: float = 120) -> str:
        """Run an ``airflow`` command; its output, or ClusterError with the tail of it."""
        proc = subprocess.run([AIRFLOW, *args], env=self.env, capture_output=True, text=True,
                              timeout=timeout, check=False)
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-25:])
            raise ClusterError(f"airflow {' '.join(args)} failed ({proc.returncode}):\n{tail}")
        return proc.stdout

    def start(self, name: str, *args: str, extra_env: Mapping[str, str] | None = None) -> None:
        """Start ``airflow <args>`` in its own process group, output to ``<log_dir>/<name>.log``."""
        log = (self.log_dir / f"{name}.log").open("ab")
        env = {**self.env, **(extra_env or {})}
        self.processes[name] = subprocess.Popen(
            [AIRFLOW, *args], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()

    def check_alive(self) -> None:
        for name, proc in self.processes.items():
            if proc.poll() is not None:
                raise ClusterError(f"{name} exited with {proc.returncode}; see {self.log_dir / name}.log")

    def wait_for_api(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                with urllib.request.urlopen(f"{self.api_url}/api/v2/monitor/health", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.5)
        raise ClusterError(f"the api-server did not answer in {seconds:.0f} s; see {self.log_dir}")

    def stop(self, grace: float = 20) -> None:
        """SIGTERM every process group, wait up to ``grace`` seconds, then SIGKILL what is left."""
        for proc in self.processes.values():
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in self.processes.values():
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                pass
            _signal_group(proc, signal.SIGKILL)  # also children that outlived their parent
            proc.wait()
        self.processes.clear()

    # --- the metadata database -----------------------------------------------------------------

    def metadata(self, sql: str, **params: object) -> list[dict]:
        engine = create_engine(self.env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
        try:
            with engine.connect() as conn:
                return [dict(row) for row in conn.execute(text(sql), params).mappings()]
        finally:
            engine.dispose()

    def wait_for_dags(self, dag_ids: list[str], seconds: float = 180) -> None:
        """Wait until the dag-processor has serialized every DAG (triggering needs that)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                rows = self.metadata("select dag_id from serialized_dag")
            except Exception:  # tables not there yet
                rows = []
            if set(dag_ids) <= {r["dag_id"] for r in rows}:
                return
            time.sleep(1)
        raise ClusterError(f"DAGs {dag_ids} were not parsed in {seconds:.0f} s; see dag-processor.log")

    def runs(self, dag_id: str) -> list[dict]:
        return self.metadata(
            "select run_id, state, run_type, queued_at, start_date, end_date from dag_run "
            "where dag_id = :dag_id order by id", dag_id=dag_id)

    def wait_for_runs(self, dag_id: str, count: int, seconds: float) -> list[dict]:
        """Wait until ``dag_id`` has ``count`` finished runs; return all its runs."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.check_alive()
            runs = self.runs(dag_id)
            if sum(r["state"] in FINISHED for r in runs) >= count:
                return runs
            time.sleep(0.5)
        raise ClusterError(f"{dag_id}: {count} run(s) did not finish in {seconds:.0f} s: {self.runs(dag_id)}")

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        return self.metadata(
            "select task_id, map_index, state, try_number, hostname, scheduled_dttm, queued_dttm, "
            "start_date, end_date, duration from task_instance where dag_id = :dag_id and run_id = :run_id "
            "order by start_date", dag_id=dag_id, run_id=run_id)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def seconds_between(start: datetime | None, end: datetime | None) -> float:
    if start is None or end is None:
        return 0.0
    return (end - start).total_seconds()
