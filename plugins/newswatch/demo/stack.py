"""``make up`` / ``make down``: the Airflow UI and scheduler with the demo, in the background.

Airflow's components are started separately (``airflow standalone`` cannot be stopped reliably),
each in its own process group with its output in ``var/demo/logs/``; their process ids are kept
in ``var/demo/pids/`` so that ``make down`` stops exactly what ``make up`` started.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from newswatch.demo.environment import (
    DEFAULT_NEWSROOM_PORTS,
    DEFAULT_SMTP_PORT,
    DemoEnvironment,
    smtp_connection_json,
)
from newswatch.store.migrate import upgrade

COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")


def dag_ids(dags_folder: Path) -> list[str]:
    """Every newswatch DAG (each ``dags/newswatch_*.py`` defines the DAG of its own name)."""
    return sorted(path.stem for path in dags_folder.glob("newswatch_*.py"))


def unpaused_env(env: dict[str, str]) -> dict[str, str]:
    """The demo's environment with DAGs created unpaused: all of them run, maintenance included."""
    return {**env, "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False"}


def _pid_dir(demo: DemoEnvironment) -> Path:
    path = demo.demo_dir / "pids"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _secrets(demo: DemoEnvironment) -> dict[str, str]:
    """One JWT secret shared by all components, kept so a restart keeps sessions valid."""
    path = Path(demo.env["AIRFLOW_HOME"]) / "newswatch-secrets.json"
    if not path.exists():
        path.write_text(json.dumps({"AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(64)}))
        path.chmod(0o600)
    return json.loads(path.read_text())


def _spawn(demo: DemoEnvironment, name: str, args: list[str]) -> None:
    log = (demo.log_dir / f"{name}.log").open("a")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=demo.env, start_new_session=True)
    (_pid_dir(demo) / f"{name}.pid").write_text(str(proc.pid))


def _wait_for(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback only)
                return True
        except OSError:
            time.sleep(1)
    return False


def up() -> int:
    demo = DemoEnvironment.for_project()
    demo.env.update(_secrets(demo))
    demo.env.update(unpaused_env(demo.env))
    demo.env.setdefault("AIRFLOW_CONN_SMTP_DEFAULT", smtp_connection_json(DEFAULT_SMTP_PORT))
    if not demo.phase_file.exists():
        demo.phase_file.write_text("1")
    upgrade(demo.env["NEWSWATCH_DATABASE_URL"])
    airflow = str(Path(sys.executable).with_name("airflow"))
    subprocess.run([airflow, "db", "migrate"], env=demo.env, check=True, capture_output=True)
    python = sys.executable
    _spawn(demo, "newsroom", [python, "-m", "newswatch.demo.site", "--ports", DEFAULT_NEWSROOM_PORTS,
                              "--phase-file", str(demo.phase_file)])
    _spawn(demo, "mailcatcher", [python, "-m", "newswatch.demo.mailcatcher", "--port", DEFAULT_SMTP_PORT,
                                 "--dir", str(demo.mail_dir)])
    for component in COMPONENTS:
        _spawn(demo, component, [airflow, component])
    port = demo.env.get("AIRFLOW__API__PORT", "8080")
    if not _wait_for(f"http://127.0.0.1:{port}/api/v2/monitor/health", 90):
        print(f"the api-server did not answer; see {demo.log_dir}/api-server.log", file=sys.stderr)
        return 1
    # New DAGs are created unpaused; ones an earlier `make up` left paused are unpaused here.
    for dag_id in dag_ids(Path(demo.env["AIRFLOW__CORE__DAGS_FOLDER"])):
        subprocess.run([airflow, "dags", "unpause", dag_id], env=demo.env, capture_output=True)
    print(f"Airflow UI:  http://127.0.0.1:{port}   login: {_login(demo)}")
    print(f"Newsroom:    127.0.0.1 ports {DEFAULT_NEWSROOM_PORTS}; mail kept in var/mail/")
    print(f"Logs:        {demo.log_dir}    stop with: make down")
    return 0


def _login(demo: DemoEnvironment) -> str:
    """The SimpleAuthManager user and password Airflow generated (kept in its home)."""
    passwords = Path(demo.env["AIRFLOW_HOME"]) / "simple_auth_manager_passwords.json.generated"
    if not passwords.exists():
        return "see var/demo/logs/api-server.log"
    users = json.loads(passwords.read_text())
    return ", ".join(f"user {user} / password {password}" for user, password in users.items())


def down() -> int:
    demo = DemoEnvironment.for_project()
    pid_files = sorted(_pid_dir(demo).glob("*.pid"))
    for pid_file in pid_files:
        pid = int(pid_file.read_text())
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            pid_file.unlink()
    deadline = time.monotonic() + 20
    for pid_file in pid_files:
        if not pid_file.exists():
            continue
        pid = int(pid_file.read_text())
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.5)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
        pid_file.unlink()
        print(f"stopped {pid_file.stem}")
    return 0


def _alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "up"
    sys.exit({"up": up, "down": down}[command]())
