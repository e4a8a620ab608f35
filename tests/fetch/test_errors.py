"""Fetch failures: one NewswatchError class whose kind is the fetch log's error kind, and the
mapping from requests/urllib3 exceptions to those kinds."""

from __future__ import annotations

import requests
import urllib3.exceptions
from newswatch.errors import NewswatchError
from newswatch.fetch.errors import BlockedAddress, FetchError, body_error, request_error, unwrap_fetch_error
from newswatch.fetch.result import ERROR_KINDS


def test_a_fetch_error_is_a_newswatch_error_keeping_kind_message_and_status() -> None:
    error = FetchError("http_5xx", "HTTP 502 Bad Gateway", 502)
    assert isinstance(error, NewswatchError)
    assert (error.kind, error.message, error.status, str(error)) == (
        "http_5xx",
        "HTTP 502 Bad Gateway",
        502,
        "HTTP 502 Bad Gateway",
    )
    blocked = BlockedAddress("10.0.0.1 is private")
    assert isinstance(blocked, FetchError) and blocked.kind == "blocked_network"


def test_a_guard_error_is_found_inside_library_wrappers() -> None:
    blocked = BlockedAddress("169.254.169.254 is link-local")
    try:
        try:
            raise blocked
        except FetchError as inner:
            raise urllib3.exceptions.NewConnectionError(None, "wrapped") from inner  # type: ignore[arg-type]
    except Exception as outer:
        wrapped = requests.ConnectionError(outer)
        wrapped.__context__ = outer
    assert unwrap_fetch_error(wrapped) is blocked
    assert request_error(wrapped, deadline_passed=False) is blocked
    assert unwrap_fetch_error(ValueError("plain")) is None


def test_request_errors_map_to_kinds() -> None:
    assert request_error(requests.ConnectTimeout("slow"), deadline_passed=False).kind == "timeout"
    assert request_error(requests.ConnectionError("reset"), deadline_passed=True).kind == "timeout"
    assert request_error(requests.exceptions.SSLError("bad cert"), deadline_passed=False).kind == "tls"
    assert request_error(requests.exceptions.InvalidURL("x"), deadline_passed=False).kind == "bad_url"
    refused = request_error(requests.ConnectionError("refused"), deadline_passed=False)
    assert refused.kind == "connection" and "ConnectionError" in refused.message


def test_body_errors_map_to_kinds() -> None:
    assert body_error(OSError("x"), deadline_passed=True, received=10).kind == "timeout"
    read_timeout = urllib3.exceptions.ReadTimeoutError(None, "u", "slow")  # type: ignore[arg-type]
    assert body_error(read_timeout, deadline_passed=False, received=10).kind == "timeout"
    cut = body_error(urllib3.exceptions.ProtocolError("gone"), deadline_passed=False, received=42)
    assert cut.kind == "truncated" and "42 bytes" in cut.message


def test_every_kind_used_here_is_in_the_fixed_vocabulary() -> None:
    kinds = {
        request_error(requests.ConnectTimeout("t"), False).kind,
        request_error(requests.exceptions.SSLError("s"), False).kind,
        request_error(requests.exceptions.MissingSchema("m"), False).kind,
        request_error(requests.ConnectionError("c"), False).kind,
        body_error(OSError("o"), False, 0).kind,
        BlockedAddress("b").kind,
    }
    assert kinds <= set(ERROR_KINDS)
