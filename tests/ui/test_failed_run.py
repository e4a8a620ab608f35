"""A failed source makes the ingest run red where an operator looks first: the run's state in
Airflow's REST API, "Failed Dags" on Home and the DAG list filtered to failed runs, in Chromium.

The run is a real ``airflow dags test`` of ``newswatch_ingest`` (one healthy demo outlet, one host
that is down) written to the Airflow database a real api-server then serves.
"""

from __future__ import annotations

import json
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from airflow_server import AIRFLOW_BIN, PROJECT_ROOT, environment, stop, wait_healthy
from cdp import Browser, find_chromium
from newswatch.demo.cluster import free_port
from newswatch.demo.site import Newsroom

pytestmark = [pytest.mark.airflow, pytest.mark.slow]


@dataclass(frozen=True)
class FailedRun:
    base_url: str
    password: str


@pytest.fixture(scope="module")
def failed_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FailedRun]:
    home = tmp_path_factory.mktemp("failed-run-home")
    newsroom = Newsroom([0, 0, 0])
    sources = home / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - name: straits-daily\n    feed: {newsroom.base_urls['straits']}/rss.xml\n"
        f"  - name: dead-gazette\n    feed: http://127.0.0.1:{free_port()}/feed.xml\n"
    )
    env = environment(home, secrets.token_urlsafe(64), f"sqlite:///{home / 'newswatch.db'}")
    env.update({
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "NEWSWATCH_SOURCES_FILE": str(sources),
        "NEWSWATCH_TOPICS_FILE": str(PROJECT_ROOT / "config" / "topics.yaml"),
        "NEWSWATCH_ALLOWED_NETWORKS": "127.0.0.1/32",
        "NEWSWATCH_PER_DOMAIN_DELAY": "0",
        "NEWSWATCH_TASK_RETRIES": "0",
    })
    process = None
    try:
        migrate = [str(AIRFLOW_BIN), "db", "migrate"]
        subprocess.run(migrate, env=env, check=True, capture_output=True, timeout=300)
        tested = subprocess.run([str(AIRFLOW_BIN), "dags", "test", "newswatch_ingest"], env=env,
                                capture_output=True, text=True, timeout=600)
        assert "dead-gazette" in tested.stdout + tested.stderr
        port = free_port()
        log_path = home / "api-server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [str(AIRFLOW_BIN), "api-server", "--host", "127.0.0.1", "--port", str(port)],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        base_url = f"http://127.0.0.1:{port}"
        wait_healthy(base_url, process, log_path)
        passwords = json.loads((home / "simple_auth_manager_passwords.json.generated").read_text())
        yield FailedRun(base_url, passwords["admin"])
    finally:
        if process is not None:
            stop(process)
        newsroom.close()


def _api(run: FailedRun, path: str) -> dict:  # type: ignore[type-arg]
    token = requests.post(f"{run.base_url}/auth/token", json={"username": "admin", "password": run.password},
                          timeout=30).json()["access_token"]
    response = requests.get(f"{run.base_url}/api/v2{path}", headers={"Authorization": f"Bearer {token}"},
                            timeout=30)
    response.raise_for_status()
    return dict(response.json())


def test_the_run_is_failed_in_the_rest_api(failed_run: FailedRun) -> None:
    (run,) = _api(failed_run, "/dags/newswatch_ingest/dagRuns")["dag_runs"]
    assert run["state"] == "failed"
    tis = _api(failed_run, f"/dags/newswatch_ingest/dagRuns/{run['dag_run_id']}/taskInstances")
    states = {(ti["task_id"], ti["rendered_map_index"]): ti["state"] for ti in tis["task_instances"]}
    assert states[("ingest", "dead-gazette")] == "failed"
    assert states[("ingest", "straits-daily")] == "success"
    assert states[("summarize", None)] == "success"  # the Asset was updated all the same
    assert states[("check", None)] == "failed"
    failed = _api(failed_run, "/dags?last_dag_run_state=failed")
    assert [d["dag_id"] for d in failed["dags"]] == ["newswatch_ingest"]


@pytest.fixture(scope="module")
def screen(failed_run: FailedRun) -> Iterator[Browser]:
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium); browser tests need it")
    browser = Browser(chromium, width=1400, height=900)
    try:
        browser.goto(f"{failed_run.base_url}/")
        browser.wait_for("document.querySelector('input[name=password]')", 60)
        browser.type_into("input[name=username]", "admin")
        browser.type_into("input[name=password]", failed_run.password)
        browser.evaluate("document.querySelector('button[type=submit]').click()")
        browser.wait_for("!location.pathname.startsWith('/auth') && document.readyState === 'complete'", 60)
        yield browser
    finally:
        browser.close()


def test_home_counts_the_failed_dag_and_the_list_shows_it(
    screen: Browser, failed_run: FailedRun, artifacts: Path
) -> None:
    screen.goto(f"{failed_run.base_url}/")
    screen.wait_for("document.body.innerText.includes('Failed Dags')", 60)
    home = str(screen.evaluate("document.body.innerText"))
    assert "1 Failed Dags" in " ".join(home.split()) or "Failed Dags\n1" in home, home[:2000]
    screen.screenshot(artifacts / "20-home-failed-dags.png")
    screen.goto(f"{failed_run.base_url}/dags?last_dag_run_state=failed")
    screen.wait_for("document.body.innerText.includes('newswatch_ingest')", 60)
    listed = str(screen.evaluate("document.body.innerText"))
    assert "newswatch_alerts" not in listed  # only the failed DAG is listed under "failed"
    screen.screenshot(artifacts / "21-dag-list-failed.png")
