"""The packaged date weights are what ``benchmarks/extraction_fit.py`` writes from the development
pages: a change to the date candidates or their evidence must come with the weights refitted
(``make fit-extract``), or the shipped choice is fitted to candidates the code no longer makes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEVELOPMENT_PAGES = ROOT.parent / "shared" / "extraction-dev" / "cases.jsonl"


@pytest.mark.skipif(not DEVELOPMENT_PAGES.exists(), reason="no development pages beside the repository")
def test_the_packaged_date_weights_are_what_the_fit_writes() -> None:
    fit = subprocess.run(
        [sys.executable, "benchmarks/extraction_fit.py", "--verify"],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )
    assert fit.returncode == 0, fit.stderr[-2000:]
