"""The fixed error kinds of a fetch, and what one fetch produced (the data lives in ``models``, so
the store can read it without importing the fetch package)."""

from __future__ import annotations

from newswatch.models import Exchange, FetchResult, Validators

# The fixed error vocabulary operators filter the fetch log on. Never invent a kind elsewhere.
TIMEOUT = "timeout"
TOO_LARGE = "too_large"
BLOCKED_NETWORK = "blocked_network"
ROBOTS_DISALLOWED = "robots_disallowed"
ROBOTS_UNAVAILABLE = "robots_unavailable"
HTTP_4XX = "http_4xx"
HTTP_5XX = "http_5xx"
TOO_MANY_REDIRECTS = "too_many_redirects"
BAD_URL = "bad_url"
CONNECTION = "connection"
DECODING = "decoding"
NOT_HTML = "not_html"
TRUNCATED = "truncated"
TLS = "tls"

ERROR_KINDS = (
    TIMEOUT,
    TOO_LARGE,
    BLOCKED_NETWORK,
    ROBOTS_DISALLOWED,
    ROBOTS_UNAVAILABLE,
    HTTP_4XX,
    HTTP_5XX,
    TOO_MANY_REDIRECTS,
    BAD_URL,
    CONNECTION,
    DECODING,
    NOT_HTML,
    TRUNCATED,
    TLS,
)

__all__ = ["ERROR_KINDS", "Exchange", "FetchResult", "Validators"]
