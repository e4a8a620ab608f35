"""Exceptions used inside the fetch package; ``Fetcher.fetch`` turns each into an error kind."""

from __future__ import annotations


class FetchError(Exception):
    """A fetch problem with a fixed error kind (see ``result.ERROR_KINDS``)."""

    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status  # the HTTP status, when a response was received


class BlockedAddress(FetchError):
    """The target resolves to an address the network guard refuses."""

    def __init__(self, message: str) -> None:
        super().__init__("blocked_network", message)
