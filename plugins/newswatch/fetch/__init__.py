"""Fetching: the only code that opens sockets to the outside, with guard, caps and politeness."""

from newswatch.fetch.client import Fetcher, parse_retry_after
from newswatch.fetch.result import ERROR_KINDS, FetchResult, Validators

__all__ = ["ERROR_KINDS", "FetchResult", "Fetcher", "Validators", "parse_retry_after"]
