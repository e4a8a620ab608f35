"""Fetch failures as one fixed error kind each: the exceptions used inside the fetch package and
the mapping from requests/urllib3 exceptions to kinds (``Fetcher.fetch`` never raises them)."""

from __future__ import annotations

import requests
import urllib3.exceptions

from newswatch.errors import NewswatchError
from newswatch.fetch import result as kinds

_BAD_URL_ERRORS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
    urllib3.exceptions.LocationParseError,
)


class FetchError(NewswatchError):
    """A fetch problem with a fixed error kind (see ``result.ERROR_KINDS``)."""

    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message, kind=kind)
        self.message = message
        self.status = status  # the HTTP status, when a response was received


class BlockedAddress(FetchError):
    """The target resolves to an address the network guard refuses."""

    def __init__(self, message: str) -> None:
        super().__init__(kinds.BLOCKED_NETWORK, message)


def unwrap_fetch_error(exc: BaseException) -> FetchError | None:
    """Find a guard ``FetchError`` that urllib3/requests may have wrapped."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, FetchError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def request_error(exc: Exception, deadline_passed: bool) -> FetchError:
    """The kind of an exception raised while sending a request (before any body)."""
    guard_error = unwrap_fetch_error(exc)
    if guard_error is not None:
        return guard_error
    if deadline_passed or isinstance(exc, requests.Timeout):
        return FetchError(kinds.TIMEOUT, f"timed out: {exc}")
    if isinstance(exc, requests.exceptions.SSLError):
        return FetchError(kinds.TLS, str(exc))
    if isinstance(exc, _BAD_URL_ERRORS):
        return FetchError(kinds.BAD_URL, str(exc))
    return FetchError(kinds.CONNECTION, f"{type(exc).__name__}: {exc}")


def body_error(exc: Exception, deadline_passed: bool, received: int) -> FetchError:
    """The kind of an exception raised while reading a body (``received`` bytes so far)."""
    if deadline_passed:
        return FetchError(kinds.TIMEOUT, f"total deadline passed after {received} bytes")
    if isinstance(exc, (urllib3.exceptions.ReadTimeoutError, TimeoutError)):
        return FetchError(kinds.TIMEOUT, f"read timed out after {received} bytes")
    return FetchError(kinds.TRUNCATED, f"body cut off after {received} bytes: {exc}")
