"""``newswatch fetch URL [--json]``: what the pipeline's fetcher would do with one URL.

Same settings, guard, robots policy and caps as the pipeline, so an operator can see exactly
why a page fails (error kind, redirect chain, robots verdict). Exit status 0 on success, 1 when
the fetch failed.
"""

from __future__ import annotations

import argparse
import json
import sys

from newswatch.fetch.client import Fetcher
from newswatch.fetch.result import FetchResult


def summary(result: FetchResult) -> dict[str, object]:
    """The operator-facing fields of a fetch, JSON-ready."""
    return {
        "outcome": result.outcome,
        "url": result.url,
        "final_url": result.final_url,
        "status": result.status,
        "bytes": len(result.body),
        "wire_bytes": result.wire_bytes,
        "content_type": result.content_type,
        "encoding": result.encoding,
        "etag": result.etag,
        "last_modified": result.last_modified,
        "body_hash": result.body_hash,
        "elapsed_ms": result.elapsed_ms,
        "error_kind": result.error_kind,
        "error_message": result.error_message,
        "redirect_chain": result.redirect_chain,
        "robots_allowed": result.robots_allowed,
        "retry_after": result.retry_after,
    }


_ALWAYS = ("outcome", "final_url", "status", "bytes", "error_kind", "error_message", "robots_allowed")


def _print_text(data: dict[str, object]) -> None:
    """One ``key: value`` line each; the operator's core fields even when empty."""
    for key, value in data.items():
        if key == "redirect_chain":
            print(f"{key}:" + ("" if value else " (none)"))
            for hop in value:  # type: ignore[union-attr]
                print(f"  -> {hop}")
        elif value is not None or key in _ALWAYS:
            print(f"{key}: {'-' if value is None else value}")


def run(args: argparse.Namespace) -> int:
    # A bad setting (allowed networks, CA bundle) is a SettingsError: the CLI says it in one line.
    with Fetcher(args.settings) as fetcher:
        result = fetcher.fetch(args.url, user_agent=args.user_agent, listing=args.listing)
    data = summary(result)
    if args.json:
        json.dump(data, sys.stdout, indent=2)
        print()
    else:
        _print_text(data)
    return 0 if result.ok else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("fetch", help="fetch one URL the way the pipeline would")
    parser.add_argument("url")
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.add_argument("--user-agent", default=None, help="override the User-Agent (as a source may)")
    parser.add_argument("--listing", action="store_true", help="treat as a feed/sitemap (bigger cap)")
    parser.set_defaults(func=run)
