"""Run the guard cases that name private addresses inside a loopback-only network namespace."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.netns
@pytest.mark.parametrize("cases", ["tests/fetch/netns_cases.py", "tests/sources/netns_cases.py"])
def test_guard_cases_in_loopback_only_namespace(cases: str) -> None:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.fail("these cases need root and unshare(1) for a loopback-only network namespace")
    root = HERE.parents[1]
    if not (root / cases).exists():
        pytest.skip(f"{cases} not present")
    pytest_cmd = f"{sys.executable} -m pytest -q -p no:cacheprovider -p no:randomly {cases}"
    proc = subprocess.run(
        ["unshare", "--net", "sh", "-c", f"ip link set lo up && {pytest_cmd}"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert " passed" in proc.stdout
