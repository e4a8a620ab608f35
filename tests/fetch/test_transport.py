"""The transport over real TLS on loopback: the socket goes to the address the guard checked, the
certificate is verified for the host name (sent as SNI), and ``ca_bundle`` adds trust for the
fetcher alone. Host names are pointed at 127.0.0.1 through the fetcher's own lookup hook."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from pathlib import Path

import pytest
from newswatch.fetch import Fetcher
from newswatch.settings import Settings, SettingsError


def lookup_to(address: str, asked: list[str]) -> Callable[[str, int], list[str]]:
    def lookup(host: str, port: int) -> list[str]:
        asked.append(host)
        return [address]

    return lookup


def test_https_goes_to_the_checked_address_and_verifies_the_name(tls_server, make_settings) -> None:
    asked: list[str] = []
    settings: Settings = make_settings(ca_bundle=str(tls_server.ca_pem))
    with Fetcher(settings, lookup=lookup_to("127.0.0.1", asked)) as fetcher:
        result = fetcher.fetch(f"https://{tls_server.name}:{tls_server.port}/story")
    assert result.ok, result.error_message
    assert result.text is not None and "Served over TLS" in result.text
    assert set(asked) == {tls_server.name}  # the guard looked the name up through the hook, nothing else did
    assert tls_server.name in tls_server.sni  # and the handshake asked the server for that name
    assert "/story" in tls_server.paths


def test_the_lookup_answer_passes_the_guard(tls_server, make_settings) -> None:
    """An address the hook returns is checked like any DNS answer: 10/8 is not allowed here."""
    settings = make_settings(ca_bundle=str(tls_server.ca_pem))
    with Fetcher(settings, lookup=lookup_to("10.20.30.40", [])) as fetcher:
        result = fetcher.fetch(f"https://{tls_server.name}:{tls_server.port}/story")
    assert result.error_kind == "blocked_network"


def test_a_certificate_for_another_name_is_tls(tls_server, make_settings) -> None:
    """Same server and trusted CA, asked for by another name: the name check fails."""
    settings = make_settings(ca_bundle=str(tls_server.ca_pem))
    with Fetcher(settings, lookup=lookup_to("127.0.0.1", [])) as fetcher:
        result = fetcher.fetch(f"https://other.example.test:{tls_server.port}/story")
    assert (result.ok, result.error_kind) == (False, "tls")
    assert "other.example.test" in (result.error_message or "")
    assert "other.example.test" in tls_server.sni


def test_without_the_bundle_the_private_ca_is_not_trusted(tls_server, make_settings) -> None:
    with Fetcher(make_settings(), lookup=lookup_to("127.0.0.1", [])) as fetcher:
        result = fetcher.fetch(f"https://{tls_server.name}:{tls_server.port}/story")
    assert (result.ok, result.error_kind) == (False, "tls")
    assert "certificate verify failed" in (result.error_message or "")


def test_the_bundle_is_for_the_fetcher_only(tls_server, make_settings) -> None:
    """Setting ca_bundle changes no process-wide trust: another HTTPS client still refuses the CA."""
    settings = make_settings(ca_bundle=str(tls_server.ca_pem))
    with Fetcher(settings, lookup=lookup_to("127.0.0.1", [])) as fetcher:
        assert fetcher.fetch(f"https://{tls_server.name}:{tls_server.port}/story").ok
    # Asked for the certificate's own name, so only the unknown issuer can make the handshake fail.
    with socket.create_connection(("127.0.0.1", tls_server.port), timeout=5) as sock:
        with pytest.raises(ssl.SSLCertVerificationError) as caught:
            ssl.create_default_context().wrap_socket(sock, server_hostname=tls_server.name)
    assert "unable to get local issuer certificate" in caught.value.verify_message


def test_an_unreadable_bundle_is_a_bad_setting(tmp_path: Path, make_settings) -> None:
    with pytest.raises(SettingsError, match="NEWSWATCH_CA_BUNDLE") as caught:
        with Fetcher(make_settings(ca_bundle=str(tmp_path / "missing.pem"))):
            pass
    assert caught.value.kind == "bad_setting"
