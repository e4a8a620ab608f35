"""Operator commands for the outbox, mounted under ``newswatch topics``: list alerts by status,
and requeue alerts that failed or whose delivery is unknown (a deliberate, manual decision)."""

from __future__ import annotations

import argparse

from sqlalchemy import and_, select, update

from newswatch.cli import CommandError
from newswatch.settings import load_settings
from newswatch.store.engine import make_engine
from newswatch.store.schema import alerts

STATUSES = ("pending", "claimed", "sending", "sent", "failed", "unknown")
REQUEUEABLE = ("failed", "unknown")


def run_outbox(args: argparse.Namespace) -> int:
    engine = make_engine(load_settings().database_url)
    query = select(alerts).order_by(alerts.c.id.desc()).limit(args.limit)
    if args.status:
        query = query.where(alerts.c.status == args.status)
    try:
        with engine.connect() as conn:
            rows = list(conn.execute(query))
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
    engine = make_engine(load_settings().database_url)
    try:
        with engine.begin() as conn:
            done = conn.execute(
                update(alerts)
                .where(and_(alerts.c.id.in_(args.ids), alerts.c.status.in_(REQUEUEABLE)))
                .values(status="pending", next_attempt_at=None, claimed_by=None, claimed_at=None)
            ).rowcount
    finally:
        engine.dispose()
    if done != len(set(args.ids)):
        raise CommandError(
            f"requeued {done} of {len(set(args.ids))}: only {'/'.join(REQUEUEABLE)} alerts can be"
        )
    print(f"requeued {done} alert(s)")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    outbox = sub.add_parser("outbox", help="list alerts in the outbox (newest first)")
    outbox.add_argument("--status", choices=STATUSES)
    outbox.add_argument("--limit", type=int, default=50)
    outbox.set_defaults(func=run_outbox)
    requeue = sub.add_parser(
        "requeue", help="send failed/unknown alerts again (may duplicate an 'unknown' one)"
    )
    requeue.add_argument("ids", type=int, nargs="+", metavar="ID")
    requeue.set_defaults(func=run_requeue)
