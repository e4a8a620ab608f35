"""A local SMTP server that keeps every message it receives as an ``.eml`` file.

The demo and ``make up`` use it so that alerts can be read without a real mail server.
Messages are written atomically (temporary file, then rename) and never overwritten.

Run: ``python -m newswatch.demo.mailcatcher --port 8025 --dir var/mail``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session

from newswatch.demo.cluster import free_port

_counter = itertools.count()


class MaildirHandler:
    """aiosmtpd handler: one file per received message, named by arrival time."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: object, session: Session, envelope: Envelope) -> str:
        name = f"{time.time_ns()}-{os.getpid()}-{next(_counter)}.eml"
        tmp = self.directory / f".{name}.tmp"
        content = envelope.original_content or b""
        tmp.write_bytes(content)
        tmp.rename(self.directory / name)
        return "250 Message accepted for delivery"


def start(directory: Path, port: int = 0) -> Controller:
    """Start the server on 127.0.0.1 (port 0 picks a free port: read ``controller.port``)."""
    if port == 0:
        port = free_port()  # aiosmtpd's start-up self-check cannot connect to port 0
    controller = Controller(MaildirHandler(directory), hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Keep every SMTP message received on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--dir", type=Path, default=Path("var/mail"))
    args = parser.parse_args(argv)
    controller = start(args.dir, args.port)
    print(f"smtp://127.0.0.1:{controller.port} -> {args.dir}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
