"""``newswatch fetch URL [--json]`` with the pipeline's settings and guard, as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from newswatch.cli import main


def run_cli(*args: str, allow_loopback: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
    if allow_loopback:
        env["NEWSWATCH_ALLOWED_NETWORKS"] = "127.0.0.0/8"
    env["NEWSWATCH_PER_DOMAIN_DELAY"] = "0"
    return subprocess.run(
        [sys.executable, "-m", "newswatch.cli", "fetch", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_json_success(base: str) -> None:
    proc = run_cli(base + "/redirect?to=/page/cli", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["outcome"] == "ok" and data["status"] == 200
    assert data["final_url"] == base + "/page/cli"
    assert data["redirect_chain"] == [base + "/redirect?to=/page/cli"]
    assert data["robots_allowed"] is True and data["error_kind"] is None and data["bytes"] > 0


def test_failure_exits_non_zero_with_kind_and_message(base: str) -> None:
    proc = run_cli(base + "/status/410", "--json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert (data["outcome"], data["status"], data["error_kind"]) == ("error", 410, "http_4xx")
    assert data["error_message"] == "HTTP 410 Gone"


def test_same_guard_as_pipeline_refuses_loopback_by_default(base: str) -> None:
    proc = run_cli(base + "/page/x", allow_loopback=False)
    assert proc.returncode == 1
    assert "error_kind: blocked_network" in proc.stdout


def test_text_output(base: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEWSWATCH_ALLOWED_NETWORKS", "127.0.0.0/8")
    monkeypatch.setenv("NEWSWATCH_PER_DOMAIN_DELAY", "0")
    assert main(["fetch", base + "/redirect-chain/2"]) == 0
    out = capsys.readouterr().out
    assert "outcome: ok" in out and f"  -> {base}/redirect-chain/2" in out and "robots_allowed: True" in out


def test_bad_settings_are_one_line_errors(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("NEWSWATCH_CONNECT_TIMEOUT", "soon")
    assert main(["fetch", "http://127.0.0.1:9/"]) == 2
    assert "NEWSWATCH_CONNECT_TIMEOUT" in capsys.readouterr().err


def test_bad_allowed_networks_is_a_settings_error(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("NEWSWATCH_ALLOWED_NETWORKS", "127.0.0.0/8,not-a-cidr")
    assert main(["fetch", "http://127.0.0.1:9/"]) == 2
    assert "NEWSWATCH_ALLOWED_NETWORKS" in capsys.readouterr().err
