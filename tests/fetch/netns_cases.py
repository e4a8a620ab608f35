"""Guard cases that name private, link-local, CGNAT or metadata addresses.

Not collected directly (the file name does not start with ``test_``): ``test_netns.py`` runs
this file with pytest inside a fresh network namespace that has only loopback, so a broken
guard fails these tests instead of sending a packet anywhere. Each test first checks that it
really is in such a namespace.
"""

from __future__ import annotations

import ipaddress
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from newswatch.fetch import Fetcher
from newswatch.fetch.guard import blocked_reason, parse_networks
from newswatch.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))


@pytest.fixture(autouse=True)
def only_loopback() -> None:
    """Refuse to run outside a loopback-only namespace."""
    links = subprocess.run(["ip", "-o", "link", "show", "up"], capture_output=True, text=True, check=True)
    names = [line.split(":")[1].strip() for line in links.stdout.splitlines() if line.strip()]
    assert names == ["lo"], f"not in a loopback-only network namespace: interfaces up {names}"


BLOCKED = [
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "127.0.0.1",
    "0.0.0.0",  # noqa: S104 (an address under test, not a bind)
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "fe80::1",
    "fc00::1",
    "ff02::1",
    "::ffff:10.0.0.1",
    "::ffff:8.8.8.8",
    "64:ff9b::a00:1",
    "2001:db8::1",
    "198.18.0.1",
]


@pytest.mark.parametrize("address", BLOCKED)
def test_special_addresses_are_blocked(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address), ()) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "93.184.216.34"])
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address), ()) is None


def test_allowed_networks_open_only_what_they_name() -> None:
    allowed = parse_networks(["127.0.0.0/8"])
    assert blocked_reason(ipaddress.ip_address("127.0.0.5"), allowed) is None
    assert blocked_reason(ipaddress.ip_address("10.0.0.1"), allowed) is not None
    assert blocked_reason(ipaddress.ip_address("::ffff:127.0.0.1"), allowed) is not None


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://100.64.0.1/",
        "http://[::ffff:169.254.169.254]/",
        "http://[fd00::1]/",
        "http://0x7f.1/",
        "http://2852039166/",  # 169.254.169.254 as one number
        "http://0251.0376.0251.0376/",  # ... in octal
        "https://192.168.0.1:8443/admin",
    ],
)
def test_private_targets_are_refused_without_any_connection(strict: Fetcher, url: str) -> None:
    result = strict.fetch(url)
    assert (result.ok, result.error_kind) in ((False, "blocked_network"), (False, "bad_url")), result
    assert result.status is None
    assert result.robots_fetches == () and result.requests == 0  # not even robots.txt was asked for


@pytest.fixture
def strict() -> Iterator[Fetcher]:
    """A fetcher with the production default: no private network allowed at all."""
    with Fetcher(Settings(database_url="sqlite://", sources_file=Path("x"), topics_file=Path("y"))) as f:
        yield f


def test_loopback_is_refused_by_default(strict: Fetcher, base: str) -> None:
    result = strict.fetch(base + "/page/x")
    assert result.error_kind == "blocked_network"


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://100.64.0.1/",
        "http://[::ffff:a9fe:a9fe]/",
    ],
)
def test_redirect_to_private_address_is_refused(fetcher: Fetcher, base: str, target: str) -> None:
    result = fetcher.fetch(base + "/redirect?to=" + target)
    assert (result.error_kind, result.status) == ("blocked_network", 302)
    (hop,) = result.redirect_chain  # the requested URL, as sent (brackets in a query get escaped)
    assert hop.startswith(base + "/redirect?to=")
    assert fetcher.fetch(base + "/page/after").ok


@pytest.mark.parametrize("target", ["http://169.254.169.254/", "http://10.0.0.1/", "http://100.64.0.1/"])
def test_meta_refresh_to_private_address_is_refused(fetcher: Fetcher, base: str, target: str) -> None:
    result = fetcher.fetch(base + "/meta-refresh?to=" + target)
    assert (result.error_kind, result.status) == ("blocked_network", 200)
    assert fetcher.fetch(base + "/page/after").ok


def test_redirect_to_file_url_is_refused(fetcher: Fetcher, base: str) -> None:
    result = fetcher.fetch(base + "/redirect?to=file:///etc/passwd")
    assert result.error_kind == "bad_url"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1\\@evil.invalid/",
        "http://evil.invalid\\.127.0.0.1/",
        "http://" + "a" * 3000 + ".invalid/",
    ],
)
def test_backslash_and_overlong_hosts_are_refused(fetcher: Fetcher, url: str) -> None:
    assert fetcher.fetch(url).error_kind == "bad_url"


@pytest.fixture
def rebinding_dns() -> Iterator[list[str]]:
    """A resolver for ``rebind.test``: a public address for the first two lookups, loopback after."""
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"] * 2 + ["127.0.0.1"] * 100)
    calls: list[str] = []
    lock = threading.Lock()

    def fake(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        with lock:
            address = next(answers)
        calls.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    socket.getaddrinfo = fake
    try:
        yield calls
    finally:
        socket.getaddrinfo = real


def test_dns_rebinding_is_caught_at_connect(strict: Fetcher, rebinding_dns: list[str], base: str) -> None:
    """Pre-flight checks see a public address; the connection's own lookup sees loopback and
    refuses, because the socket only ever goes to the address it has just checked."""
    port = base.rsplit(":", 1)[1]
    result = strict.fetch(f"http://rebind.test:{port}/page/x")
    assert result.error_kind == "blocked_network", result
    assert rebinding_dns[:3] == ["93.184.216.34", "93.184.216.34", "127.0.0.1"]


def test_transport_checks_the_address_it_connects_to(base: str) -> None:
    """Without any pre-flight, the guarded adapter itself refuses a loopback answer."""
    import requests
    from newswatch.fetch.errors import BlockedAddress, unwrap_fetch_error
    from newswatch.fetch.guard import NetworkGuard
    from newswatch.fetch.transport import guarded_adapter, tls_context

    adapter = guarded_adapter(NetworkGuard((), 2048), pool_size=1, tls=tls_context(None))
    with pytest.raises(Exception) as caught:
        adapter.send(requests.Request("GET", base + "/page/x").prepare(), timeout=2)
    assert isinstance(unwrap_fetch_error(caught.value), BlockedAddress)
    adapter.close()


def test_a_host_with_any_blocked_record_is_refused(fetcher: Fetcher) -> None:
    real = socket.getaddrinfo

    def mixed(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host != "mixed.test":
            return real(host, port, *args, **kwargs)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port)),
        ]

    socket.getaddrinfo = mixed
    try:
        result = fetcher.fetch("http://mixed.test/")
    finally:
        socket.getaddrinfo = real
    assert result.error_kind == "blocked_network"
    assert "10.0.0.1" in (result.error_message or "")
