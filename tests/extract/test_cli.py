"""``newswatch extract`` on a file, on stdin-free paths, and on a URL served from loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from newswatch.cli import main

SAMPLE = Path(__file__).parent / "fixtures" / "kim-russia-trip-2023-09-18.html"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/missing":
            self.send_error(404)
            return
        data = SAMPLE.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


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


def test_url_is_fetched(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", f"{server}/world/kim", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["url"] == f"{server}/world/kim"
    assert data["body"].startswith("MOSCOW")


def test_errors_are_one_line(server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(tmp_path / "nope.html")]) == 2
    assert main(["extract", f"{server}/missing"]) == 2
    err = capsys.readouterr().err
    assert "cannot read" in err and "cannot fetch" in err and "Traceback" not in err
