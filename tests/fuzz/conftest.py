"""Print how many inputs each fuzz target saw and how long they took (figures for RELIABILITY.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fuzzing

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "reliability" / "fuzz.json"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not fuzzing.INPUTS:
        return
    terminalreporter.section("fuzzing")
    for target in sorted(fuzzing.INPUTS):
        terminalreporter.write_line(
            f"{target:<28} {fuzzing.INPUTS[target]:>7} inputs {fuzzing.SECONDS[target]:>8.1f} s"
        )
    total, seconds = sum(fuzzing.INPUTS.values()), sum(fuzzing.SECONDS.values())
    terminalreporter.write_line(f"{'total':<28} {total:>7} inputs {seconds:>8.1f} s")
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(
        json.dumps(
            {"inputs": dict(fuzzing.INPUTS), "seconds": {k: round(v, 2) for k, v in fuzzing.SECONDS.items()}},
            indent=2,
        )
    )
