"""A misbehaving HTTP server for tests and benchmarks, run as a subprocess on loopback, port 0.

Start: ``python hostile_server.py [--root DIR] [--robots MODE] [--latency-ms N] [--hosts A,B]``.
It prints one JSON line ``{"url": ..., "urls": [...]}`` (one URL per listening address) and
serves until killed. ``start_server(...)`` does that from Python and yields the URLs.

Endpoints (all paths are stable; tests of several areas reuse them):
  /page/<name>            small UTF-8 HTML article with charset header
  /files/<path>           a file under --root (type from extension; ETag/Last-Modified, 304)
  /files-plain/<path>     the same file without validators (a server that never answers 304)
  /never                  accepts, reads the request, never answers
  /drip                   headers, then one body byte a second
  /drip-headers           the status line and headers one byte a second
  /huge-length            Content-Length: 10**12, then a little body and a stall
  /endless                chunked body that never ends
  /gzip-bomb?mb=N         N MiB of zeros, gzip Content-Encoding (default 200)
  /brotli-bomb?mb=N       same with br
  /gzip-chain             a page gzip'ed six times, Content-Encoding: gzip x6
  /gzip-page, /brotli-page, /deflate-page   a small compressed page
  /corrupt-gzip, /truncated-gzip    a gzip body that is garbage / cut before its end
  /many-headers?n=500     a response with n headers
  /truncated              Content-Length 2000, 1000 bytes sent, then close
  /reset                  headers and part of the body, then a TCP reset
  /status/<code>?retry_after=S      that status (Retry-After when given)
  /flaky/<code>?times=N&key=K&retry_after=S   <code> for the first N hits per key, then a page
                          (retry_after=none: no Retry-After header)
  /set-cookies?n=N        a page that sets N cookies
  /redirect?to=URL&code=302         redirect anywhere (metadata IPs, file://, loops)
  /redirect-loop          /redirect-loop -> /redirect-loop-b -> /redirect-loop
  /redirect-chain/<n>     n redirects before a page
  /meta-refresh?to=URL&delay=S   an HTML page with <meta http-equiv=refresh content="S;url=URL">
  /charset/<case>         utf8-no-charset, latin1-header-utf8-body, utf8-header-cp1252-body,
                          utf16-bom, gb18030, meta-cp1251, nul-controls
  /pdf-as-html, /image-as-html      binary bodies labelled text/html
  /sitemap-big?n=50000    a urlset with n URLs (lastmod increasing with the index)
  /__log                  JSON list of requests seen: {path, host, at, headers}
robots.txt: --robots none (404, default) | allow | disallow (all) | disallow-private (/private/)
            | 500 | timeout | crawl-delay=S | file (from --root/robots.txt)
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import brotli

MIB = 1024 * 1024
PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
    "<body><article><h1>{title}</h1><p>Grüße aus Köln — “quoted” café.</p></article></body></html>"
)
TYPES = {
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".gz": "application/x-gzip",
}
_BOMB_CACHE: dict[tuple[str, int], bytes] = {}
_BOMB_LOCK = threading.Lock()
_FLAKY: dict[str, int] = {}
_LOG: list[dict[str, object]] = []
_LOG_LOCK = threading.Lock()


def _bomb(kind: str, mb: int) -> bytes:
    """Compressed zeros, built once per size (streamed through the compressor, not in memory)."""
    with _BOMB_LOCK:
        if (kind, mb) not in _BOMB_CACHE:
            zeros = bytes(MIB)
            if kind == "gzip":
                out = io.BytesIO()
                with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
                    for _ in range(mb):
                        gz.write(zeros)
                _BOMB_CACHE[(kind, mb)] = out.getvalue()
            else:
                comp = brotli.Compressor(quality=5)
                parts = [comp.process(zeros) for _ in range(mb)]
                parts.append(comp.finish())
                _BOMB_CACHE[(kind, mb)] = b"".join(parts)
        return _BOMB_CACHE[(kind, mb)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hostile/1"
    # Headers and body go out in separate writes; with Nagle on, the body would wait for the
    # client's delayed ACK (~40 ms) and every "latency" figure would be off by that much.
    disable_nagle_algorithm = True
    options: argparse.Namespace

    def log_message(self, format: str, *args: object) -> None:
        pass

    # ------------------------------------------------------------ helpers
    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _page(self, title: str = "Hello") -> None:
        self._send(200, PAGE.format(title=title).encode())

    def _stall(self, seconds: float = 3600) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            time.sleep(0.2)

    # ------------------------------------------------------------ dispatch
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with _LOG_LOCK:
            _LOG.append(
                {
                    "path": self.path,
                    "host": self.server.server_address[0],
                    "at": time.time(),
                    "headers": dict(self.headers.items()),
                }
            )
        if self.options.latency_ms:
            time.sleep(self.options.latency_ms / 1000)
        path = parts.path
        try:
            if path == "/robots.txt":
                return self._robots()
            if path == "/__log":
                with _LOG_LOCK:
                    return self._send(200, json.dumps(_LOG).encode(), "application/json")
            name, _, rest = path.lstrip("/").partition("/")
            handler = getattr(self, "ep_" + name.replace("-", "_"), None)
            if handler is None:
                return self._send(404, b"<h1>not found</h1>")
            return handler(rest, query)
        except (BrokenPipeError, ConnectionResetError):
            return None

    do_HEAD = do_GET

    def _robots(self) -> None:
        mode = self.options.robots
        if mode == "none":
            return self._send(404, b"no robots", "text/plain")
        if mode == "500":
            return self._send(500, b"oops", "text/plain")
        if mode == "timeout":
            return self._stall()
        body = {
            "allow": "User-agent: *\nAllow: /\n",
            "disallow": "User-agent: *\nDisallow: /\n",
            "disallow-private": "User-agent: *\nDisallow: /private/\n",
        }.get(mode)
        if mode.startswith("crawl-delay="):
            body = f"User-agent: *\nCrawl-delay: {mode.split('=', 1)[1]}\nAllow: /\n"
        if mode == "file":
            body = (Path(self.options.root) / "robots.txt").read_text()
        return self._send(200, (body or "").encode(), "text/plain")

    # ------------------------------------------------------------ endpoints
    def ep_page(self, rest: str, q: dict[str, str]) -> None:
        self._page(rest or "Hello")

    def ep_private(self, rest: str, q: dict[str, str]) -> None:
        self._page("private " + rest)

    def _file(self, rest: str) -> Path | None:
        root = Path(self.options.root or ".").resolve()
        target = (root / rest).resolve()
        return target if root in target.parents and target.is_file() else None

    def ep_files_plain(self, rest: str, q: dict[str, str]) -> None:
        target = self._file(rest)
        if target is None:
            return self._send(404, b"missing")
        return self._send(200, target.read_bytes(), TYPES.get(target.suffix, "application/octet-stream"))

    def ep_files(self, rest: str, q: dict[str, str]) -> None:
        target = self._file(rest)
        if target is None:
            return self._send(404, b"missing")
        body = target.read_bytes()
        etag = f'"{target.stat().st_mtime_ns:x}-{len(body):x}"'
        modified = formatdate(target.stat().st_mtime, usegmt=True)
        headers = {"ETag": etag, "Last-Modified": modified}
        if self.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == modified
        ):
            self.send_response(304)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        ctype = TYPES.get(target.suffix, "application/octet-stream")
        return self._send(200, body, ctype, headers)

    def ep_never(self, rest: str, q: dict[str, str]) -> None:
        self._stall()

    def ep_drip(self, rest: str, q: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        for _ in range(100000):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(1)

    def ep_drip_headers(self, rest: str, q: dict[str, str]) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 100000:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(1)

    def ep_huge_length(self, rest: str, q: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(10**12))
        self.end_headers()
        self.wfile.write(b"<html>" * 100)
        self.wfile.flush()
        self._stall(30)

    def ep_endless(self, rest: str, q: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"<p>" + b"endless " * 8000 + b"</p>"
        frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
        while True:
            self.wfile.write(frame)

    def _compressed(self, body: bytes, encoding: str) -> None:
        self._send(200, body, "text/html; charset=utf-8", {"Content-Encoding": encoding})

    def ep_gzip_bomb(self, rest: str, q: dict[str, str]) -> None:
        self._compressed(_bomb("gzip", int(q.get("mb", "200"))), "gzip")

    def ep_brotli_bomb(self, rest: str, q: dict[str, str]) -> None:
        self._compressed(_bomb("br", int(q.get("mb", "200"))), "br")

    def ep_gzip_chain(self, rest: str, q: dict[str, str]) -> None:
        body = PAGE.format(title="chained").encode()
        for _ in range(6):
            body = gzip.compress(body)
        self._compressed(body, ", ".join(["gzip"] * 6))

    def ep_gzip_page(self, rest: str, q: dict[str, str]) -> None:
        self._compressed(gzip.compress(PAGE.format(title="gzip").encode()), "gzip")

    def ep_brotli_page(self, rest: str, q: dict[str, str]) -> None:
        self._compressed(brotli.compress(PAGE.format(title="brotli").encode()), "br")

    def ep_deflate_page(self, rest: str, q: dict[str, str]) -> None:
        self._compressed(zlib.compress(PAGE.format(title="deflate").encode()), "deflate")

    def ep_corrupt_gzip(self, rest: str, q: dict[str, str]) -> None:
        self._compressed(b"<html>this is not gzip at all</html>" * 20, "gzip")

    def ep_truncated_gzip(self, rest: str, q: dict[str, str]) -> None:
        self._compressed(gzip.compress(PAGE.format(title="x").encode() * 50)[:-30], "gzip")

    def ep_many_headers(self, rest: str, q: dict[str, str]) -> None:
        body = PAGE.format(title="headers").encode()
        self.send_response(200)
        for n in range(int(q.get("n", "500"))):
            self.send_header(f"X-H{n}", "v")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def ep_truncated(self, rest: str, q: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "2000")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b"<html>" + b"a" * 994)
        self.wfile.flush()
        self.close_connection = True

    def ep_reset(self, rest: str, q: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"<html>" + b"r" * 5000)
        self.wfile.flush()
        time.sleep(0.1)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def ep_status(self, rest: str, q: dict[str, str]) -> None:
        headers = {"Retry-After": q["retry_after"]} if "retry_after" in q else {}
        self._send(int(rest or "500"), f"<h1>status {rest}</h1>".encode(), headers=headers)

    def ep_flaky(self, rest: str, q: dict[str, str]) -> None:
        key = q.get("key", rest)
        with _LOG_LOCK:
            _FLAKY[key] = _FLAKY.get(key, 0) + 1
            hits = _FLAKY[key]
        if hits <= int(q.get("times", "1")):
            retry_after = q.get("retry_after", "1")
            headers = {} if retry_after == "none" else {"Retry-After": retry_after}
            return self._send(int(rest or "503"), b"busy", headers=headers)
        return self._page("recovered")

    def ep_set_cookies(self, rest: str, q: dict[str, str]) -> None:
        body = PAGE.format(title="cookies").encode()
        self.send_response(200)
        for n in range(int(q.get("n", "50"))):
            self.send_header("Set-Cookie", f"c{n}={'x' * 100}; Path=/")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, target: str, code: int = 302) -> None:
        self.send_response(code)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def ep_redirect(self, rest: str, q: dict[str, str]) -> None:
        self._redirect(q.get("to", "/page/target"), int(q.get("code", "302")))

    def ep_redirect_file(self, rest: str, q: dict[str, str]) -> None:
        """Redirect to the URL written in the root file ``rest`` (a test can move the target)."""
        target = self._file(rest)
        if target is None:
            return self._send(404, b"missing")
        return self._redirect(target.read_text().strip(), 301)

    def ep_redirect_loop(self, rest: str, q: dict[str, str]) -> None:
        self._redirect("/redirect-loop-b")

    def ep_redirect_loop_b(self, rest: str, q: dict[str, str]) -> None:
        self._redirect("/redirect-loop")

    def ep_redirect_chain(self, rest: str, q: dict[str, str]) -> None:
        n = int(rest or "0")
        self._redirect(f"/redirect-chain/{n - 1}") if n > 0 else self._page("end of chain")

    def ep_meta_refresh(self, rest: str, q: dict[str, str]) -> None:
        target = q.get("to", "/page/target").replace('"', "%22")
        meta = f'<meta http-equiv="refresh" content="{int(q.get("delay", "0"))}; url={target}">'
        body = f"<html><head>{meta}</head><body>moved</body></html>"
        self._send(200, body.encode())

    def ep_charset(self, rest: str, q: dict[str, str]) -> None:
        text = "<html><head><title>Ça va</title></head><body><p>Grüße, naïve café — ½ €</p></body></html>"
        cases = {
            "utf8-no-charset": (text.encode("utf-8"), "text/html"),
            "latin1-header-utf8-body": (text.encode("utf-8"), "text/html; charset=iso-8859-1"),
            "utf8-header-cp1252-body": (text.encode("cp1252"), "text/html; charset=utf-8"),
            "utf16-bom": (text.encode("utf-16"), "text/html"),
            "gb18030": (
                "<html><body><p>新闻报道：中国经济增长</p></body></html>".encode("gb18030"),
                "text/html; charset=gb18030",
            ),
            "gb2312-meta": (
                (
                    "<html><head><meta charset='gb2312'></head><body><p>新闻报道：中国经济"
                    "增长</p></body></html>"
                ).encode("gb18030"),
                "text/html",
            ),
            "meta-cp1251": (
                (
                    "<html><head><meta http-equiv='Content-Type' content='text/html; "
                    "charset=windows-1251'></head><body><p>Новости дня</p></body></html>"
                ).encode("cp1251"),
                "text/html",
            ),
            "nul-controls": (b"<html><body><p>a\x00b\x07c\x1bd</p></body></html>", "text/html"),
        }
        body, ctype = cases[rest]
        self._send(200, body, ctype)

    def ep_pdf_as_html(self, rest: str, q: dict[str, str]) -> None:
        self._send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" + b"\x00" * 500)

    def ep_image_as_html(self, rest: str, q: dict[str, str]) -> None:
        self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)

    def ep_sitemap_big(self, rest: str, q: dict[str, str]) -> None:
        n = int(q.get("n", "50000"))
        host = self.headers.get("Host", "localhost")
        urls = "".join(
            f"<url><loc>http://{host}/page/a{i}</loc><lastmod>{_iso(1_700_000_000 + i)}</lastmod></url>"
            for i in range(n)
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9">{urls}</urlset>'
        ).encode()
        self._send(200, body, "application/xml")


def _iso(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


class QuietServer(ThreadingHTTPServer):
    """Clients hang up on purpose in these tests; their resets are not server errors."""

    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def serve(options: argparse.Namespace) -> None:
    handler = type("ConfiguredHandler", (Handler,), {"options": options})
    servers = []
    for host in options.hosts.split(","):
        server = QuietServer((host, options.port), handler)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    urls = [f"http://{s.server_address[0]}:{s.server_address[1]}" for s in servers]
    print(json.dumps({"url": urls[0], "urls": urls}), flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="misbehaving HTTP server (loopback only)")
    parser.add_argument("--hosts", default="127.0.0.1", help="comma-separated loopback addresses")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--root", default=None, help="directory served under /files/")
    parser.add_argument("--robots", default="none")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    options = parser.parse_args(argv)
    for host in options.hosts.split(","):
        if not host.startswith("127."):
            parser.error(f"{host}: this server only listens on loopback")
    return options


@contextlib.contextmanager
def start_server(*args: str) -> Iterator[dict[str, object]]:
    """Run the server in a subprocess; yield its announcement ({"url", "urls"}); kill it after."""
    proc = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), *args], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("hostile server did not start")
        info = json.loads(line)
        info["pid"] = proc.pid
        yield info
    finally:
        proc.kill()
        proc.wait()


if __name__ == "__main__":
    serve(parse_args())


class ServerPool:
    """Servers started on demand, one per argument list, shared by a test session."""

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._infos: dict[tuple[str, ...], dict[str, object]] = {}

    def get(self, *args: str) -> str:
        """The base URL of a server started with ``args`` (started on first use)."""
        if args not in self._infos:
            self._infos[args] = self._stack.enter_context(start_server(*args))
        return str(self._infos[args]["url"])

    def close(self) -> None:
        self._stack.close()
