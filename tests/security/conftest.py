"""Security tests reuse the whole-cycle harness of tests/reliability (cycle.py) and its fixtures."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "reliability"))
sys.path.insert(0, str(HERE.parent / "support"))

import cycle  # noqa: E402
from newswatch.demo.site import Newsroom  # noqa: E402


@pytest.fixture
def newsroom(tmp_path: Path) -> Iterator[Newsroom]:
    phase = tmp_path / "phase"
    phase.write_text("1")
    room = Newsroom([0, 0, 0], phase)
    yield room
    room.close()


@pytest.fixture
def topics_file(tmp_path: Path) -> Path:
    path = tmp_path / "topics.yaml"
    path.write_text(cycle.TOPICS_YAML)
    return path


@pytest.fixture
def sink() -> Iterator[cycle.MailSink]:
    with cycle.mail_sink() as server:
        yield server
