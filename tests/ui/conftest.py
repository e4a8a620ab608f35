"""A real Airflow api-server with the newswatch plugin, over a seeded article database.

Started once per session in a private AIRFLOW_HOME (SQLite metadata, SimpleAuthManager with an
admin and a viewer, a known JWT secret so tests can forge tokens with it), and stopped with
SIGTERM at the end. Everything listens on 127.0.0.1 only.
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
import ui_seed
from airflow_server import AIRFLOW_BIN, PROJECT_ROOT, environment, stop, wait_healthy
from newswatch.demo.cluster import free_port

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


def _sources_file(home: Path) -> Path:
    """The seeded sources as configured sources, so the page applies the maintenance checks."""
    path = home / "sources.yaml"
    path.write_text("sources:\n" + "".join(
        f"  - name: {name}\n    feed: https://{name}.example/rss.xml\n"
        for name in ("good-wire", "broken-gazette", "sleepy-times", "brand-new")))  # brand-new never ran
    return path


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
    env = environment(home, secret, news_db_url)
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
        wait_healthy(base_url, process, log_path)
        passwords = json.loads((home / "simple_auth_manager_passwords.json.generated").read_text())
        yield AirflowUI(base_url, secret, passwords, news_db_url, seeded, log_path)
    finally:
        stop(process)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
