"""The network guard without a network: URL checks, address verdicts, and the lookup answer
checked record by record (the end-to-end cases run in a loopback-only namespace: test_netns)."""

from __future__ import annotations

import ipaddress

import pytest
from newswatch.fetch.errors import BlockedAddress, FetchError
from newswatch.fetch.guard import (
    NetworkGuard,
    blocked_reason,
    normalize_url,
    parse_networks,
    resolve_checked,
    system_lookup,
    validate_url,
)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "ftp://news.test/x",
        "file:///etc/passwd",
        "http://user:pw@news.test/",
        "http:///no-host",
        "http://news.test:0/",
        "http://news.test\\@evil.test/",
        "http://news.test/\tx",
        "http://news.test:99999/",
    ],
)
def test_urls_that_may_not_be_fetched_are_bad_url(url: str) -> None:
    with pytest.raises(FetchError) as caught:
        validate_url(url, 2048)
    assert caught.value.kind == "bad_url"


def test_a_fetchable_url_gives_its_host_and_length_is_capped() -> None:
    assert validate_url("https://News.Test:8443/a?b=c", 2048) == "news.test"
    with pytest.raises(FetchError, match="longer than 30"):
        validate_url("https://news.test/" + "a" * 20, 30)


def test_normalize_encodes_what_a_browser_would() -> None:
    assert normalize_url("https://bücher.test/a b/ü") == "https://xn--bcher-kva.test/a%20b/%C3%BC"


@pytest.mark.parametrize(
    ("address", "verdict"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "not a public address"),
        ("::ffff:127.0.0.1", "IPv4-mapped"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_verdicts(address: str, verdict: str | None) -> None:
    reason = blocked_reason(ipaddress.ip_address(address), ())
    assert reason is None if verdict is None else (reason is not None and verdict in reason)


def test_allowed_networks_open_only_their_own_family_and_range() -> None:
    allowed = parse_networks(["127.0.0.0/8", " "])
    assert blocked_reason(ipaddress.ip_address("127.9.9.9"), allowed) is None
    assert blocked_reason(ipaddress.ip_address("::1"), allowed) is not None
    with pytest.raises(ValueError):
        parse_networks(["not-a-cidr"])


def test_one_blocked_record_refuses_the_whole_answer() -> None:
    def lookup(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.7"]

    with pytest.raises(BlockedAddress, match=r"10\.0\.0\.7"):
        resolve_checked("mixed.test", 443, (), lookup)


def test_an_allowed_answer_is_returned_as_the_addresses_to_connect_to() -> None:
    guard = NetworkGuard(parse_networks(["127.0.0.0/8"]), 2048, lambda host, port: ["127.0.0.5", "127.0.0.6"])
    assert guard.resolve("news.test", 80) == ["127.0.0.5", "127.0.0.6"]


@pytest.mark.parametrize("answer", [[], ["not-an-address"]])
def test_an_empty_or_garbled_answer_is_a_connection_error(answer: list[str]) -> None:
    with pytest.raises(FetchError) as caught:
        resolve_checked("odd.test", 80, (), lambda host, port: answer)
    assert caught.value.kind == "connection"


def test_the_system_lookup_reads_the_hosts_file() -> None:
    assert "127.0.0.1" in system_lookup("localhost", 80)
