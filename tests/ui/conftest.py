"""A real Airflow api-server with the newswatch plugin, over a seeded article database.

Started once per session in a private AIRFLOW_HOME (SQLite metadata, SimpleAuthManager with an
admin and a viewer, a known JWT secret so tests can forge tokens with it), and stopped with
SIGTERM at the end. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import ui_seed

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AIRFLOW_BIN = Path(sys.executable).with_name("airflow")
STARTUP_SECONDS = 120
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "ui"


@dataclass(frozen=True)
class AirflowUI:
    base_url: str
    jwt_secret: str
    passwords: dict[str, str]
    news_db_url: str
    seeded: dict
    log_path: Path

    def token(self, username: str = "admin") -> str:
        """A real token from Airflow's own ``POST /auth/token``."""
        response = requests.post(f"{self.base_url}/auth/token", timeout=30,
                                 json={"username": username, "password": self.passwords[username]})
        response.raise_for_status()
        return str(response.json()["access_token"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(home: Path, secret: str, news_db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NEWSWATCH_"))}
    empty_dags = home / "dags"
    empty_dags.mkdir(exist_ok=True)
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(empty_dags),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin,viewer:viewer",
        "AIRFLOW__API_AUTH__JWT_SECRET": secret,
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "NEWSWATCH_DATABASE_URL": news_db_url,
    })
    return env


def _sources_file(home: Path) -> Path:
    """The seeded sources as configured sources, so the page applies the maintenance checks."""
    path = home / "sources.yaml"
    path.write_text("sources:\n" + "".join(
        f"  - name: {name}\n    feed: https://{name}.example/rss.xml\n"
        for name in ("good-wire", "broken-gazette", "sleepy-times", "brand-new")))  # brand-new never ran
    return path


def _wait_healthy(base_url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"airflow api-server exited: {log_path.read_text()[-3000:]}")
        try:
            if requests.get(f"{base_url}/api/v2/monitor/health", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    tail = log_path.read_text()[-3000:]
    raise RuntimeError(f"airflow api-server not healthy in {STARTUP_SECONDS}s: {tail}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="session")
def airflow_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AirflowUI]:
    from newswatch.store.engine import make_engine
    from newswatch.store.migrate import upgrade

    home = tmp_path_factory.mktemp("airflow-ui-home")
    news_db_url = f"sqlite:///{home / 'newswatch.db'}"
    upgrade(news_db_url)
    engine = make_engine(news_db_url)
    seeded = ui_seed.seed(engine)
    engine.dispose()
    secret = secrets.token_urlsafe(64)
    env = _environment(home, secret, news_db_url)
    env["NEWSWATCH_SOURCES_FILE"] = str(_sources_file(home))
    subprocess.run([str(AIRFLOW_BIN), "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    port = free_port()
    log_path = home / "api-server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(AIRFLOW_BIN), "api-server", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_healthy(base_url, process, log_path)
        passwords = json.loads((home / "simple_auth_manager_passwords.json.generated").read_text())
        yield AirflowUI(base_url, secret, passwords, news_db_url, seeded, log_path)
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
