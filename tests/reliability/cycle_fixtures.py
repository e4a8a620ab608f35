"""Fixtures of the whole-cycle harness (cycle.py): the demo newsroom, topics, sources, a mail sink.

Shared by the reliability and security tests; each folder's conftest re-exports them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cycle
import pytest
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
