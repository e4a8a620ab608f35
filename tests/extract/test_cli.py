"""``newswatch extract`` on a file and on a URL served by the fixture server on loopback.

A URL goes through the pipeline's guarded fetcher, so the network guard applies: loopback is
refused unless the settings allow it, exactly as for ``newswatch fetch`` and an ingest run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_server import start_server
from newswatch.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "kim-russia-trip-2023-09-18.html"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with start_server("--root", str(FIXTURES)) as info:
        yield str(info["url"]).rstrip("/")


@pytest.fixture
def loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWATCH_ALLOWED_NETWORKS", "127.0.0.0/8")
    monkeypatch.setenv("NEWSWATCH_PER_DOMAIN_DELAY", "0")


@pytest.fixture
def loopback_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSWATCH_ALLOWED_NETWORKS", raising=False)


def test_file_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SAMPLE), "--url", "https://news.example/2023/09/18/kim", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["headline"] == "North Korea's leader wraps up Russia trip with drones gift"
    assert data["published_at"].startswith("2023-09-18") and data["published_source"] == "json-ld"
    assert data["url"] == "https://news.example/2023/09/18/kim"
    assert data["body"].startswith("MOSCOW")


def test_file_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("headline: North Korea's leader") and "\n\nMOSCOW" in out


@pytest.mark.usefixtures("loopback_allowed")
def test_url_is_fetched_when_loopback_is_allowed(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{server}/files/{SAMPLE.name}"
    assert main(["extract", url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["url"] == url
    assert data["body"].startswith("MOSCOW")


@pytest.mark.usefixtures("loopback_refused")
def test_url_on_a_blocked_network_is_refused(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", f"{server}/files/{SAMPLE.name}"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "cannot fetch" in captured.err and "blocked_network" in captured.err


@pytest.mark.usefixtures("loopback_allowed")
def test_errors_are_one_line(server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(tmp_path / "nope.html")]) == 2
    assert main(["extract", f"{server}/status/404"]) == 2
    err = capsys.readouterr().err
    assert "cannot read" in err and "cannot fetch" in err and "http_4xx" in err and "Traceback" not in err
