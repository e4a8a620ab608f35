"""``newswatch alerts``: operator commands for the outbox — list alerts by status, and requeue
alerts that failed or whose delivery is unknown (a deliberate, manual decision)."""

from __future__ import annotations

import argparse

from newswatch.cli import CommandError
from newswatch.store import outbox
from newswatch.store.engine import make_engine

STATUSES = ("pending", "claimed", "sending", "sent", "failed", "unknown")
REQUEUEABLE = ("failed", "unknown")


def run_outbox(args: argparse.Namespace) -> int:
    engine = make_engine(args.settings.database_url)
    try:
        with engine.connect() as conn:
            rows = outbox.newest(conn, status=args.status, limit=args.limit)
    finally:
        engine.dispose()
    for row in rows:
        when = row.sent_at or row.next_attempt_at or row.created_at
        head = f"{row.id:>6}  {row.status:<8} {row.kind:<8} tries={row.attempts}  {when:%Y-%m-%d %H:%M}"
        print(f"{head}  {row.subject}")
        if row.last_error:
            print(f"        last error: {row.last_error}")
    if not rows:
        print("no alerts" + (f" with status {args.status}" if args.status else ""))
    return 0


def run_requeue(args: argparse.Namespace) -> int:
    engine = make_engine(args.settings.database_url)
    try:
        with engine.begin() as conn:
            done = outbox.requeue(conn, args.ids, REQUEUEABLE)
    finally:
        engine.dispose()
    if done != len(set(args.ids)):
        raise CommandError(
            f"requeued {done} of {len(set(args.ids))}: only {'/'.join(REQUEUEABLE)} alerts can be"
        )
    print(f"requeued {done} alert(s)")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("alerts", help="the alerts outbox: list alerts, requeue failed ones")
    sub = parser.add_subparsers(dest="alerts_command", metavar="SUBCOMMAND", required=True)
    listing = sub.add_parser("outbox", help="list alerts in the outbox (newest first)")
    listing.add_argument("--status", choices=STATUSES)
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(func=run_outbox)
    requeue = sub.add_parser(
        "requeue", help="send failed/unknown alerts again (may duplicate an 'unknown' one)"
    )
    requeue.add_argument("ids", type=int, nargs="+", metavar="ID")
    requeue.set_defaults(func=run_requeue)
