"""The requests transport: guarded connections and a hard wall-clock deadline per response.

Hand-written (a thin layer over urllib3) for two things requests cannot do by configuration:

* **Connect to the checked address.** The connection resolves the host itself, passes every
  address through the network guard, and connects to those addresses only. TLS still verifies
  the certificate against the host name, which urllib3 keeps as ``server_hostname`` (and sends
  as SNI), with the default CAs plus ``settings.ca_bundle`` when one is set.
* **A total deadline.** Connect and read timeouts bound each socket operation, not a response: a
  server dripping one byte a second never trips them. A single watchdog thread shuts down the
  socket of any response whose deadline has passed, which unblocks the reading thread at once.
"""

from __future__ import annotations

import contextvars
import heapq
import itertools
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests.certs
from requests import PreparedRequest
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.ssl_ import create_urllib3_context

from newswatch.fetch.guard import NetworkGuard
from newswatch.settings import SettingsError


class Deadline:
    """A point in (monotonic) time after which the sockets attached to it are shut down."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._cancelled = False

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def attach(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._socks.append(sock)
            fire_now = self.expired
        if fire_now:
            _shutdown(sock)

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            self._socks.clear()

    def fire(self) -> None:
        with self._lock:
            if self._cancelled:
                return
            self.expired = True
            socks, self._socks = self._socks, []
        for sock in socks:
            _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed: nothing left to unblock


class _Watchdog:
    """One daemon thread firing deadlines in time order."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Deadline]] = []
        self._cond = threading.Condition()
        self._counter = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, deadline: Deadline) -> None:
        with self._cond:
            heapq.heappush(self._heap, (deadline.at, next(self._counter), deadline))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="newswatch-deadlines", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                at, _, deadline = self._heap[0]
                delay = at - time.monotonic()
                if delay > 0:
                    self._cond.wait(delay)
                    continue
                heapq.heappop(self._heap)
            deadline.fire()


_WATCHDOG = _Watchdog()
_CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar("newswatch_deadline", default=None)


@contextmanager
def deadline_scope(seconds: float) -> Iterator[Deadline]:
    """Every response read inside this block is cut off ``seconds`` after it began."""
    deadline = Deadline(seconds)
    _WATCHDOG.watch(deadline)
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)
        deadline.cancel()


def current_deadline() -> Deadline | None:
    return _CURRENT.get()


class _GuardedMixin:
    """Connection behaviour shared by HTTP and HTTPS: guarded connect, deadline-bound reads."""

    guard: NetworkGuard  # set on the per-Fetcher subclass

    def _new_conn(self) -> socket.socket:
        addresses = self.guard.resolve(self._dns_host, self.port)  # type: ignore[attr-defined]
        deadline = current_deadline()
        timeout = self.timeout  # type: ignore[attr-defined]
        if deadline is not None and isinstance(timeout, (int, float)):
            timeout = min(timeout, max(deadline.remaining(), 0.001))
        last_error: OSError | None = None
        for address in addresses:
            try:
                sock = socket.create_connection((address, self.port), timeout)  # type: ignore[attr-defined]
            except TimeoutError as exc:
                raise ConnectTimeoutError(self, f"connect to {address} timed out") from exc
            except OSError as exc:
                last_error = exc
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if deadline is not None:
                deadline.attach(sock)
            return sock
        raise NewConnectionError(self, f"cannot connect to {addresses}: {last_error}")  # type: ignore[arg-type]

    def getresponse(self):  # type: ignore[no-untyped-def]
        deadline = current_deadline()
        if deadline is not None:
            deadline.attach(self.sock)  # type: ignore[attr-defined]
        return super().getresponse()  # type: ignore[misc]


def tls_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """Certificates verified, host name included, against the CAs requests trusts by default plus
    ``ca_bundle`` (a corporate TLS-inspecting proxy's CA); a bundle that cannot be read is a
    bad setting, said when the fetcher is built rather than as every page's failure."""
    context = create_urllib3_context(cert_reqs=ssl.CERT_REQUIRED)
    context.load_verify_locations(cafile=requests.certs.where())
    if ca_bundle is not None:
        try:
            context.load_verify_locations(cafile=str(ca_bundle))
        except (OSError, ssl.SSLError) as exc:
            raise SettingsError(f"NEWSWATCH_CA_BUNDLE={str(ca_bundle)!r}: {exc}") from None
    return context


class _TlsAdapter(HTTPAdapter):
    """An adapter whose HTTPS pools verify with one fetcher-wide context (not requests' bundle)."""

    def __init__(self, tls: ssl.SSLContext, **kwargs: Any) -> None:
        self._tls = tls
        super().__init__(**kwargs)

    def build_connection_pool_key_attributes(
        self, request: PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        if host_params.get("scheme") == "https":
            pool_kwargs["ssl_context"] = self._tls
        return host_params, pool_kwargs

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        super().cert_verify(conn, url, verify, cert)
        if url.lower().startswith("https"):
            # The context already trusts what it should; a bundle path here would be loaded into
            # it again on every connection.
            conn.ca_certs = None
            conn.ca_cert_dir = None


def guarded_adapter(guard: NetworkGuard, *, pool_size: int, tls: ssl.SSLContext) -> HTTPAdapter:
    """An adapter whose pools use connections bound to ``guard`` and verify TLS with ``tls``."""
    http_conn = type("GuardedHTTPConnection", (_GuardedMixin, HTTPConnection), {"guard": guard})
    https_conn = type("GuardedHTTPSConnection", (_GuardedMixin, HTTPSConnection), {"guard": guard})
    http_pool = type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn})
    https_pool = type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn})
    adapter = _TlsAdapter(tls, pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
    adapter.poolmanager.pool_classes_by_scheme = {"http": http_pool, "https": https_pool}
    return adapter
