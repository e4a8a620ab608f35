"""The network guard: which URLs may be fetched and which addresses may be connected to.

Hand-written because no maintained library does both halves we need: refusing parser-confusion
URLs before any library sees them, and checking *every* resolved address (any blocked record
refuses the host) at connect time, so the socket goes to the address that was checked and a DNS
answer cannot change between check and connect.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from w3lib.url import safe_url_string

from newswatch.fetch.errors import BlockedAddress, FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# Host name and port to the addresses to try, as text; raises FetchError when there are none.
Lookup = Callable[[str, int], list[str]]

ALLOWED_SCHEMES = ("http", "https")
# Characters that different URL parsers disagree on (a backslash is "/" to browsers and WHATWG,
# part of the host to others; tabs and newlines are silently dropped by some): refusing them keeps
# the guard and the HTTP client looking at the same host.
_CONFUSING = {"\\"} | {chr(c) for c in range(0x20)} | {"\x7f"}


def parse_networks(cidrs: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Parse ``settings.allowed_networks``; a bad CIDR is a configuration error, raised loudly."""
    return tuple(ipaddress.ip_network(c.strip(), strict=False) for c in cidrs if c.strip())


def normalize_url(url: str) -> str:
    """Percent-encode spaces and non-ASCII and IDNA-encode the host (what a browser sends), after
    refusing the characters parsers disagree on; raise ``FetchError(bad_url)``."""
    if not isinstance(url, str) or not url:
        raise FetchError("bad_url", "empty URL")
    bad = sorted({repr(ch) for ch in url if ch in _CONFUSING})
    if bad:
        raise FetchError("bad_url", f"URL contains {', '.join(bad)}")
    try:
        return safe_url_string(url.strip(" "))
    except (ValueError, UnicodeError) as exc:
        raise FetchError("bad_url", f"unparsable URL: {exc}") from None


def validate_url(url: str, max_length: int) -> str:
    """Return the URL's host if it may be fetched at all; raise ``FetchError(bad_url)`` if not."""
    if not isinstance(url, str) or not url:
        raise FetchError("bad_url", "empty URL")
    if len(url) > max_length:
        raise FetchError("bad_url", f"URL longer than {max_length} characters")
    bad = sorted({repr(ch) for ch in url if ch in _CONFUSING})
    if bad:
        raise FetchError("bad_url", f"URL contains {', '.join(bad)}")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError("bad_url", f"unparsable URL: {exc}") from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise FetchError("bad_url", f"scheme {parts.scheme or '(none)'!r} is not http or https")
    if "@" in parts.netloc:
        raise FetchError("bad_url", "credentials in URLs are refused")
    host = parts.hostname
    if not host:
        raise FetchError("bad_url", "URL has no host")
    if port == 0:
        raise FetchError("bad_url", "port 0")
    try:
        host.encode("idna")
    except UnicodeError:
        raise FetchError("bad_url", f"host {host!r} is not a valid IDNA name") from None
    return host


def blocked_reason(address: IPAddress, allowed: tuple[IPNetwork, ...]) -> str | None:
    """Why ``address`` may not be connected to, or None when it may."""
    if any(address.version == net.version and address in net for net in allowed):
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"{address} is an IPv4-mapped IPv6 address"
    for label, flag in (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    ):
        if flag:
            return f"{address} is {label}"
    if not address.is_global:  # CGNAT 100.64/10 and other special-purpose ranges
        return f"{address} is not a public address"
    return None


def system_lookup(host: str, port: int) -> list[str]:
    """The system resolver's addresses for ``host`` (zone ids dropped, duplicates kept once)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError("connection", f"cannot resolve {host!r}: {exc.strerror}") from None
    except UnicodeError:
        raise FetchError("bad_url", f"host {host!r} is not a valid name") from None
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        text = str(sockaddr[0]).split("%", 1)[0]
        if text not in addresses:
            addresses.append(text)
    return addresses


def resolve_checked(
    host: str, port: int, allowed: tuple[IPNetwork, ...], lookup: Lookup = system_lookup
) -> list[str]:
    """Resolve ``host`` and return its addresses, refusing all if any one is blocked."""
    addresses = lookup(host, port)
    for text in addresses:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            raise FetchError("connection", f"{host!r} resolved to {text!r}, not an address") from None
        reason = blocked_reason(address, allowed)
        if reason:
            raise BlockedAddress(f"{host} resolves to a blocked address: {reason}")
    if not addresses:
        raise FetchError("connection", f"{host!r} has no addresses")
    return addresses


@dataclass(frozen=True)
class NetworkGuard:
    """The guard configured from settings; shared by the transport and the pre-flight check."""

    allowed: tuple[IPNetwork, ...]
    max_url_length: int
    # Where host names are looked up; the transport connects only to what this returned and the
    # guard passed. Tests point names at the loopback fixture servers through it.
    lookup: Lookup = system_lookup

    def check_url(self, url: str) -> str:
        return validate_url(url, self.max_url_length)

    def normalize(self, url: str) -> str:
        return normalize_url(url)

    def resolve(self, host: str, port: int) -> list[str]:
        return resolve_checked(host, port, self.allowed, self.lookup)
