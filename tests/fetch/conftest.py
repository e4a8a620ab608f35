"""Fixtures for the fetch tests: the hostile server and loopback-allowing settings (shared with the
discovery tests), and an HTTPS server on 127.0.0.1 whose certificate comes from a throw-away CA
(trustme) and which records the host name each client asked for in its handshake (SNI)."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme
from hostile_fixtures import TEST_SETTINGS, base, fetcher, make_settings, servers, settings

PAGE = b"<html><head><title>Over TLS</title></head><body><p>Served over TLS.</p></body></html>"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.paths.append(self.path)  # type: ignore[attr-defined]
        status, body = (404, b"") if self.path == "/robots.txt" else (200, PAGE)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


# The name the HTTPS fixture server's certificate is for (.test never resolves in public DNS).
TLS_NAME = "news.example.test"


@dataclass
class TlsServer:
    port: int
    ca_pem: Path  # the CA that signed the server's certificate, as a bundle file
    name: str = TLS_NAME  # the name its certificate is for
    sni: list[str | None] = field(default_factory=list)  # names asked for, one per handshake
    paths: list[str] = field(default_factory=list)  # paths requested over completed handshakes


@pytest.fixture(scope="session")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    """HTTPS on a free loopback port, with a certificate for ``TLS_NAME`` from a throw-away CA."""
    workdir = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    ca_pem = workdir / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(TLS_NAME).configure_cert(context)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server = TlsServer(port=int(httpd.server_address[1]), ca_pem=ca_pem)
    context.sni_callback = lambda _sock, name, _ctx: server.sni.append(name)  # type: ignore[assignment]
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.paths = server.paths  # type: ignore[attr-defined]
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


__all__ = [
    "TEST_SETTINGS",
    "TlsServer",
    "base",
    "fetcher",
    "make_settings",
    "servers",
    "settings",
    "tls_server",
]
