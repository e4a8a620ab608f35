"""Where the demo keeps its state and how it starts its local services.

Shared by ``make run`` (one cycle) and ``make up`` (the long-running stack): the Airflow home,
the environment every Airflow command gets, the newsroom phase, and the newsroom and mail
catcher processes (all on 127.0.0.1).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from newswatch.settings import PROJECT_ROOT

DEFAULT_NEWSROOM_PORTS = "8701,8702,8703"
DEFAULT_SMTP_PORT = "8025"


def smtp_connection_json(port: int | str) -> str:
    """An Airflow connection for a plain loopback SMTP server (no TLS/SSL, as the hook defaults to both)."""
    return json.dumps(
        {
            "conn_type": "smtp",
            "host": "127.0.0.1",
            "port": int(port),
            "extra": {"disable_tls": True, "disable_ssl": True, "from_email": "newswatch@localhost",
                      "retry_limit": 1, "timeout": 10},
        }
    )


def airflow_environment(root: Path, base: dict[str, str]) -> dict[str, str]:
    """The environment for Airflow commands: a project-local home, no examples, small parallelism."""
    home = root / "var" / "airflow"
    env = dict(base)
    env.setdefault("AIRFLOW_HOME", str(home))
    env.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(root / "dags"))
    env.setdefault("AIRFLOW__CORE__PLUGINS_FOLDER", str(root / "plugins"))
    env.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    env.setdefault("AIRFLOW__CORE__EXECUTOR", "LocalExecutor")
    env.setdefault("AIRFLOW__CORE__PARALLELISM", "4")
    env.setdefault("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{home / 'airflow.db'}")
    env.setdefault("AIRFLOW__API__PORT", "8080")
    env.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "INFO")
    return env


@dataclass
class Services:
    newsroom_urls: dict[str, str]
    smtp_description: str
    own_smtp: bool
    processes: list[subprocess.Popen] = field(default_factory=list)


@dataclass
class DemoEnvironment:
    root: Path
    env: dict[str, str]

    @classmethod
    def for_project(cls, root: Path = PROJECT_ROOT) -> DemoEnvironment:
        env = airflow_environment(root, dict(os.environ))
        env.setdefault("NEWSWATCH_ALLOWED_NETWORKS", "127.0.0.1/32")
        env.setdefault("NEWSWATCH_PER_DOMAIN_DELAY", "0.05")
        env.setdefault("NEWSWATCH_SOURCES_FILE", str(root / "config" / "sources.yaml"))
        env.setdefault("NEWSWATCH_TOPICS_FILE", str(root / "config" / "topics.yaml"))
        env.setdefault("NEWSWATCH_DATABASE_URL", f"sqlite:///{root / 'var' / 'newswatch.db'}")
        env.setdefault("NEWSWATCH_TASK_RETRIES", "1")
        env.setdefault("NEWSWATCH_RETRY_DELAY_SECONDS", "2")
        demo = cls(root, env)
        for folder in (demo.demo_dir, demo.log_dir, demo.mail_dir, Path(env["AIRFLOW_HOME"])):
            folder.mkdir(parents=True, exist_ok=True)
        return demo

    @property
    def demo_dir(self) -> Path:
        return self.root / "var" / "demo"

    @property
    def log_dir(self) -> Path:
        return self.demo_dir / "logs"

    @property
    def mail_dir(self) -> Path:
        return self.root / "var" / "mail"

    @property
    def phase_file(self) -> Path:
        return self.demo_dir / "phase"

    def cycle_number(self) -> int:
        counter = self.demo_dir / "cycles"
        return int(counter.read_text()) if counter.exists() else 0

    def next_phase(self) -> int:
        """Count this cycle; the first cycle shows the original story, later ones its update."""
        cycle = self.cycle_number() + 1
        (self.demo_dir / "cycles").write_text(str(cycle))
        phase = 1 if cycle == 1 else 2
        self.phase_file.write_text(str(phase))
        return phase

    def _start(self, args: list[str], name: str) -> tuple[subprocess.Popen, str]:
        log = (self.log_dir / f"{name}.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", *args], stdout=subprocess.PIPE, stderr=log, text=True, env=self.env
        )
        line = proc.stdout.readline() if proc.stdout else ""
        if proc.poll() is not None or not line:
            raise SystemExit(f"{name} did not start; see {self.log_dir / (name + '.log')}")
        return proc, line.strip()

    @contextmanager
    def running_services(self) -> Iterator[Services]:
        """Start the newsroom (and a mail catcher unless ``smtp_default`` is configured)."""
        ports = self.env.get("NEWSWATCH_DEMO_PORTS", DEFAULT_NEWSROOM_PORTS)
        processes: list[subprocess.Popen] = []
        try:
            urls = _running_newsroom(ports)
            if urls is None:
                args = ["newswatch.demo.site", "--ports", ports, "--phase-file", str(self.phase_file)]
                proc, line = self._start(args, "newsroom")
                processes.append(proc)
                urls = json.loads(line)
            own_smtp = "AIRFLOW_CONN_SMTP_DEFAULT" not in self.env
            if own_smtp:
                port = self.env.get("NEWSWATCH_DEMO_SMTP_PORT", DEFAULT_SMTP_PORT)
                if not _port_open(int(port)):
                    args = ["newswatch.demo.mailcatcher", "--port", port, "--dir", str(self.mail_dir)]
                    proc, _ = self._start(args, "mailcatcher")
                    processes.append(proc)
                self.env["AIRFLOW_CONN_SMTP_DEFAULT"] = smtp_connection_json(port)
                description = f"smtp://127.0.0.1:{port} (kept in {self.mail_dir.relative_to(self.root)}/)"
            else:
                description = "the Airflow connection smtp_default (AIRFLOW_CONN_SMTP_DEFAULT)"
            yield Services(urls, description, own_smtp, processes)
        finally:
            for proc in processes:
                proc.terminate()
            for proc in processes:
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _running_newsroom(ports: str) -> dict[str, str] | None:
    """Reuse a newsroom that ``make up`` already runs on these ports; None when none answers."""
    from newswatch.demo.content import OUTLETS

    port_list = ports.split(",")
    if not all(_port_open(int(p)) for p in port_list):
        return None
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port_list[0]}/robots.txt", timeout=2) as resp:
            if "newswatch-demo" not in resp.headers.get("Server", ""):
                raise SystemExit(f"port {port_list[0]} is taken by another program; set NEWSWATCH_DEMO_PORTS")
    except OSError as exc:
        raise SystemExit(f"port {port_list[0]} is taken and is not the demo newsroom: {exc}") from None
    return {key: f"http://127.0.0.1:{p}" for key, p in zip(OUTLETS, port_list, strict=True)}
