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


def test_korean_and_russian_outlets_are_served_under_a_path_in_their_language(
    newsroom: tuple[Newsroom, Path],
) -> None:
    room, _ = newsroom
    urls = room.base_urls
    assert urls["hanbando"].startswith(urls["pacific"] + "/") and urls["vostok"].startswith(
        urls["harbour"] + "/"
    )
    feed = requests.get(urls["hanbando"] + "/rss.xml", timeout=5)
    sitemap = requests.get(urls["vostok"] + "/news-sitemap.xml", timeout=5)
    assert feed.status_code == sitemap.status_code == 200
    assert "<news:language>ru</news:language>" in sitemap.text
    for article in articles_for_phase(1):
        if article.outlet not in ("hanbando", "vostok"):
            continue
        listing = feed.text if article.outlet == "hanbando" else sitemap.text
        assert urls[article.outlet] + article.path in listing
        page = requests.get(urls[article.outlet] + article.path, timeout=5)
        page.encoding = "utf-8"
        language = "ko" if article.outlet == "hanbando" else "ru"
        assert page.status_code == 200 and f'<html lang="{language}">' in page.text
        assert article.headline in page.text and article.paragraphs[0] in page.text
    # the host outlet's own listing does not carry its guest's articles
    assert "/ko/" not in requests.get(urls["pacific"] + "/news-sitemap.xml", timeout=5).text
