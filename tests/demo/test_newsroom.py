"""The demo newsroom serves what the demo and the whole-DAG tests rely on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from newswatch.demo.content import UPDATE_PARAGRAPH, articles_for_phase
from newswatch.demo.site import Newsroom

SAMPLE_PATH = "/world/2023/09/18/north-koreas-leader-wraps-up-russia-trip-with-drones-gift"


@pytest.fixture
def newsroom(tmp_path: Path) -> Iterator[tuple[Newsroom, Path]]:
    phase_file = tmp_path / "phase"
    phase_file.write_text("1")
    room = Newsroom([0, 0, 0], phase_file)
    yield room, phase_file
    room.close()


def test_each_outlet_lists_its_articles_its_own_way(newsroom: tuple[Newsroom, Path]) -> None:
    room, _ = newsroom
    urls = room.base_urls
    rss = requests.get(urls["straits"] + "/rss.xml", timeout=5)
    sitemap = requests.get(urls["pacific"] + "/news-sitemap.xml", timeout=5)
    section = requests.get(urls["harbour"] + "/", timeout=5)
    assert rss.status_code == sitemap.status_code == section.status_code == 200
    assert SAMPLE_PATH in rss.text
    assert "<news:publication_date>" in sitemap.text
    for article in articles_for_phase(1):
        if article.outlet == "harbour":
            assert article.path in section.text


def test_update_appears_only_in_phase_two_and_validators_change(newsroom: tuple[Newsroom, Path]) -> None:
    room, phase_file = newsroom
    url = room.base_urls["straits"] + SAMPLE_PATH
    first = requests.get(url, timeout=5)
    assert first.status_code == 200
    assert "Bookmark" in first.text and UPDATE_PARAGRAPH not in first.text
    again = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=5)
    assert again.status_code == 304
    phase_file.write_text("2")
    updated = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=5)
    assert updated.status_code == 200
    assert UPDATE_PARAGRAPH in updated.text


def test_unknown_path_is_404(newsroom: tuple[Newsroom, Path]) -> None:
    room, _ = newsroom
    assert requests.get(room.base_urls["straits"] + "/nope", timeout=5).status_code == 404
