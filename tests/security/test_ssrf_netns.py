"""Run the whole-pipeline SSRF cases inside a loopback-only network namespace (root + unshare)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.netns
def test_ssrf_cases_in_loopback_only_namespace() -> None:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.fail("these cases need root and unshare(1) for a loopback-only network namespace")
    cmd = f"{sys.executable} -m pytest -q -s -p no:cacheprovider -p no:randomly tests/security/ssrf_cases.py"
    proc = subprocess.run(["unshare", "--net", "sh", "-c", f"ip link set lo up && {cmd}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert "2 passed" in proc.stdout, proc.stdout[-3000:]
    print(next((line for line in proc.stdout.splitlines() if "ssrf_refused" in line), ""))
