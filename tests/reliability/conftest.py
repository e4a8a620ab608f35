"""Fixtures for the whole-pipeline fault tests: the demo newsroom, topics, a mail sink."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

import cycle
from newswatch.demo.site import Newsroom


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
def sources_file(tmp_path: Path, newsroom: Newsroom) -> Path:
    return cycle.write_sources(tmp_path / "sources.yaml", newsroom.base_urls)


@pytest.fixture
def sink() -> Iterator[cycle.MailSink]:
    with cycle.mail_sink() as server:
        yield server
